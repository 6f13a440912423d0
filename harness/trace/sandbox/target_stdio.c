/* The target's standard descriptors: stdin from a file (--stdin) or
 * /dev/null, stdout and stderr into two pipes the harness reads. All are
 * opened close-on-exec; the child dup2()s them onto 0, 1 and 2, which
 * clears the flag on those copies only. */
#include "trace/sandbox/target_stdio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The descriptors handed to the child must not be 0, 1 or 2 (possible when
 * the harness itself runs with those closed): dup2 onto 0-2 would then
 * clobber one with another. */
static int move_above_stdio(int *fd)
{
    if (*fd > 2)
        return 0;
    int moved = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
    if (moved < 0)
        return -errno;
    close(*fd);
    *fd = moved;
    return 0;
}

static void close_if_open(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void target_stdio_close(struct target_stdio *stdio)
{
    close_if_open(&stdio->in);
    for (int i = 0; i < 2; i++) {
        close_if_open(&stdio->out[i]);
        close_if_open(&stdio->err[i]);
    }
}

int target_stdio_open(struct target_stdio *stdio, const char *stdin_path, char *why,
                      size_t why_size)
{
    stdio->in = stdio->out[0] = stdio->out[1] = stdio->err[0] = stdio->err[1] = -1;
    const char *input = stdin_path != NULL ? stdin_path : "/dev/null";
    do
        stdio->in = open(input, O_RDONLY | O_CLOEXEC);
    while (stdio->in < 0 && errno == EINTR);
    if (stdio->in < 0) {
        int error = -errno;
        snprintf(why, why_size, "cannot open %s for the program's stdin: %s", input,
                 strerror(errno));
        return error;
    }
    if (pipe2(stdio->out, O_CLOEXEC) < 0 || pipe2(stdio->err, O_CLOEXEC) < 0) {
        int error = -errno;
        snprintf(why, why_size, "cannot create the output pipes: %s", strerror(errno));
        target_stdio_close(stdio);
        return error;
    }
    int *fds[] = {&stdio->in, &stdio->out[0], &stdio->out[1], &stdio->err[0], &stdio->err[1]};
    for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
        int error = move_above_stdio(fds[i]);
        if (error < 0) {
            snprintf(why, why_size, "cannot set up the program's stdio: %s", strerror(-error));
            target_stdio_close(stdio);
            return error;
        }
    }
    return 0;
}
