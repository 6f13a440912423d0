/* Captures what the target writes to stdout or stderr through a pipe, up to
 * a cap. Output past the cap is still read, then dropped: if we stopped
 * reading, the target would block on a full pipe and behave differently. */
#ifndef FORKLAB_OUTPUT_CAPTURE_H
#define FORKLAB_OUTPUT_CAPTURE_H

#include "core/process.h"

#include <stdbool.h>
#include <stddef.h>

struct output_capture {
    int fd;                       /* the read end (non-blocking); -1 once at end of file */
    size_t cap;                   /* bytes kept at most */
    struct captured_output *into; /* data, length and total, in the report */
};

/* Starts capturing from `fd` into `into`. The capture owns `fd` from then
 * on, even when this fails. Returns 0 or a negative errno. */
int output_capture_start(struct output_capture *capture, int fd, size_t cap,
                         struct captured_output *into);

/* Reads whatever is ready without blocking. Returns 0, or a negative errno
 * on a read error. At end of file the descriptor is closed and fd is -1. */
int output_capture_read(struct output_capture *capture);

/* Closes the descriptor if still open (what was not read is dropped). */
void output_capture_stop(struct output_capture *capture);

#endif
