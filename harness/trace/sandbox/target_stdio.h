/* The target's standard descriptors: stdin from a file or /dev/null, and
 * the pipes that capture its stdout and stderr. */
#ifndef FORKLAB_TARGET_STDIO_H
#define FORKLAB_TARGET_STDIO_H

#include <stddef.h>

struct target_stdio {
    int in;             /* the child's stdin */
    int out[2], err[2]; /* pipes: [0] the harness reads, [1] the child writes */
};

/* Opens `stdin_path` (NULL: /dev/null) and the two pipes, every descriptor
 * >= 3. Returns 0, or a negative errno with a one-line reason in `why`
 * (then nothing is left open). */
int target_stdio_open(struct target_stdio *stdio, const char *stdin_path, char *why,
                      size_t why_size);

#endif
