/* wait.c: waiting for a child and signalling it, always through its pidfd.
 * A pid is only a number the kernel hands out again once the child is reaped;
 * a pidfd names this one process for as long as we hold it. */
#include "internal.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Collects the child's exit status (blocking or not) and gives back its pidfd:
 * from here on the child is gone for good and kill() has nothing to aim at.
 * Returns 0, -EAGAIN (still running, !block) or -errno. */
int fl__reap(struct fl_child *child, bool block)
{
    if (child->reaped)
        return 0;
    siginfo_t info = {0};
    int options = WEXITED | (block ? 0 : WNOHANG);
    if (FL_RETRY(waitid(P_PIDFD, (id_t)child->pidfd, &info, options)) < 0)
        return -errno;
    if (info.si_pid == 0) /* WNOHANG and still running */
        return -EAGAIN;
    child->status = fl__status_from_siginfo(&info);
    child->reaped = true;
    close(child->pidfd);
    child->pidfd = -1;
    return 0;
}

/* Reaps the child (blocking or not) and fills *status; a failure is recorded
 * on the child. */
static int reap_into(struct fl_child *child, bool block, struct fl_status *status)
{
    int rc = fl__reap(child, block);
    if (rc < 0)
        return fl__child_fail(child, -rc, FL_STEP_WAIT, -1);
    if (status)
        *status = child->status;
    return 0;
}

int fl_child_wait(struct fl_child *child, struct fl_status *status)
{
    /* A child reading stdin until EOF would wait for us while we wait for it. */
    fl_child_close_fd(child, FL_STDIN);
    return reap_into(child, true, status);
}

int fl_child_try_wait(struct fl_child *child, struct fl_status *status)
{
    return reap_into(child, false, status);
}

long long fl__now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Waits until the pidfd is readable (the child exited) or timeout_ms passed;
 * a signal interrupting poll does not restart the whole timeout. */
static int wait_exit_ms(int pidfd, int timeout_ms)
{
    long long deadline = fl__now_ms() + timeout_ms;
    for (;;) {
        struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
        long long left = deadline - fl__now_ms();
        int n = poll(&pfd, 1, left > 0 ? (int)left : 0);
        if (n > 0)
            return 0;
        if (n == 0)
            return -ETIMEDOUT;
        if (errno != EINTR)
            return -errno;
    }
}

int fl_child_wait_timeout(struct fl_child *child, int timeout_ms, struct fl_status *status)
{
    if (timeout_ms < 0)
        return fl__child_fail(child, EINVAL, FL_STEP_ARGS, -1);
    if (!child->reaped) {
        int rc = wait_exit_ms(child->pidfd, timeout_ms);
        if (rc < 0)
            return fl__child_fail(child, -rc, FL_STEP_WAIT, -1);
    }
    /* The pidfd turns readable when the child exits, but under a tracer
     * (forklab check, strace, gdb) the parent may reap only after the tracer
     * has seen the exit: a WNOHANG reap here could still find nothing. The
     * child has exited, so a blocking reap returns at once, or as soon as
     * the tracer lets go. */
    return reap_into(child, true, status);
}

/* Returns 0 or -errno, recording nothing. */
static int send_signal(struct fl_child *child, int sig)
{
    if (child->reaped)
        return -ESRCH;
    if (syscall(SYS_pidfd_send_signal, child->pidfd, sig, NULL, 0) == 0)
        return 0;
    /* ENOSYS: Linux before 5.1, or valgrind 3.19, which lacks the call. The
     * pid is still safe to use here: we have not reaped the child, and an
     * unreaped child's pid is never handed out again (unless the caller
     * reaps behind our back with wait(-1) or SIGCHLD set to SIG_IGN). */
    if (errno == ENOSYS && kill(child->pid, sig) == 0)
        return 0;
    return -errno;
}

int fl_child_kill(struct fl_child *child, int sig)
{
    int rc = send_signal(child, sig);
    return rc < 0 ? fl__child_fail(child, -rc, FL_STEP_SIGNAL, -1) : 0;
}

/* Sends sig; a child that has exited already (-ESRCH: a zombie still to be
 * reaped) is no failure here. */
static int send_unless_exited(struct fl_child *child, int sig)
{
    int rc = send_signal(child, sig);
    if (rc < 0 && rc != -ESRCH)
        return fl__child_fail(child, -rc, FL_STEP_SIGNAL, -1);
    return 0;
}

/* Like reproc_stop: ask politely, give it time to clean up, then insist. */
int fl_child_stop(struct fl_child *child, int grace_ms, struct fl_status *status)
{
    if (grace_ms < 0)
        return fl__child_fail(child, EINVAL, FL_STEP_ARGS, -1);
    if (!child->reaped) {
        int rc = send_unless_exited(child, SIGTERM);
        if (rc < 0)
            return rc;
        rc = wait_exit_ms(child->pidfd, grace_ms);
        if (rc == -ETIMEDOUT) {
            rc = send_unless_exited(child, SIGKILL);
            if (rc < 0)
                return rc;
        } else if (rc < 0) {
            return fl__child_fail(child, -rc, FL_STEP_WAIT, -1);
        }
    }
    return reap_into(child, true, status);
}
