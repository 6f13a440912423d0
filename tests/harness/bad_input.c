/* What check_run refuses before starting anything, with a negative errno
 * and a one-line reason; and the inputs it must take as they are. */
#include "harness_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void assert_refused(char *const *argv, int expected, const char *reason)
{
    struct check_options options;
    check_options_init(&options);
    options.argv = argv;
    struct report report;
    report_init(&report);
    char why[256] = "";
    int status = check_run(&options, &report, why, sizeof(why));
    cr_assert_eq(status, expected, "check_run gave %d (%s), expected %d", status, why, expected);
    cr_assert(strstr(why, reason) != NULL, "reason \"%s\" does not say \"%s\"", why, reason);
    cr_assert_null(strchr(why, '\n'), "one line");
    cr_assert_eq(report.process_count, 0, "nothing was started");
    assert_nothing_left(&report);
    report_free(&report);
}

/* A file in a fresh temporary directory, with `mode` and `content`. */
static char *temporary_file(mode_t mode, const char *content)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/forklab-harness-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    write(fd, content, strlen(content));
    fchmod(fd, mode);
    close(fd);
    return path;
}

Test(bad_input, missing_program)
{
    char *argv[] = {"/forklab/no/such/program", NULL};
    assert_refused(argv, -ENOENT, "no such program");
}

Test(bad_input, program_not_in_path)
{
    char *argv[] = {"forklab-no-such-program", NULL};
    assert_refused(argv, -ENOENT, "no such program in PATH");
}

Test(bad_input, directory)
{
    char *argv[] = {"/tmp", NULL};
    assert_refused(argv, -EISDIR, "is a directory");
}

Test(bad_input, not_executable)
{
    char *path = temporary_file(0644, "#!/bin/sh\necho hi\n");
    char *argv[] = {path, NULL};
    assert_refused(argv, -EACCES, "not executable");
    unlink(path);
}

Test(bad_input, empty_argv)
{
    char *empty[] = {NULL};
    assert_refused(empty, -EINVAL, "no program given");
    char *blank[] = {"", NULL};
    assert_refused(blank, -EINVAL, "no program given");
}

Test(bad_input, bad_limits)
{
    char *argv[] = {"/bin/true", NULL};
    struct check_options options;
    check_options_init(&options);
    options.argv = argv;
    options.timeout_ms = 0;
    struct report report;
    report_init(&report);
    cr_assert_eq(check_run(&options, &report, NULL, 0), -EINVAL);
    options.timeout_ms = 1000;
    options.max_procs = 0;
    cr_assert_eq(check_run(&options, &report, NULL, 0), -EINVAL);
    report_free(&report);
}

Test(bad_input, missing_stdin_file)
{
    char *argv[] = {"/bin/cat", NULL};
    struct check_options options;
    check_options_init(&options);
    options.argv = argv;
    options.stdin_path = "/forklab/no/such/input";
    struct report report;
    report_init(&report);
    char why[256];
    cr_assert_eq(check_run(&options, &report, why, sizeof(why)), -ENOENT);
    cr_assert(strstr(why, "stdin") != NULL, "%s", why);
    report_free(&report);
}

Test(bad_input, file_that_is_no_program)
{
    /* Executable, but neither ELF nor #!: the kernel refuses the exec. */
    char *path = temporary_file(0755, "just some text\n");
    char *argv[] = {path, NULL};
    assert_refused(argv, -ENOEXEC, "cannot execute");
    unlink(path);
}

Test(good_input, stdin_from_a_file)
{
    char *path = temporary_file(0644, "line one\nline two\n");
    char *argv[] = {"/bin/cat", NULL};
    struct check_options options;
    check_options_init(&options);
    options.stdin_path = path;
    struct report report;
    run_check(&options, argv, &report);
    cr_assert_str_eq(report.out.data, "line one\nline two\n");
    cr_assert_eq(kinds_of(&report), NO_KINDS);
    report_free(&report);
    unlink(path);
}

Test(good_input, stdin_is_dev_null_by_default)
{
    char *argv[] = {"/bin/cat", NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    cr_assert_eq(report.out.total, 0);
    cr_assert_eq(report.main_end, PROCESS_EXITED);
    report_free(&report);
}

Test(good_input, stray_descriptors_of_the_harness_are_not_leaks)
{
    /* As a CI runner or a terminal might leave us: open, not close-on-exec. */
    int stray = open("/dev/null", O_RDONLY);
    int stray_pipe[2];
    cr_assert_eq(pipe(stray_pipe), 0);
    char *argv[] = {FIXTURE("h-fd-leak-ok"), NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    cr_assert_eq(kinds_of(&report), NO_KINDS);
    report_free(&report);
    cr_assert_neq(fcntl(stray, F_GETFD), -1, "the harness's own descriptors stay open");
    close(stray);
    close(stray_pipe[0]);
    close(stray_pipe[1]);
}
