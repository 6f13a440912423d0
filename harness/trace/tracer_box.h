/* The tracer and the box (trace/sandbox/box.h): the box's pids seen from
 * outside, and what its init reports, turned into the facts of the run.
 * Shared by the event loop and the stop handlers (trace/tracer_box.c). */
#ifndef FORKLAB_TRACER_BOX_H
#define FORKLAB_TRACER_BOX_H

#include "trace/tracer_state.h"

#include <sys/types.h>

/* The box's init, or 0 when the target runs outside a box. */
pid_t tracer_box_init(const struct tracer *tracer);
/* Notes a new process's pid in the box (the kernel shows the target pids
 * of its own namespace: a signal's sender, the child it waits for). */
void tracer_note_pid_in_box(struct tracer *tracer, struct traced_process *process);
/* The process a pid of the box names, as our namespace numbers it: itself
 * without a box, 0 when no process of the run has it. A negative pid (a
 * process group, named by its leader) stays negative. */
pid_t tracer_pid_outside_box(const struct tracer *tracer, pid_t pid);
/* Takes the init's reports of what it reaped: before each death is handled. */
void tracer_take_box_reports(struct tracer *tracer);
/* At the end of the run: stops the init, takes its last reports and the
 * zombies it holds, and what the kernel's limits did. */
void tracer_settle_box(struct tracer *tracer);

#endif
