/* The output reader thread: poll on the two pipes and a stop eventfd. It
 * touches only the two captures, which nobody else reads until it is
 * joined, so it needs no lock. */
#include "trace/output/output_thread.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

static void *read_until_stopped(void *argument)
{
    struct output_thread *reader = argument;
    while (reader->out->fd >= 0 || reader->err->fd >= 0) {
        /* A capture at end of file has fd -1, which poll skips. */
        struct pollfd fds[3] = {
            {.fd = reader->stop_fd, .events = POLLIN},
            {.fd = reader->out->fd, .events = POLLIN},
            {.fd = reader->err->fd, .events = POLLIN},
        };
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[0].revents)
            break;
        /* A read error leaves the pipe for output_thread_finish to close. */
        if (fds[1].revents && output_capture_read(reader->out) < 0)
            output_capture_stop(reader->out);
        if (fds[2].revents && output_capture_read(reader->err) < 0)
            output_capture_stop(reader->err);
    }
    return NULL;
}

int output_thread_start(struct output_thread *reader, struct output_capture *out,
                        struct output_capture *err)
{
    *reader = (struct output_thread){.out = out, .err = err, .stop_fd = -1};
    reader->stop_fd = eventfd(0, EFD_CLOEXEC);
    if (reader->stop_fd < 0)
        return -errno;
    /* Signals are the tracer thread's business (its deadline timer): the
     * new thread inherits this mask, blocking all of them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int error = pthread_create(&reader->thread, NULL, read_until_stopped, reader);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (error != 0) {
        close(reader->stop_fd);
        reader->stop_fd = -1;
        return -error;
    }
    reader->running = true;
    return 0;
}

void output_thread_finish(struct output_thread *reader)
{
    if (reader->running) {
        uint64_t one = 1;
        while (write(reader->stop_fd, &one, sizeof(one)) < 0 && errno == EINTR)
            ;
        pthread_join(reader->thread, NULL);
        reader->running = false;
    }
    if (reader->stop_fd >= 0)
        close(reader->stop_fd);
    reader->stop_fd = -1;
    if (reader->out == NULL)
        return; /* never started */
    /* Every writer is gone by now, unless one escaped: read what is in the
     * pipes (a bounded amount per call), then close them. */
    output_capture_read(reader->out);
    output_capture_read(reader->err);
    output_capture_stop(reader->out);
    output_capture_stop(reader->err);
}
