/* The tracer's stop handlers: what one waitpid status means, the facts it
 * leaves in the run record, and the resume (or kill) of the task. Called by
 * the event loop (trace/tracer.c) only. */
#ifndef FORKLAB_TRACER_STOPS_H
#define FORKLAB_TRACER_STOPS_H

#include "trace/tracer_state.h"

#include <sys/types.h>

/* Handles one waitpid status of `pid`. Main's exit shows in
 * run->main_exit_seq, a passed limit in run->limit_hit: the loop acts on
 * them after the call. */
void tracer_stops_dispatch(struct tracer *tracer, pid_t pid, int status);

#endif
