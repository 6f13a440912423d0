/* What the tracer's event loop (trace/tracer.c) and its stop handlers
 * (trace/tracer_stops.c) share: the phase of the run, the counts that decide
 * when it ends, and the few acts on a task every handler needs. The loop
 * includes the handlers and this; the handlers include only this, so they
 * record facts and report back through this state, never by calling up into
 * the loop. Not for files outside trace/. */
#ifndef FORKLAB_TRACER_STATE_H
#define FORKLAB_TRACER_STATE_H

#include "trace/deadline_timer.h"
#include "trace/output/output_capture.h"
#include "trace/output/output_thread.h"
#include "trace/tracer.h"

#include <stdbool.h>
#include <sys/types.h>

enum tracer_phase {
    PHASE_RUNNING,     /* the main program runs */
    PHASE_MAIN_EXITED, /* main exited: finding out which processes still run */
    PHASE_TIMED_OUT,   /* past the deadline: looking until each is seen where it waits */
    PHASE_KILLING      /* everything left is being killed and reaped */
};

/* A task the tracer keeps at a stop instead of resuming it
 * (trace/steer/holds.h): HOLD_SIGCHLD .. HOLD_EXIT_LAST steer the run, HOLD_EXIT
 * lets the kernel settle what a process's exit leaves behind. */
enum { HOLD_EXIT = HOLD_EXIT_LAST + 1 };

struct hold {
    struct traced_process *task;    /* held at a stop */
    int kind;                       /* enum hold_kind, or HOLD_EXIT */
    int signo;                      /* to deliver at the release (SIGCHLD) */
    struct traced_process *subject; /* the child (after fork), the parent (new child) */
    pid_t *watched;                 /* the writers (reader), the readers (exit) */
    size_t watched_count;
    long since_ms, until_ms, next_look_ms;
};

struct tracer {
    const struct tracer_config *config;
    struct trace_run *run;
    enum tracer_phase phase;
    struct deadline_timer deadline;
    struct output_capture out, err; /* read by `output` until the run ends */
    struct output_thread output;
    long start_ms; /* CLOCK_MONOTONIC, in ms */
    long kill_deadline_ms;
    long settle_until_ms; /* PHASE_TIMED_OUT ends by then at the latest */
    size_t tasks_live;    /* records not yet collected */
    size_t awaiting_classification;
    struct hold *holds; /* tasks kept at a stop, in the order they were held */
    size_t hold_count, hold_capacity;
    long steering_spent_ms; /* time spent in steering holds: the run's budget */
    bool polling; /* holds exist, or the run is settling: the timer wakes the loop often */
};

/* Whether the run is ending: killing has begun, or the process limit was
 * just passed and the loop will begin it. A new task is killed, not run. */
bool tracer_ending(const struct tracer *tracer);

/* Resumes a stopped task, keeping a group-stopped one stopped (LISTEN). */
void tracer_resume(struct traced_process *task, int signo);
/* Sends SIGKILL to the task's process; a live one counts as killed by us. */
void tracer_kill_task(struct traced_process *task);

/* Counts a new process toward the limit; when the limit is passed, sets
 * run->limit_hit (the loop then kills the tree). */
void tracer_count_new_process(struct tracer *tracer);
/* A process's pid is free again (reaped); it no longer counts to the limit. */
void tracer_release_process(struct tracer *tracer, struct traced_process *process);

/* Reads a process's signal sets and threads as it is still running (at the
 * timeout, or at main's exit), for the evidence of why it did not end. */
void tracer_note_signals(struct traced_process *process);

#endif
