/* When a parent reaps a child: the target's wait4() and waitid() calls stop
 * at their entry (the seccomp filter) and again at their exit, where the
 * tracer reads which child the call collected. That is the reap event of
 * the child's timeline; the gap between its exit and it is the time the
 * child spent as a zombie. */
#ifndef FORKLAB_REAP_STOP_H
#define FORKLAB_REAP_STOP_H

#include "trace/tracer_internal.h"

#include <stdint.h>

/* At the entry of wait4 or waitid (system call `nr`): keeps the arguments
 * and resumes the task up to the call's exit. */
void tracer_on_wait_entry(struct traced_process *task, long nr, const uint64_t *args);

/* At the exit of that call: notes the reap of the child it collected, if
 * it collected one (not a stop report, not WNOWAIT, not WNOHANG's empty
 * answer). The caller resumes the task. */
void tracer_on_wait_exit(struct tracer *tracer, struct traced_process *task, long nr);

#endif
