/* The valgrind pass of `forklab check --valgrind`: a second run of the target
 * under memcheck whose memory and descriptor findings merge into the report. */
#ifndef FORKLAB_VALGRIND_H
#define FORKLAB_VALGRIND_H

#include "core/report.h"
#include "valgrind/command.h"

#include <stddef.h>

/* Runs the target under valgrind and merges its findings into
 * `report` (memory_leak; fd_leak and bad_close marked as confirmed where the
 * tracer found them too), and records which valgrind checks ran:
 * "valgrind-memcheck", "valgrind-fds(log)" or "valgrind-fds(xml)"; a run that
 * timed out, crashed valgrind or left unreadable output adds a check entry
 * "valgrind-incomplete: WHY" and keeps what was found. The run is contained
 * like the traced one: own session, options->timeout_ms, stdin from
 * options->stdin_path or /dev/null, output discarded, every process it
 * started killed before returning.
 * Returns 0, or a negative errno with a one-line reason in `why`: -ENOENT when
 * valgrind is not installed, another errno when it cannot be started. */
int valgrind_pass(const struct valgrind_target *options, struct report *report, char *why,
                  size_t why_size);

/* The same with the output source chosen by the caller rather than by the
 * installed version: the tests run the XML path on valgrind 3.19 with it. */
int valgrind_pass_reading(const struct valgrind_target *options, enum valgrind_source source,
                          struct report *report, char *why, size_t why_size);

#endif
