/* A failure's one-line reason, written into the caller's buffer, with the
 * error returned in the same breath: `return reason_set(why, why_size,
 * -EINVAL, "...", ...);`. */
#ifndef FORKLAB_REASON_H
#define FORKLAB_REASON_H

#include <stddef.h>

/* Writes the reason into `why` (nothing when it is NULL or empty) and
 * returns `error`. */
int reason_set(char *why, size_t why_size, int error, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

#endif
