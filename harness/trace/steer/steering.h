/* When to hold a task at its stop. A steered schedule (trace/steer/schedule.h)
 * holds some process while others move on, to make an unlucky interleaving
 * happen on purpose; every schedule holds a process at its exit until the
 * kernel has settled what the exit leaves behind. The holds themselves,
 * what each waits for and when it ends, are trace/steer/holds.h's. */
#ifndef FORKLAB_STEERING_H
#define FORKLAB_STEERING_H

#include "trace/tracer_state.h"

#include <signal.h>
#include <stdbool.h>

/* The most time the holds of one steered run may take in all (at most a
 * quarter of the run's timeout); then it runs on unsteered. */
#define STEERING_BUDGET_MS 1500

/* For the stop handlers (trace/tracer_stops.c). Each returns true when it
 * keeps the task at its stop: the handler must then not resume it. */

/* sigchld_held: a parent with a SIGCHLD handler, at the delivery of SIGCHLD
 * for a child's end, while other children of its still run. */
bool steer_at_sigchld(struct tracer *tracer, struct traced_process *task, const siginfo_t *info);
/* sigchld_held: a child of a parent with a SIGCHLD handler begins to exit.
 * Its end of file and its SIGCHLD reach the parent only after this stop, so
 * the parent is interrupted now, to be held at the stop that answers
 * (steer_at_interrupt) while more children exit: otherwise a parent that
 * sees the end of file first may exit before any SIGCHLD is delivered. */
void steer_at_child_exit(struct tracer *tracer, struct traced_process *child);
/* The stop that answers that interrupt: holds the parent. */
bool steer_at_interrupt(struct tracer *tracer, struct traced_process *task);
/* child_first: a parent at its fork of `child` (not a thread, not vfork). */
bool steer_at_fork(struct tracer *tracer, struct traced_process *task,
                   struct traced_process *child);
/* parent_first: a new child before its first instruction. */
bool steer_at_start(struct tracer *tracer, struct traced_process *child);
/* reader_late: a program that starts with a pipe's read end on stdin. */
bool steer_at_exec(struct tracer *tracer, struct traced_process *task);
/* Every schedule: a process at its exit stop (its last task exiting) while
 * children of its that already exited are collected (so that the kernel,
 * not the order in which the tracer reads exits, decides whether each one
 * is reaped or left a zombie), and while the readers of a pipe it held
 * through an idle call settle (for fd_leak's evidence). */
bool hold_at_exit(struct tracer *tracer, struct traced_process *task,
                  struct traced_process *process);
#endif
