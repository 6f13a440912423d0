/* Turns what valgrind said into findings of the report: memory_leak findings,
 * and descriptor reports merged with the tracer's fd_leak and bad_close so
 * that one problem appears once, confirmed by both. */
#ifndef FORKLAB_VALGRIND_MERGE_H
#define FORKLAB_VALGRIND_MERGE_H

#include "core/report.h"
#include "valgrind/output.h"

#include <stddef.h>
#include <sys/types.h>

struct valgrind_merge_options {
    pid_t main_pid;         /* the main program's pid in the valgrind run */
    const int *allowed_fds; /* descriptors passed on purpose: never an fd_leak */
    size_t allowed_fd_count;
    int log_fd;             /* valgrind's own log descriptor (-1: none): not the program's */
    const char *output_dir; /* valgrind's output directory (NULL: none): files in it are its own */
};

/* Adds the findings of `output` to `report`:
 * - memory_leak, one per allocation site and loss kind (definitely or
 *   indirectly lost), summed over the processes that leaked it;
 * - fd_leak and bad_close: a tracer finding about the same descriptor (same
 *   number, same target once pipe and socket inode numbers are dropped, same
 *   program; pids differ between the two runs) gets "confirmed_by": ["trace",
 *   "valgrind"]; one valgrind alone saw becomes a new finding with
 *   "confirmed_by": ["valgrind"]; the tracer's others get ["trace"]. As in
 *   the tracer's rule, a leak is a descriptor that crossed an exec ("when":
 *   "exec") or a pipe or socket end still open at exit ("when": "exit").
 * A new finding carries the traced run's pid when the process maps with
 * certainty (the main program; the one traced process that ran the same
 * program the same way), else the valgrind run's; its evidence always has
 * that one as "valgrind_pid". Returns 0 or -ENOMEM. */
int valgrind_merge(struct report *report, const struct valgrind_output *output,
                   const struct valgrind_merge_options *options);

/* The two steps of valgrind_merge. Descriptors: matching, confirming and
 * adding fd_leak and bad_close findings. Leaks: memory_leak findings;
 * valgrind_main is the main program's pid in the valgrind run. */
int valgrind_merge_descriptors(struct report *report, const struct valgrind_output *output,
                               const struct valgrind_merge_options *options);
int valgrind_merge_leaks(struct report *report, const struct valgrind_output *output,
                         pid_t valgrind_main);

/* "pipe:[1234]" -> "pipe", "socket:[99]" -> "socket", anything else as it is,
 * into `buffer`; returns buffer. */
const char *valgrind_normalize_target(const char *target, char *buffer, size_t size);

#endif
