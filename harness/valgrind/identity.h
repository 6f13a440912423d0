/* Who a process of the valgrind run is: the program it ran and, when that
 * is certain, its pid in the traced run (the two runs have different pids). */
#ifndef FORKLAB_VALGRIND_IDENTITY_H
#define FORKLAB_VALGRIND_IDENTITY_H

#include "core/report.h"
#include "valgrind/output.h"

#include <stdbool.h>
#include <sys/types.h>

/* The last component of a path. */
const char *valgrind_base_name(const char *path);

/* The program a process ran. A forked child prints no preamble in the text
 * log: when only one program ran under valgrind it is that one; otherwise
 * the nearest program started before it (pids grow), and *inferred is set.
 * NULL when no program is known at all. */
const char *valgrind_program_of(const struct valgrind_output *output,
                                const struct valgrind_process *process, bool *inferred);

/* A forked child runs its parent's program: the text log prints no preamble
 * for it, the XML one with the parent's pid as ppid and the same program. */
bool valgrind_is_fork_copy(const struct valgrind_output *output,
                           const struct valgrind_process *process);

/* The pid the traced run gave the same process, when that is certain: the
 * main program's is the report's main pid; another's when exactly one traced
 * process ran `program` the same way (exec'd it, or forked without exec).
 * Else the pid of the valgrind run. */
pid_t valgrind_traced_pid(const struct report *report, const struct valgrind_output *output,
                          const struct valgrind_process *process, pid_t valgrind_main,
                          const char *program);

#endif
