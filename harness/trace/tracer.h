/* The tracer: runs the target under ptrace and records what happens into a
 * struct trace_run. It is also where containment happens: the deadline, the
 * process limit, and the end of the run, when every process still there is
 * killed and reaped. It decides nothing about findings. */
#ifndef FORKLAB_TRACER_H
#define FORKLAB_TRACER_H

#include "core/process.h"
#include "trace/sandbox/box.h"
#include "trace/sandbox/target_spawn.h"
#include "trace/steer/schedule.h"
#include "trace/trace_run.h"

#include <stdbool.h>
#include <stddef.h>

struct tracer_config {
    /* What to start; tracer_run closes its stdin/stdout/stderr descriptors
     * once the child has its copies. */
    const struct target_spawn *spawn;
    struct box *box; /* the box to start it in (box_start); NULL: target_spawn, no box */
    int stdout_read, stderr_read; /* the harness's ends of the output pipes (taken over) */
    size_t output_cap;
    struct captured_output *out, *err;
    long timeout_ms;
    long max_procs;
    enum schedule schedule; /* the interleaving to steer the run into */
    bool strict_fds;        /* also record what each process had open at its start */
};

/* Runs the target to its end and fills `run`. The calling thread becomes
 * the tracer (ptrace answers to it alone); the process must be a child
 * subreaper with no other children (it waits for any child; the box's init
 * is one of ours), and must
 * leave SIGRTMIN to the tracer for the run. Returns 0, or a negative errno
 * when the target could not be started. */
int tracer_run(const struct tracer_config *config, struct trace_run *run);

#endif
