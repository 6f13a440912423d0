/* The parser of valgrind's text log: memcheck's leak records, the descriptors
 * --track-fds lists at exit, and close() warnings, for every process. */
#ifndef FORKLAB_VALGRIND_LOG_H
#define FORKLAB_VALGRIND_LOG_H

#include "valgrind/output.h"

#include <stddef.h>

/* Adds what the log `text` (length bytes, need not be NUL-terminated) says to
 * `output`. Every line of a valgrind log starts with ==PID==, so one log that
 * a whole tree of processes wrote into is taken apart by pid. A truncated log
 * gives what was complete (its last process not finished). Returns 0;
 * -EBADMSG with a reason in `why` when the text has content but not a single
 * valgrind line; -ENOMEM. */
int valgrind_log_parse(const char *text, size_t length, struct valgrind_output *output, char *why,
                       size_t why_size);

#endif
