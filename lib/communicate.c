/* communicate.c: feed a child's stdin while draining its stdout and stderr, all
 * at once with poll. Doing them one after the other deadlocks as soon as one
 * pipe fills: the child blocks writing stderr while we block reading stdout. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* SIGPIPE protection for this thread while it writes the child's stdin: a
 * child that exits without reading everything must cost us an EPIPE, not our
 * life. The signal is blocked, and consumed if our write raised it. */
struct sigpipe_guard {
    sigset_t old_mask;
    bool was_pending;
};

static void sigpipe_block(struct sigpipe_guard *guard)
{
    sigset_t pipe_only, pending;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &guard->old_mask);
    sigpending(&pending);
    guard->was_pending = sigismember(&pending, SIGPIPE);
}

static void sigpipe_restore(struct sigpipe_guard *guard, bool raised)
{
    if (raised && !guard->was_pending) {
        sigset_t pipe_only;
        sigemptyset(&pipe_only);
        sigaddset(&pipe_only, SIGPIPE);
        struct timespec now = {0};
        FL_RETRY(sigtimedwait(&pipe_only, NULL, &now));
    }
    pthread_sigmask(SIG_SETMASK, &guard->old_mask, NULL);
}

int fl_child_communicate(struct fl_child *child, const void *input, size_t len,
                         struct fl_output *out)
{
    memset(out, 0, sizeof *out);
    if (len > 0 && child->fds[FL_STDIN] < 0)
        return fl__child_fail(child, EINVAL, FL_STEP_WRITE, FL_STDIN);

    struct fl__capture captures[3];
    for (int s = FL_STDOUT; s <= FL_STDERR; s++)
        fl__capture_init(&captures[s], child->fds[s], child->output_limit);
    bool had_pipe[3] = {false, child->fds[FL_STDOUT] >= 0, child->fds[FL_STDERR] >= 0};

    const char *next = input;
    size_t left = len;
    bool writing = child->fds[FL_STDIN] >= 0 && left > 0;
    bool raised_epipe = false;
    bool guarded = writing;
    struct sigpipe_guard guard;
    if (guarded) {
        sigpipe_block(&guard);
        int flags = fcntl(child->fds[FL_STDIN], F_GETFL);
        fcntl(child->fds[FL_STDIN], F_SETFL, flags | O_NONBLOCK);
    } else {
        fl_child_close_fd(child, FL_STDIN); /* nothing to say: EOF at once */
    }

    int rc = 0;
    enum fl_step failed_step = FL_STEP_NONE;
    int failed_stream = -1;
    for (;;) {
        struct pollfd pfds[3];
        int which[3];
        int n = 0;
        if (writing) {
            pfds[n] = (struct pollfd){.fd = child->fds[FL_STDIN], .events = POLLOUT};
            which[n++] = FL_STDIN;
        }
        for (int s = FL_STDOUT; s <= FL_STDERR; s++) {
            if (child->fds[s] >= 0) {
                pfds[n] = (struct pollfd){.fd = child->fds[s], .events = POLLIN};
                which[n++] = s;
            }
        }
        if (n == 0)
            break;
        if (n == 1 && which[0] != FL_STDIN) {
            /* One stream left: a plain blocking read needs no poll. */
            pfds[0].revents = POLLIN;
        } else if (poll(pfds, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            failed_step = FL_STEP_READ;
            break;
        }

        for (int i = 0; i < n && rc == 0; i++) {
            int s = which[i];
            if (pfds[i].revents == 0)
                continue;
            if (s == FL_STDIN) {
                ssize_t w = FL_RETRY(write(child->fds[FL_STDIN], next, left));
                if (w > 0) {
                    next += w;
                    left -= (size_t)w;
                } else if (w < 0 && errno == EPIPE) {
                    raised_epipe = true; /* the child stopped reading: drop the rest */
                    left = 0;
                } else if (w < 0 && errno != EAGAIN) {
                    rc = -errno;
                    failed_step = FL_STEP_WRITE;
                    failed_stream = FL_STDIN;
                }
                if (left == 0) {
                    writing = false;
                    fl_child_close_fd(child, FL_STDIN);
                }
                continue;
            }
            ssize_t got = fl__capture_read(&captures[s]);
            if (got == 0) {
                fl_child_close_fd(child, s);
            } else if (got < 0) {
                rc = (int)got;
                failed_step = FL_STEP_READ;
                failed_stream = s;
            }
        }
        if (rc < 0)
            break;
    }

    if (guarded)
        sigpipe_restore(&guard, raised_epipe);
    if (rc == 0) {
        rc = fl__reap(child, true);
        if (rc < 0)
            failed_step = FL_STEP_WAIT;
    }
    for (int s = FL_STDOUT; s <= FL_STDERR && rc == 0; s++) {
        if (!had_pipe[s])
            continue;
        char **data = s == FL_STDOUT ? &out->out : &out->err;
        size_t *data_len = s == FL_STDOUT ? &out->out_len : &out->err_len;
        bool *truncated = s == FL_STDOUT ? &out->out_truncated : &out->err_truncated;
        rc = fl__capture_finish(&captures[s], data, data_len, truncated);
        if (rc < 0) {
            failed_step = FL_STEP_READ;
            failed_stream = s;
        }
    }
    if (rc < 0) {
        for (int s = FL_STDOUT; s <= FL_STDERR; s++)
            fl__capture_discard(&captures[s]);
        fl_output_free(out);
        return fl__child_fail(child, -rc, failed_step, failed_stream);
    }
    out->status = child->status;
    return 0;
}

int fl_child_wait_with_output(struct fl_child *child, struct fl_output *out)
{
    return fl_child_communicate(child, NULL, 0, out);
}

void fl_output_free(struct fl_output *out)
{
    if (!out)
        return;
    free(out->out);
    free(out->err);
    memset(out, 0, sizeof *out);
}
