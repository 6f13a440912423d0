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

int fl_child_pidfd(const struct fl_child *child)
{
    return child->pidfd;
}

static bool valid_stream(int stream)
{
    return stream >= FL_STDIN && stream <= FL_STDERR;
}

int fl_child_fd(const struct fl_child *child, int stream)
{
    return valid_stream(stream) ? child->fds[stream] : -1;
}

int fl_child_take_fd(struct fl_child *child, int stream)
{
    if (!valid_stream(stream))
        return -1;
    int fd = child->fds[stream];
    child->fds[stream] = -1;
    return fd;
}

int fl_child_close_fd(struct fl_child *child, int stream)
{
    if (!valid_stream(stream))
        return -EINVAL;
    if (child->fds[stream] >= 0) {
        /* Not retried on EINTR: Linux has freed the number either way, and a
         * second close could hit a descriptor another thread just opened. */
        close(child->fds[stream]);
        child->fds[stream] = -1;
    }
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
    }
    if (child->pidfd >= 0)
        close(child->pidfd);
    free(child);
    *childp = NULL;
}
