/* communicate.c: feed a child's stdin while draining its stdout and stderr, all
 * at once with poll. Doing them one after the other deadlocks as soon as one
 * pipe fills: the child blocks writing stderr while we block reading stdout. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* One exchange with a child: the input still to write, and what its stdout
 * and stderr pipes gave so far. */
struct exchange {
    struct fl_child *child;
    const char *next; /* the input not written yet */
    size_t left;
    bool writing, raised_epipe;
    struct fl__capture captures[3];
    bool had_pipe[3];
    enum fl_step failed_step;
    int failed_stream;
};

static void exchange_start(struct exchange *x, struct fl_child *child, const void *input,
                           size_t len)
{
    *x = (struct exchange){
        .child = child,
        .next = input,
        .left = len,
        .writing = child->fds[FL_STDIN] >= 0 && len > 0,
        .had_pipe = {false, child->fds[FL_STDOUT] >= 0, child->fds[FL_STDERR] >= 0},
        .failed_stream = -1};
    for (int s = FL_STDOUT; s <= FL_STDERR; s++)
        fl__capture_init(&x->captures[s], child->fds[s], child->output_limit);
}

/* Milliseconds left until `deadline` (CLOCK_MONOTONIC, in ms), 0 when it is
 * past; -1 (wait for ever) when there is none. */
static int left_until(long long deadline)
{
    if (deadline < 0)
        return -1;
    long long left = deadline - fl__now_ms();
    return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* Writes the input and reads both pipes, each as it is ready, until all the
 * pipes are closed, or until `deadline` (see left_until) passes. Returns 0,
 * -ETIMEDOUT, or a negative errno with the failed step and stream noted. */
static int exchange_run(struct exchange *x, long long deadline)
{
    struct fl_child *child = x->child;
    for (;;) {
        struct pollfd pfds[3];
        int which[3];
        int n = 0;
        if (x->writing) {
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
            return 0;
        if (n == 1 && which[0] != FL_STDIN && deadline < 0) {
            /* One stream left and no deadline: a plain blocking read needs no poll. */
            pfds[0].revents = POLLIN;
        } else {
            int ready = poll(pfds, (nfds_t)n, left_until(deadline));
            if (ready < 0 && errno == EINTR)
                continue;
            if (ready < 0) {
                x->failed_step = FL_STEP_READ;
                return -errno;
            }
            if (ready == 0)
                return -ETIMEDOUT;
        }

        for (int i = 0; i < n; i++) {
            int s = which[i];
            if (pfds[i].revents == 0)
                continue;
            if (s == FL_STDIN) {
                ssize_t w = FL_RETRY(write(child->fds[FL_STDIN], x->next, x->left));
                if (w > 0) {
                    x->next += w;
                    x->left -= (size_t)w;
                } else if (w < 0 && errno == EPIPE) {
                    x->raised_epipe = true; /* the child stopped reading: drop the rest */
                    x->left = 0;
                } else if (w < 0 && errno != EAGAIN) {
                    x->failed_step = FL_STEP_WRITE;
                    x->failed_stream = FL_STDIN;
                    return -errno;
                }
                if (x->left == 0) {
                    x->writing = false;
                    fl_child_close_fd(child, FL_STDIN);
                }
                continue;
            }
            ssize_t got = fl__capture_read(&x->captures[s]);
            if (got == 0) {
                fl_child_close_fd(child, s);
            } else if (got < 0) {
                x->failed_step = FL_STEP_READ;
                x->failed_stream = s;
                return (int)got;
            }
        }
    }
}

/* Moves what each pipe gave into *out. Returns 0 or a negative errno. */
static int exchange_finish(struct exchange *x, struct fl_output *out)
{
    for (int s = FL_STDOUT; s <= FL_STDERR; s++) {
        if (!x->had_pipe[s])
            continue;
        char **data = s == FL_STDOUT ? &out->out : &out->err;
        size_t *data_len = s == FL_STDOUT ? &out->out_len : &out->err_len;
        bool *truncated = s == FL_STDOUT ? &out->out_truncated : &out->err_truncated;
        int rc = fl__capture_finish(&x->captures[s], data, data_len, truncated);
        if (rc < 0) {
            x->failed_step = FL_STEP_READ;
            x->failed_stream = s;
            return rc;
        }
    }
    return 0;
}

/* Gives up the exchange after `rc` (negative): nothing is kept. */
static int exchange_fail(struct exchange *x, struct fl_output *out, int rc)
{
    for (int s = FL_STDOUT; s <= FL_STDERR; s++)
        fl__capture_discard(&x->captures[s]);
    fl_output_free(out);
    return fl__child_fail(x->child, -rc, x->failed_step, x->failed_stream);
}

int fl_child_communicate(struct fl_child *child, const void *input, size_t len,
                         struct fl_output *out)
{
    memset(out, 0, sizeof *out);
    if (len > 0 && child->fds[FL_STDIN] < 0)
        return fl__child_fail(child, EINVAL, FL_STEP_WRITE, FL_STDIN);

    struct exchange x;
    exchange_start(&x, child, input, len);
    bool guarded = x.writing;
    struct sigpipe_guard guard;
    if (guarded) {
        sigpipe_block(&guard);
        int flags = fcntl(child->fds[FL_STDIN], F_GETFL);
        fcntl(child->fds[FL_STDIN], F_SETFL, flags | O_NONBLOCK);
    } else {
        fl_child_close_fd(child, FL_STDIN); /* nothing to say: EOF at once */
    }
    int rc = exchange_run(&x, -1);
    if (guarded)
        sigpipe_restore(&guard, x.raised_epipe);
    if (rc == 0) {
        rc = fl__reap(child, true);
        if (rc < 0)
            x.failed_step = FL_STEP_WAIT;
    }
    if (rc == 0)
        rc = exchange_finish(&x, out);
    if (rc < 0)
        return exchange_fail(&x, out, rc);
    out->status = child->status;
    return 0;
}

int fl_child_read_output(struct fl_child *child, int timeout_ms, struct fl_output *out)
{
    memset(out, 0, sizeof *out);
    if (timeout_ms < 0)
        return fl__child_fail(child, EINVAL, FL_STEP_READ, -1);
    long long deadline = fl__now_ms() + timeout_ms;

    struct exchange x;
    exchange_start(&x, child, NULL, 0);
    int rc = exchange_run(&x, deadline);
    /* Whatever came by the deadline is the caller's; the pipes are done. */
    for (int s = FL_STDOUT; s <= FL_STDERR; s++)
        fl_child_close_fd(child, s);
    int kept = rc == 0 || rc == -ETIMEDOUT ? exchange_finish(&x, out) : 0;
    if (kept < 0 || (rc < 0 && rc != -ETIMEDOUT))
        return exchange_fail(&x, out, kept < 0 ? kept : rc);
    if (rc == -ETIMEDOUT)
        return fl__child_fail(child, ETIMEDOUT, FL_STEP_READ, -1);
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
