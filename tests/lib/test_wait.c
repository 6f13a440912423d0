/* test_wait.c: wait, try_wait, wait with timeout, kill, stop escalation, and
 * releasing a child: never a zombie, never a signal to a reaped pid. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* `cat` with a stdin pipe: it runs exactly until we close that pipe. */
static struct fl_child *spawn_cat(struct fl_command **cmd)
{
    *cmd = fl_command_new("cat");
    fl_command_stdio(*cmd, FL_STDIN, FL_PIPE);
    fl_command_stdio(*cmd, FL_STDOUT, FL_NULL);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(*cmd, &child), 0);
    return child;
}

/* lib-term in the given mode, returned once its SIGTERM disposition is set. */
static struct fl_child *spawn_term(struct fl_command **cmd, const char *mode)
{
    *cmd = fl_command_new(FIXTURE("lib-term"));
    fl_command_arg(*cmd, mode);
    fl_command_stdio(*cmd, FL_STDOUT, FL_PIPE);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(*cmd, &child), 0);
    char ready;
    cr_assert_eq(read(fl_child_fd(child, FL_STDOUT), &ready, 1), 1);
    return child;
}

static void assert_no_children(void)
{
    int zombies;
    int children = children_of_self(&zombies);
    cr_assert_eq(children, 0, "%d children left, %d zombies", children, zombies);
}

Test(wait, try_wait_and_timeout_while_running)
{
    struct fl_command *cmd;
    struct fl_child *child = spawn_cat(&cmd);
    struct fl_status status = {.how = FL_EXITED, .code = 99};
    cr_assert_eq(fl_child_try_wait(child, &status), -EAGAIN);
    cr_assert_eq(status.code, 99, "status untouched while running");
    cr_assert_eq(fl_child_error(child)->code, EAGAIN);
    cr_assert_eq(fl_child_error(child)->step, FL_STEP_WAIT);
    cr_assert_eq(fl_child_wait_timeout(child, 20, &status), -ETIMEDOUT);
    cr_assert_eq(fl_child_error(child)->code, ETIMEDOUT);
    cr_assert_eq(fl_child_wait_timeout(child, -1, &status), -EINVAL);
    cr_assert_eq(fl_child_error(child)->step, FL_STEP_ARGS);
    cr_assert_geq(fl_child_pidfd(child), 0);
    fl_child_close_fd(child, FL_STDIN);
    cr_assert_eq(fl_child_wait_timeout(child, 60000, &status), 0);
    cr_assert(fl_status_success(status));
    cr_assert_eq(fl_child_pidfd(child), -ESRCH, "the pidfd goes with the reap");
    fl_child_free(&child);
    fl_command_free(&cmd);
    assert_no_children();
}

Test(wait, wait_closes_stdin_first)
{
    hang_guard(120);
    /* Without that, this wait would never return: cat waits for EOF. */
    struct fl_command *cmd;
    struct fl_child *child = spawn_cat(&cmd);
    struct fl_status status;
    cr_assert_eq(fl_child_wait(child, &status), 0);
    cr_assert(fl_status_success(status));
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(wait, waiting_twice_returns_the_same_status)
{
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "exit 5");
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    struct fl_status first, second, third;
    cr_assert_eq(fl_child_wait(child, &first), 0);
    cr_assert_eq(fl_child_wait(child, &second), 0);
    cr_assert_eq(fl_child_try_wait(child, &third), 0);
    cr_assert_eq(first.code, 5);
    cr_assert_eq(second.code, 5);
    cr_assert_eq(third.code, 5);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(wait, kill_goes_through_the_pidfd)
{
    struct fl_command *cmd;
    struct fl_child *child = spawn_cat(&cmd);
    cr_assert_eq(fl_child_kill(child, SIGUSR1), 0);
    struct fl_status status;
    cr_assert_eq(fl_child_wait(child, &status), 0);
    cr_assert_eq(fl_status_signal(status), SIGUSR1);
    cr_assert_eq(fl_child_kill(child, SIGKILL), -ESRCH, "reaped: nothing to signal");
    fl_child_free(&child);
    fl_command_free(&cmd);
}

/* The real danger of kill(pid) after a reap: the pid now names someone else.
 * Force the reuse through ns_last_pid (needs privilege; skipped otherwise). */
Test(wait, kill_after_reap_never_hits_a_reused_pid)
{
    struct fl_command *cmd;
    struct fl_child *first = spawn_cat(&cmd);
    pid_t old_pid = fl_child_pid(first);
    cr_assert_eq(fl_child_wait(first, NULL), 0);

    struct fl_child *second = NULL;
    for (int attempt = 0; attempt < 20; attempt++) {
        int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            break;
        char text[32];
        int len = snprintf(text, sizeof text, "%d", old_pid - 1);
        ssize_t n = write(fd, text, (size_t)len);
        close(fd);
        if (n != len)
            break;
        cr_assert_eq(fl_command_spawn(cmd, &second), 0);
        if (fl_child_pid(second) == old_pid)
            break;
        fl_child_free(&second); /* someone else took the pid first: again */
    }
    if (!second) {
        fl_child_free(&first);
        fl_command_free(&cmd);
        cr_skip_test("cannot force pid reuse here (needs CAP_SYS_ADMIN)");
    }
    cr_assert_eq(fl_child_kill(first, SIGKILL), -ESRCH);
    /* The new process with the old pid is untouched: still running... */
    cr_assert_eq(fl_child_try_wait(second, NULL), -EAGAIN);
    /* ...and it ends the normal way, at EOF, not by our SIGKILL. */
    struct fl_status status;
    cr_assert_eq(fl_child_wait(second, &status), 0);
    cr_assert(fl_status_success(status));
    fl_child_free(&first);
    fl_child_free(&second);
    fl_command_free(&cmd);
}

Test(wait, stop_escalates_to_sigkill)
{
    hang_guard(120);
    struct fl_command *cmd;
    struct fl_child *child = spawn_term(&cmd, "ignore");
    struct fl_status status;
    cr_assert_eq(fl_child_stop(child, 100, &status), 0);
    cr_assert_eq(fl_status_signal(status), SIGKILL, "SIGTERM is ignored: only SIGKILL works");
    fl_child_free(&child);
    fl_command_free(&cmd);
    assert_no_children();
}

Test(wait, stop_tries_sigterm_first)
{
    hang_guard(120);
    struct fl_command *cmd;
    struct fl_child *child = spawn_term(&cmd, "exit");
    struct fl_status status;
    cr_assert_eq(fl_child_stop(child, 60000, &status), 0);
    cr_assert_eq(fl_status_code(status), 7, "the SIGTERM handler ran");
    /* Stopping a reaped child just reports its status again. */
    cr_assert_eq(fl_child_stop(child, 0, &status), 0);
    cr_assert_eq(fl_status_code(status), 7);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(wait, releasing_a_running_child_reaps_it)
{
    hang_guard(120);
    struct fl_command *cmd = fl_command_new("sleep");
    fl_command_arg(cmd, "1000");
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    int zombies;
    cr_assert_eq(children_of_self(&zombies), 1);
    fl_child_free(&child);
    cr_assert_null(child);
    fl_child_free(&child); /* twice: harmless */
    assert_no_children();
    fl_command_free(&cmd);
}

Test(wait, releasing_an_exited_child_reaps_the_zombie)
{
    struct fl_command *cmd = fl_command_new("true");
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    /* Wait for the exit without reaping: the pidfd turns readable. */
    struct pollfd pfd = {.fd = fl_child_pidfd(child), .events = POLLIN};
    cr_assert_eq(poll(&pfd, 1, -1), 1);
    int zombies;
    cr_assert_eq(children_of_self(&zombies), 1);
    cr_assert_eq(zombies, 1, "exited and not yet reaped: a zombie");
    fl_child_free(&child);
    assert_no_children();
    fl_command_free(&cmd);
}

Test(wait, release_policy_kill)
{
    hang_guard(120);
    struct fl_command *cmd;
    struct fl_child *child = spawn_term(&cmd, "ignore");
    fl_child_free(&child);
    fl_command_free(&cmd);
    assert_no_children();
    /* Same child under FL_RELEASE_KILL: no grace period at all. */
    cmd = fl_command_new(FIXTURE("lib-term"));
    fl_command_arg(cmd, "ignore");
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    cr_assert_eq(fl_command_release(cmd, FL_RELEASE_KILL, 0), 0);
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    fl_child_free(&child);
    assert_no_children();
    fl_command_free(&cmd);
}

/* A shell that finishes its work (writes DIR/done) only once its stdin hits
 * EOF, i.e. once the release has closed the pipe; done_file() says whether
 * it got that far. */
struct finisher {
    char *dir;
    char done[4096];
    struct fl_command *cmd;
};

static void finisher_new(struct finisher *f)
{
    f->dir = make_temp_dir();
    snprintf(f->done, sizeof f->done, "%s/done", f->dir);
    f->cmd = fl_command_new("sh");
    fl_command_arg(f->cmd, "-c");
    char script[4200];
    snprintf(script, sizeof script, "cat >/dev/null; echo finished > %s", f->done);
    fl_command_arg(f->cmd, script);
    fl_command_stdio(f->cmd, FL_STDIN, FL_PIPE);
}

static bool finisher_finished(struct finisher *f)
{
    bool finished = access(f->done, F_OK) == 0;
    fl_command_free(&f->cmd);
    remove_tree(f->dir);
    free(f->dir);
    return finished;
}

Test(wait, release_policy_wait_lets_the_child_finish)
{
    hang_guard(120);
    struct finisher f;
    finisher_new(&f);
    cr_assert_eq(fl_command_release(f.cmd, FL_RELEASE_WAIT, 0), 0);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(f.cmd, &child), 0);
    fl_child_free(&child);
    assert_no_children();
    cr_assert(finisher_finished(&f), "the child was not stopped: it finished its work");
}

/* The command's policy is only the default: this child is killed at once
 * although its command says to wait for it (and it would never end). */
Test(wait, release_policy_per_child_kill)
{
    hang_guard(120);
    struct fl_command *cmd = fl_command_new("sleep");
    fl_command_arg(cmd, "1000");
    cr_assert_eq(fl_command_release(cmd, FL_RELEASE_WAIT, 0), 0);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    cr_assert_eq(fl_child_release(child, FL_RELEASE_KILL, 0), 0);
    fl_child_free(&child);
    assert_no_children();
    fl_command_free(&cmd);
}

/* And the other way round: its command says kill, this child is waited for. */
Test(wait, release_policy_per_child_wait)
{
    hang_guard(120);
    struct finisher f;
    finisher_new(&f);
    cr_assert_eq(fl_command_release(f.cmd, FL_RELEASE_KILL, 0), 0);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(f.cmd, &child), 0);
    cr_assert_eq(fl_child_release(child, FL_RELEASE_WAIT, 0), 0);
    cr_assert_eq(fl_child_release(child, FL_RELEASE_STOP, -1), -EINVAL);
    cr_assert_eq(fl_child_error(child)->step, FL_STEP_ARGS);
    fl_child_free(&child);
    assert_no_children();
    cr_assert(finisher_finished(&f), "the child was killed instead of waited for");
}

/* Under a tracer the pidfd can turn readable before the parent is allowed to
 * reap; wait_timeout must still return the status, not -EAGAIN. The fixture
 * waits 300 times under forklab's own tracer and aborts (a crash finding,
 * exit 1) if one wait fails. */
Test(wait, wait_timeout_under_a_tracer)
{
    hang_guard(120);
    struct fl_command *cmd = fl_command_new(FORKLAB_CLI);
    const char *args[] = {"check", "--", FIXTURE("lib-wait-timeout"), NULL};
    fl_command_args(cmd, args);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0, "%s", fl_command_strerror(cmd));
    cr_expect_eq(fl_status_code(out.status), 0, "forklab check said:\n%s\n%s", out.out, out.err);
    fl_output_free(&out);
    fl_command_free(&cmd);
}
