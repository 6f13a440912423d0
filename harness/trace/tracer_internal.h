/* Shared between trace/tracer.c (the event loop and containment),
 * trace/tracer_stops.c (what each ptrace stop means) and trace/tracer_box.c
 * (what the box's init reports). Not for other files. */
#ifndef FORKLAB_TRACER_INTERNAL_H
#define FORKLAB_TRACER_INTERNAL_H

#include "trace/deadline_timer.h"
#include "trace/output_capture.h"
#include "trace/output_thread.h"
#include "trace/tracer.h"

#include <stdbool.h>
#include <sys/types.h>

enum tracer_phase {
    PHASE_RUNNING,     /* the main program runs */
    PHASE_MAIN_EXITED, /* main exited: finding out which processes still run */
    PHASE_KILLING      /* everything left is being killed and reaped */
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
    size_t tasks_live; /* records not yet collected */
    size_t awaiting_classification;
};

/* trace/tracer_stops.c: handles one waitpid status. */
void tracer_on_wait_status(struct tracer *tracer, pid_t pid, int status);

/* trace/tracer.c, for the stop handlers. */
long tracer_now_ms(void);
/* Resumes a stopped task, keeping a group-stopped one stopped (LISTEN). */
void tracer_resume(struct traced_process *task, int signo);
/* Called when a process begins to exit (its last task is exiting). */
void tracer_process_exited(struct tracer *tracer, struct traced_process *process, pid_t tid,
                           int status, bool read_fds);
/* A process's pid is free again (reaped); it no longer counts to the limit. */
void tracer_mark_released(struct tracer *tracer, struct traced_process *process);
/* Counts a new process, and starts killing when the limit is passed. */
void tracer_count_new_process(struct tracer *tracer);
/* Kills every process of the run (a new one too, in PHASE_KILLING). */
void tracer_start_killing(struct tracer *tracer);
void tracer_kill_task(struct traced_process *task);
/* Reads a process's signal sets and threads as it is still running (at the
 * timeout, or at main's exit), for the evidence of why it did not end. */
void tracer_note_signals(struct traced_process *process);
/* Main's exit, as seen from one of its processes' first report after it. */
void tracer_classify(struct tracer *tracer, struct traced_process *task, bool exiting);

/* trace/tracer_box.c. The box's init, or 0 when the target runs outside a box. */
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
