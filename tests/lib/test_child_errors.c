/* test_child_errors.c: every call that fails returns a negative errno and
 * leaves its detail (errno, step, stream) where the caller can read it: on
 * the child handle, and on the command for output() and status(). */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct fl_child *spawn_or_fail(struct fl_command *cmd)
{
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0, "%s", fl_command_strerror(cmd));
    return child;
}

static void expect_child_error(struct fl_child *child, int code, enum fl_step step, int stream)
{
    const struct fl_error *err = fl_child_error(child);
    cr_assert_eq(err->code, code, "code %d, expected %d (%s)", err->code, code,
                 fl_child_strerror(child));
    cr_assert_eq(err->step, step, "step %s, expected %s", fl_step_name(err->step),
                 fl_step_name(step));
    cr_assert_eq(err->stream, stream, "stream %d, expected %d", err->stream, stream);
    cr_assert_not(err->in_child);
}

Test(child_errors, none_until_a_call_fails)
{
    struct fl_command *cmd = fl_command_new("true");
    struct fl_child *child = spawn_or_fail(cmd);
    cr_assert_eq(fl_child_error(child)->code, 0);
    cr_assert_str_eq(fl_child_strerror(child), "no error");
    cr_assert_eq(fl_child_wait(child, NULL), 0);
    cr_assert_eq(fl_child_error(child)->code, 0);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(child_errors, descriptors_of_streams_without_a_pipe)
{
    struct fl_command *cmd = fl_command_new("true");
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    struct fl_child *child = spawn_or_fail(cmd);

    cr_assert_eq(fl_child_fd(child, FL_STDERR), -EBADF);
    expect_child_error(child, EBADF, FL_STEP_FD, FL_STDERR);
    char expected[128];
    snprintf(expected, sizeof expected,
             "pid %d (true): getting a descriptor of stderr: Bad file descriptor",
             (int)fl_child_pid(child));
    cr_assert_str_eq(fl_child_strerror(child), expected);

    cr_assert_eq(fl_child_fd(child, 3), -EINVAL);
    expect_child_error(child, EINVAL, FL_STEP_FD, -1);
    cr_assert_eq(fl_child_take_fd(child, -1), -EINVAL);
    cr_assert_eq(fl_child_close_fd(child, 7), -EINVAL);

    int fd = fl_child_take_fd(child, FL_STDOUT);
    cr_assert_geq(fd, 0);
    cr_assert_eq(fl_child_take_fd(child, FL_STDOUT), -EBADF, "taken already");
    expect_child_error(child, EBADF, FL_STEP_FD, FL_STDOUT);
    cr_assert_eq(fl_child_close_fd(child, FL_STDOUT), 0, "closing what is gone is no error");
    close(fd);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(child_errors, after_the_reap)
{
    struct fl_command *cmd = fl_command_new("true");
    struct fl_child *child = spawn_or_fail(cmd);
    cr_assert_eq(fl_child_wait(child, NULL), 0);
    cr_assert_eq(fl_child_kill(child, SIGTERM), -ESRCH);
    expect_child_error(child, ESRCH, FL_STEP_SIGNAL, -1);
    cr_assert_eq(fl_child_pidfd(child), -ESRCH);
    expect_child_error(child, ESRCH, FL_STEP_FD, -1);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(child_errors, bad_arguments)
{
    hang_guard(120);
    struct fl_command *cmd = fl_command_new("cat");
    fl_command_stdio(cmd, FL_STDIN, FL_PIPE);
    fl_command_stdio(cmd, FL_STDOUT, FL_NULL);
    struct fl_child *child = spawn_or_fail(cmd);
    cr_assert_eq(fl_child_stop(child, -1, NULL), -EINVAL);
    expect_child_error(child, EINVAL, FL_STEP_ARGS, -1);
    cr_assert_eq(fl_child_release(child, (enum fl_release)9, 0), -EINVAL);
    expect_child_error(child, EINVAL, FL_STEP_ARGS, -1);
    fl_child_free(&child);

    fl_command_stdio(cmd, FL_STDIN, FL_NULL);
    child = spawn_or_fail(cmd);
    struct fl_output out;
    cr_assert_eq(fl_child_communicate(child, "x", 1, &out), -EINVAL, "no stdin pipe to write");
    expect_child_error(child, EINVAL, FL_STEP_WRITE, FL_STDIN);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

/* A read that fails names its stream: here the caller has put a directory
 * on the number of the stdout pipe (read gives EISDIR). */
Test(child_errors, read_failure_names_the_stream)
{
    hang_guard(120);
    struct fl_command *cmd = fl_command_new("true");
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    struct fl_child *child = spawn_or_fail(cmd);
    int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cr_assert_geq(dir, 0);
    cr_assert_geq(dup3(dir, fl_child_fd(child, FL_STDOUT), O_CLOEXEC), 0);
    close(dir);
    struct fl_output out;
    cr_assert_eq(fl_child_wait_with_output(child, &out), -EISDIR);
    expect_child_error(child, EISDIR, FL_STEP_READ, FL_STDOUT);
    cr_assert_null(out.out, "nothing to free after a failure");
    cr_assert(strstr(fl_child_strerror(child), "reading output of stdout: Is a directory"), "%s",
              fl_child_strerror(child));
    fl_child_free(&child);
    fl_command_free(&cmd);
}

/* output() and status() fail in a call on the child they made: its detail
 * lands on the command. SIGCHLD ignored makes the kernel reap children by
 * itself, so the wait finds none (ECHILD). */
Test(child_errors, output_and_status_pass_the_detail_to_the_command)
{
    hang_guard(120);
    signal(SIGCHLD, SIG_IGN);
    struct fl_command *cmd = fl_command_new("true");
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), -ECHILD);
    cr_assert_eq(fl_command_error(cmd)->step, FL_STEP_WAIT);
    cr_assert_str_eq(fl_command_strerror(cmd), "cannot run true: wait: No child processes");
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), -ECHILD);
    cr_assert_eq(fl_command_error(cmd)->step, FL_STEP_WAIT);
    fl_command_free(&cmd);
}

/* A failed setter is recorded at once, under its own name, and the first
 * one is what the spawn reports. */
Test(child_errors, failed_setter_is_named)
{
    struct fl_command *cmd = fl_command_new("true");
    cr_assert_eq(fl_command_env(cmd, "A=B", "c"), -EINVAL);
    cr_assert_eq(fl_command_error(cmd)->code, EINVAL);
    cr_assert_eq(fl_command_error(cmd)->step, FL_STEP_BUILD);
    cr_assert_str_eq(fl_command_strerror(cmd),
                     "cannot run true: building the command (fl_command_env): Invalid argument");
    cr_assert_eq(fl_command_keep_fd(cmd, 1), -EINVAL);
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), -EINVAL);
    cr_assert(strstr(fl_command_strerror(cmd), "(fl_command_env)"), "%s", fl_command_strerror(cmd));
    fl_command_free(&cmd);
}
