/* test_read_output.c: fl_child_read_output() reads a child's output to end
 * of file, or gives up at its time limit with what came, and leaves the
 * child itself to the caller (not reaped, so its group can still be killed). */
#include "helpers.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* A child that prints a line on each stream, then holds its output open
 * until its stdin ends: it ends only when the test closes stdin. */
static struct fl_child *spawn_holder(size_t output_limit)
{
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "echo first; echo err >&2; cat >/dev/null; echo last");
    fl_command_stdio(cmd, FL_STDIN, FL_PIPE);
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    fl_command_stdio(cmd, FL_STDERR, FL_PIPE);
    if (output_limit > 0)
        fl_command_output_limit(cmd, output_limit);
    struct fl_child *child = NULL;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0, "%s", fl_command_strerror(cmd));
    fl_command_free(&cmd);
    return child;
}

Test(read_output, gives_up_at_the_limit_with_what_came)
{
    struct fl_child *child = spawn_holder(0);
    struct fl_output out;
    /* The child cannot end while its stdin is open: only the limit ends this. */
    cr_assert_eq(fl_child_read_output(child, 300, &out), -ETIMEDOUT);
    cr_expect_eq(fl_child_error(child)->code, ETIMEDOUT);
    cr_assert_not_null(out.out);
    cr_expect_str_eq(out.out, "first\n");
    cr_expect_str_eq(out.err, "err\n");
    cr_expect_lt(fl_child_fd(child, FL_STDOUT), 0, "the pipes are closed either way");
    /* Not reaped: the caller decides, here by ending its input. */
    struct fl_status status;
    cr_expect_eq(fl_child_try_wait(child, &status), -EAGAIN);
    fl_child_close_fd(child, FL_STDIN);
    cr_assert_eq(fl_child_wait(child, &status), 0);
    fl_output_free(&out);
    fl_child_free(&child);
}

Test(read_output, reads_to_the_end_without_reaping)
{
    struct fl_child *child = spawn_holder(0);
    fl_child_close_fd(child, FL_STDIN); /* it may end now */
    struct fl_output out;
    cr_assert_eq(fl_child_read_output(child, 60000, &out), 0);
    cr_expect_str_eq(out.out, "first\nlast\n");
    cr_expect_str_eq(out.err, "err\n");
    /* The child is a zombie until the caller reaps it: its pid is still its. */
    cr_expect_eq(kill(fl_child_pid(child), 0), 0);
    struct fl_status status;
    cr_assert_eq(fl_child_wait(child, &status), 0);
    cr_expect_eq(fl_status_code(status), 0);
    fl_output_free(&out);
    fl_child_free(&child);
}

Test(read_output, keeps_no_more_than_the_limit)
{
    struct fl_child *child = spawn_holder(3);
    fl_child_close_fd(child, FL_STDIN);
    struct fl_output out;
    cr_assert_eq(fl_child_read_output(child, 60000, &out), 0);
    cr_expect_str_eq(out.out, "fir");
    cr_expect(out.out_truncated);
    struct fl_status status;
    cr_assert_eq(fl_child_wait(child, &status), 0);
    fl_output_free(&out);
    fl_child_free(&child);
}

Test(read_output, a_negative_limit_is_refused)
{
    struct fl_child *child = spawn_holder(0);
    struct fl_output out;
    cr_expect_eq(fl_child_read_output(child, -1, &out), -EINVAL);
    fl_child_close_fd(child, FL_STDIN);
    cr_assert_eq(fl_child_wait_with_output(child, &out), 0);
    fl_output_free(&out);
    fl_child_free(&child);
}
