/* Copies a process's timeline, descriptor tables and timeout wait from the
 * facts of the run into its report record, for the pictures of a run. */
#ifndef FORKLAB_FILL_EVENTS_H
#define FORKLAB_FILL_EVENTS_H

#include "core/report.h"
#include "trace/trace_run.h"

/* Returns 0 or -ENOMEM. */
int fill_process_events(const struct traced_process *task, struct process_record *record);

/* The capture pipe a read end belongs to, as its descriptors name it
 * ("pipe:[123]"), into `name` (size >= 32); "" when it cannot be told. */
void capture_pipe_name(int read_end, char *name, size_t size);

#endif
