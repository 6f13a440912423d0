/* The timeline of a traced run: the tracer notes each fork, exec, exit,
 * timeout and reap of a process with the time it saw it and, where the
 * stop allows, the process's whole descriptor table then. Observing only:
 * the rules read the older facts (fds_after_exec, fds_at_exit), which the
 * same table read fills. */
#ifndef FORKLAB_RUN_EVENTS_H
#define FORKLAB_RUN_EVENTS_H

#include "trace/trace_run.h"

/* µs since the run started (run->start_us), on CLOCK_MONOTONIC. */
long trace_run_now_us(const struct trace_run *run);

/* The access of a descriptor from its open flags (-1: unknown). */
enum fd_access fd_access_of_flags(int flags);

/* Notes an event of `process` now, without a table. A failed append counts
 * as a lost fact. Returns the event, or NULL. */
struct process_event *trace_note_event(struct trace_run *run, struct traced_process *process,
                                       enum process_event_kind kind, unsigned long seq);

/* Notes that `process` was reaped, by `by` (0: forklab), unless a reap was
 * noted already. */
void trace_note_reap(struct trace_run *run, struct traced_process *process, pid_t by);

/* Notes an event with the table of `tid` (the process's task that stopped),
 * every descriptor from 0, and appends those >= 3 to *facts (the facts the
 * fd_leak rule reads) when `facts` is not NULL. A process gone meanwhile
 * gets its event without a table. */
void trace_note_event_with_fds(struct trace_run *run, struct traced_process *process, pid_t tid,
                               enum process_event_kind kind, unsigned long seq,
                               struct fd_fact **facts, size_t *fact_count);

#endif
