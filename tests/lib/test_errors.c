/* test_errors.c: every way a spawn can fail reports the errno and the step,
 * never a silent exit status 127, and leaves no zombie and no descriptor. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Spawns cmd expecting failure `code` at `step`; checks nothing is left. */
static void expect_failure(struct fl_command *cmd, int code, enum fl_step step)
{
    int before[256], after[256];
    int n_before = fds_snapshot(before, 256);
    struct fl_child *child = NULL;
    int rc = fl_command_spawn(cmd, &child);
    cr_assert_eq(rc, -code, "expected %s, got %d (%s)", strerror(code), rc,
                 fl_command_strerror(cmd));
    cr_assert_null(child);
    const struct fl_error *err = fl_command_error(cmd);
    cr_assert_eq(err->code, code);
    cr_assert_eq(err->step, step, "step %s, expected %s", fl_step_name(err->step),
                 fl_step_name(step));
    int zombies;
    cr_assert_eq(children_of_self(&zombies), 0, "a failed spawn left a child");
    int n_after = fds_snapshot(after, 256);
    cr_assert_eq(n_before, n_after, "a failed spawn leaked a descriptor");
    cr_assert_arr_eq(before, after, (size_t)n_before * sizeof(int));
}

Test(errors, program_not_in_path)
{
    struct fl_command *cmd = fl_command_new("forklab-no-such-program");
    expect_failure(cmd, ENOENT, FL_STEP_LOOKUP);
    cr_assert_not(fl_command_error(cmd)->in_child);
    cr_assert(strstr(fl_command_strerror(cmd), "forklab-no-such-program"));
    fl_command_free(&cmd);
}

Test(errors, missing_absolute_program_fails_in_exec)
{
    struct fl_command *cmd = fl_command_new("/nonexistent/program");
    expect_failure(cmd, ENOENT, FL_STEP_EXEC);
    cr_assert(fl_command_error(cmd)->in_child);
    cr_assert_str_eq(fl_command_strerror(cmd), "cannot run /nonexistent/program: exec "
                                               "\"/nonexistent/program\" in the child: No "
                                               "such file or directory");
    fl_command_free(&cmd);
}

Test(errors, not_executable)
{
    char *dir = make_temp_dir();
    char path[4096];
    snprintf(path, sizeof path, "%s/script", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "#!/bin/sh\n", 10), 10);
    close(fd);

    /* Through PATH: the lookup sees it is not executable. */
    struct fl_command *cmd = fl_command_new("script");
    fl_command_env(cmd, "PATH", dir);
    expect_failure(cmd, EACCES, FL_STEP_LOOKUP);
    fl_command_free(&cmd);

    /* By path: execve itself refuses, in the child. */
    cmd = fl_command_new(path);
    expect_failure(cmd, EACCES, FL_STEP_EXEC);
    fl_command_free(&cmd);
    remove_tree(dir);
    free(dir);
}

Test(errors, missing_working_directory)
{
    struct fl_command *cmd = fl_command_new("true");
    fl_command_cwd(cmd, "/nonexistent/dir");
    expect_failure(cmd, ENOENT, FL_STEP_CHDIR);
    cr_assert(fl_command_error(cmd)->in_child);
    cr_assert(strstr(fl_command_strerror(cmd), "chdir \"/nonexistent/dir\" in the child"));
    fl_command_free(&cmd);
}

Test(errors, empty_program)
{
    struct fl_command *cmd = fl_command_new("");
    cr_assert_not_null(cmd);
    expect_failure(cmd, EINVAL, FL_STEP_ARGS);
    fl_command_free(&cmd);
    errno = 0;
    cr_assert_null(fl_command_new(NULL));
    cr_assert_eq(errno, EINVAL);
}

Test(errors, argument_list_too_long)
{
    /* One argument above MAX_ARG_STRLEN (32 pages) is refused by execve. */
    size_t len = 200 * 1024;
    char *huge = malloc(len + 1);
    memset(huge, 'x', len);
    huge[len] = '\0';
    struct fl_command *cmd = fl_command_new("true");
    fl_command_arg(cmd, huge);
    expect_failure(cmd, E2BIG, FL_STEP_EXEC);
    fl_command_free(&cmd);
    free(huge);
}

Test(errors, many_arguments_too_long)
{
    /* Many ordinary arguments adding up to more than the exec limit. */
    struct fl_command *cmd = fl_command_new("true");
    char arg[1024];
    memset(arg, 'y', sizeof arg - 1);
    arg[sizeof arg - 1] = '\0';
    for (int i = 0; i < 16 * 1024; i++)
        cr_assert_eq(fl_command_arg(cmd, arg), 0);
    expect_failure(cmd, E2BIG, FL_STEP_EXEC);
    fl_command_free(&cmd);
}

Test(errors, stdio_descriptor_not_open)
{
    int fds[2];
    cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
    close(fds[0]);
    close(fds[1]); /* fds[1] is now a number that is not open */
    struct fl_command *cmd = fl_command_new("true");
    cr_assert_eq(fl_command_stdio_fd(cmd, FL_STDOUT, fds[1]), 0);
    expect_failure(cmd, EBADF, FL_STEP_STDIO);
    cr_assert_eq(fl_command_error(cmd)->stream, FL_STDOUT);
    fl_command_free(&cmd);

    cmd = fl_command_new("true");
    cr_assert_eq(fl_command_stdio_fd(cmd, FL_STDIN, -1), -EBADF);
    /* The setter's failure is remembered and reported at spawn. */
    expect_failure(cmd, EBADF, FL_STEP_BUILD);
    fl_command_free(&cmd);
}

Test(errors, keep_fd_not_open)
{
    struct fl_command *cmd = fl_command_new("true");
    cr_assert_eq(fl_command_keep_fd(cmd, 1000), 0);
    expect_failure(cmd, EBADF, FL_STEP_KEEP_FD);
    fl_command_free(&cmd);
}

Test(errors, invalid_builder_arguments)
{
    struct fl_command *cmd = fl_command_new("true");
    cr_assert_eq(fl_command_stdio(cmd, 3, FL_NULL), -EINVAL);
    cr_assert_eq(fl_command_stdio(cmd, FL_STDOUT, FL_MERGE), -EINVAL);
    cr_assert_eq(fl_command_keep_fd(cmd, 2), -EINVAL);
    cr_assert_eq(fl_command_env(cmd, "A=B", "c"), -EINVAL);
    cr_assert_eq(fl_command_env(cmd, "", "c"), -EINVAL);
    cr_assert_eq(fl_command_process_group(cmd, -5), -EINVAL);
    cr_assert_eq(fl_command_die_with_parent(cmd, -1), -EINVAL);
    expect_failure(cmd, EINVAL, FL_STEP_BUILD);
    fl_command_free(&cmd);
}

Test(errors, open_failure_names_the_stream)
{
    struct fl_command *cmd = fl_command_new("true");
    fl_command_stdio_path(cmd, FL_STDIN, "/nonexistent/input", O_RDONLY, 0);
    expect_failure(cmd, ENOENT, FL_STEP_OPEN);
    cr_assert_eq(fl_command_error(cmd)->stream, FL_STDIN);
    cr_assert(strstr(fl_command_strerror(cmd), "open of stdin \"/nonexistent/input\""), "%s",
              fl_command_strerror(cmd));
    fl_command_free(&cmd);
}

Test(errors, step_names_and_text)
{
    cr_assert_str_eq(fl_step_name(FL_STEP_CHDIR), "chdir");
    cr_assert_str_eq(fl_step_name(FL_STEP_EXEC), "exec");
    cr_assert_str_eq(fl_step_name((enum fl_step)999), "unknown step");
    struct fl_error err = {.code = ENOENT, .step = FL_STEP_DUP2, .in_child = true, .stream = 1};
    char text[128];
    cr_assert_str_eq(fl_error_text(&err, text, sizeof text),
                     "dup2 of stdout in the child: No such file or directory");
    struct fl_error none = {.stream = -1};
    cr_assert_str_eq(fl_error_text(&none, text, sizeof text), "no error");
}

Test(errors, success_clears_the_last_error)
{
    struct fl_command *cmd = fl_command_new("true");
    fl_command_cwd(cmd, "/nonexistent");
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), -ENOENT);
    fl_command_cwd(cmd, "/");
    cr_assert_eq(fl_command_status(cmd, &status), 0);
    cr_assert_eq(fl_command_error(cmd)->code, 0);
    cr_assert_str_eq(fl_command_strerror(cmd), "no error");
    fl_command_free(&cmd);
}
