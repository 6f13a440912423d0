/* child.c: the child handle: who it is, the caller's ends of its pipes, and
 * releasing it without ever leaving a zombie behind. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

pid_t fl_child_pid(const struct fl_child *child)
{
    return child->pid;
}

int fl_child_pidfd(struct fl_child *child)
{
    if (child->reaped)
        return fl__child_fail(child, ESRCH, FL_STEP_FD, -1);
    return child->pidfd;
}

/* The caller's end of stream's pipe, or a recorded -errno. */
static int pipe_end(struct fl_child *child, int stream)
{
    if (stream < FL_STDIN || stream > FL_STDERR)
        return fl__child_fail(child, EINVAL, FL_STEP_FD, -1);
    if (child->fds[stream] < 0)
        return fl__child_fail(child, EBADF, FL_STEP_FD, stream);
    return child->fds[stream];
}

int fl_child_fd(struct fl_child *child, int stream)
{
    return pipe_end(child, stream);
}

int fl_child_take_fd(struct fl_child *child, int stream)
{
    int fd = pipe_end(child, stream);
    if (fd >= 0)
        child->fds[stream] = -1;
    return fd;
}

int fl_child_close_fd(struct fl_child *child, int stream)
{
    if (stream < FL_STDIN || stream > FL_STDERR)
        return fl__child_fail(child, EINVAL, FL_STEP_FD, -1);
    if (child->fds[stream] >= 0) {
        /* Not retried on EINTR: Linux has freed the number either way, and a
         * second close could hit a descriptor another thread just opened. */
        close(child->fds[stream]);
        child->fds[stream] = -1;
    }
    return 0;
}

bool fl__valid_release(enum fl_release policy, int grace_ms)
{
    return (policy == FL_RELEASE_STOP || policy == FL_RELEASE_KILL || policy == FL_RELEASE_WAIT) &&
           grace_ms >= 0;
}

int fl_child_release(struct fl_child *child, enum fl_release policy, int grace_ms)
{
    if (!fl__valid_release(policy, grace_ms))
        return fl__child_fail(child, EINVAL, FL_STEP_ARGS, -1);
    child->release = policy;
    child->grace_ms = grace_ms;
    return 0;
}

void fl_child_free(struct fl_child **childp)
{
    struct fl_child *child = childp ? *childp : NULL;
    if (!child)
        return;
    /* Closing its pipes first lets a well-behaved child finish by itself: EOF
     * on stdin, EPIPE or SIGPIPE on its next write. */
    for (int stream = 0; stream < 3; stream++)
        fl_child_close_fd(child, stream);
    if (!child->reaped) {
        switch (child->release) {
        case FL_RELEASE_KILL:
            fl_child_kill(child, SIGKILL);
            fl__reap(child, true);
            break;
        case FL_RELEASE_WAIT:
            fl__reap(child, true);
            break;
        case FL_RELEASE_STOP:
        default:
            fl_child_stop(child, child->grace_ms, NULL);
            break;
        }
        /* Only if the policy's own calls failed: no zombie, whatever it takes. */
        if (!child->reaped && fl_child_kill(child, SIGKILL) == 0)
            fl__reap(child, true);
    }
    if (child->pidfd >= 0)
        close(child->pidfd);
    free(child);
    *childp = NULL;
}
