/* The valgrind pass of `forklab check --valgrind`: a second run of the target
 * under memcheck whose memory and descriptor findings merge into the report. */
#ifndef FORKLAB_VALGRIND_H
#define FORKLAB_VALGRIND_H

#include "check.h"
#include "report.h"

#include <stddef.h>

/* Runs the target of `options` under valgrind and merges its findings into
 * `report` (memory_leak; fd_leak and bad_close marked as confirmed where the
 * tracer found them too), and records which valgrind checks ran. Returns 0,
 * or a negative errno with a one-line reason in `why` (valgrind missing,
 * unusable output). */
int valgrind_pass(const struct check_options *options, struct report *report, char *why,
                  size_t why_size);

#endif
