/* test_fds.c: the child gets 0, 1, 2 and what was kept on purpose, nothing
 * else, whether the caller's descriptors are close-on-exec or not. */
#include "helpers.h"
#include "internal.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *probe_fds(struct fl_command *cmd, char *buf, size_t len)
{
    char *out = output_of(cmd);
    cr_assert_not_null(probe_field(out, "fds", buf, len), "%s", out);
    free(out);
    return buf;
}

Test(fds, inherited_descriptors_are_closed)
{
    /* Deliberately without O_CLOEXEC: a careless caller. */
    int file = open("/etc/hostname", O_RDONLY);
    int pipe_fds[2];
    cr_assert_eq(pipe(pipe_fds), 0);
    cr_assert_geq(file, 3);
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    char fds[256];
    cr_assert_str_eq(probe_fds(cmd, fds, sizeof fds), "0 1 2");
    fl_command_free(&cmd);
    close(file);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

Test(fds, kept_descriptor_is_passed_at_the_same_number)
{
    int cloexec = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
    int plain = open("/etc/hostname", O_RDONLY);
    int unkept = open("/etc/hostname", O_RDONLY);
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    cr_assert_eq(fl_command_keep_fd(cmd, cloexec), 0);
    cr_assert_eq(fl_command_keep_fd(cmd, plain), 0);
    cr_assert_eq(fl_command_keep_fd(cmd, plain), 0, "keeping twice is harmless");
    char expected[64], fds[256];
    snprintf(expected, sizeof expected, "0 1 2 %d %d", cloexec, plain);
    cr_assert_str_eq(probe_fds(cmd, fds, sizeof fds), expected);
    /* Keeping is the child's business: our own flag did not change. */
    cr_assert(fcntl(cloexec, F_GETFD) & FD_CLOEXEC);
    fl_command_free(&cmd);
    close(cloexec);
    close(plain);
    close(unkept);
}

Test(fds, kept_pipe_carries_data)
{
    int pipe_fds[2];
    cr_assert_eq(pipe2(pipe_fds, O_CLOEXEC), 0);
    /* /dev/fd/N rather than >&N: dash takes one-digit descriptors only. */
    char script[64];
    snprintf(script, sizeof script, "echo through-%d >/dev/fd/%d", pipe_fds[1], pipe_fds[1]);
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, script);
    fl_command_keep_fd(cmd, pipe_fds[1]);
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0);
    cr_assert(fl_status_success(status));
    close(pipe_fds[1]);
    char buf[64] = {0}, expected[64];
    cr_assert_gt(read(pipe_fds[0], buf, sizeof buf - 1), 0);
    snprintf(expected, sizeof expected, "through-%d\n", pipe_fds[1]);
    cr_assert_str_eq(buf, expected);
    close(pipe_fds[0]);
    fl_command_free(&cmd);
}

Test(fds, spawning_leaves_the_callers_table_unchanged)
{
    int before[256], after[256];
    int n_before = fds_snapshot(before, 256);
    struct fl_command *cmd = fl_command_new("cat");
    fl_command_stdio(cmd, FL_STDIN, FL_PIPE);
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    fl_command_stdio(cmd, FL_STDERR, FL_PIPE);
    for (int i = 0; i < 20; i++) {
        struct fl_child *child;
        cr_assert_eq(fl_command_spawn(cmd, &child), 0);
        struct fl_output out;
        cr_assert_eq(fl_child_communicate(child, "x", 1, &out), 0);
        cr_assert_str_eq(out.out, "x");
        fl_output_free(&out);
        fl_child_free(&child);
    }
    fl_command_free(&cmd);
    int n_after = fds_snapshot(after, 256);
    cr_assert_eq(n_before, n_after);
    cr_assert_arr_eq(before, after, (size_t)n_before * sizeof(int));
}

/* The /proc/self/fd fallback for kernels without CLOSE_RANGE_CLOEXEC, run in
 * a forked child of the test, which then execs the probe. */
static void run_marker(int (*mark)(int), int lowfd, char *fds, size_t len)
{
    int out[2];
    cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        /* Plain descriptors at 3..8, none close-on-exec. */
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        for (int fd = 3; fd <= 8; fd++)
            dup2(null, fd);
        dup2(out[1], 1);
        if (mark(lowfd) < 0)
            _exit(10);
        execl(FIXTURE("lib-probe"), "lib-probe", (char *)NULL);
        _exit(11);
    }
    close(out[1]);
    static char text[4096];
    size_t got = 0;
    ssize_t n;
    while ((n = read(out[0], text + got, sizeof text - 1 - got)) > 0)
        got += (size_t)n;
    text[got] = '\0';
    close(out[0]);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
    cr_assert_not_null(probe_field(text, "fds", fds, len), "%s", text);
}

Test(fds, proc_fallback_marks_from_lowfd)
{
    char fds[256];
    run_marker(fl__mark_cloexec_from_proc, 3, fds, sizeof fds);
    cr_assert_str_eq(fds, "0 1 2");
    /* Below lowfd, nothing is touched. */
    run_marker(fl__mark_cloexec_from_proc, 5, fds, sizeof fds);
    cr_assert_eq(strncmp(fds, "0 1 2 3 4", 9), 0, "%s", fds);
    cr_assert_eq(strlen(fds), 9, "%s", fds);
}

Test(fds, close_range_marks_from_lowfd)
{
    char fds[256];
    run_marker(fl__mark_cloexec_from, 3, fds, sizeof fds);
    cr_assert_str_eq(fds, "0 1 2");
}
