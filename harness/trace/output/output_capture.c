/* Reading the target's output into the report: kept up to the cap, counted
 * always, never blocking the event loop. */
#include "trace/output/output_capture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int output_capture_start(struct output_capture *capture, int fd, size_t cap,
                         struct captured_output *into)
{
    capture->fd = fd;
    capture->cap = cap;
    capture->into = into;
    into->length = 0;
    into->total = 0;
    free(into->data);
    /* The whole cap at once: simpler than growing, and 1 MiB is cheap. */
    into->data = calloc(1, cap + 1);
    if (into->data == NULL)
        return -ENOMEM;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -errno;
    return 0;
}

int output_capture_read(struct output_capture *capture)
{
    struct captured_output *into = capture->into;
    char chunk[65536];
    /* A bounded number of reads per call: a target that writes without end
     * keeps the pipe full, and the event loop has stops and a deadline to
     * look after too. */
    for (int reads = 0; capture->fd >= 0 && reads < 16; reads++) {
        ssize_t got = read(capture->fd, chunk, sizeof(chunk));
        if (got < 0) {
            if (errno == EINTR) {
                reads--;
                continue;
            }
            if (errno == EAGAIN)
                return 0;
            return -errno;
        }
        if (got == 0) {
            output_capture_stop(capture);
            return 0;
        }
        size_t room = capture->cap - into->length;
        size_t kept = (size_t)got < room ? (size_t)got : room;
        memcpy(into->data + into->length, chunk, kept);
        into->length += kept;
        into->data[into->length] = '\0';
        into->total += (size_t)got;
    }
    return 0;
}

void output_capture_stop(struct output_capture *capture)
{
    if (capture->fd >= 0)
        close(capture->fd);
    capture->fd = -1;
}
