/* The schedules a target runs under: the natural one, and a fixed list of
 * steered ones. The tracer owns every stop of the target, so it can make an
 * unlucky interleaving happen on purpose instead of hoping for it: each
 * steered schedule holds some process at a stop while others move on
 * (trace/steer/steering.c). The list is fixed, with no random seed, so the same
 * program gets the same verdict on every run. */
#ifndef FORKLAB_SCHEDULE_H
#define FORKLAB_SCHEDULE_H

#include "trace/trace_run.h"

#include <stddef.h>

enum schedule {
    SCHEDULE_NATURAL,      /* nothing held: the run as the scheduler makes it */
    SCHEDULE_SIGCHLD_HELD, /* a parent's SIGCHLD is held while more of its children exit */
    SCHEDULE_CHILD_FIRST,  /* after a fork, the child runs to its end before the parent goes on */
    SCHEDULE_PARENT_FIRST, /* after a fork, the parent runs until it waits before the child starts
                            */
    SCHEDULE_READER_LATE,  /* a program with a pipe on stdin starts once its writers wait */
    SCHEDULE_EXIT_LAST,    /* parent_first, but a parent exits only after its children */
    SCHEDULE_COUNT
};

/* "natural", "sigchld_held", "child_first", "parent_first", "reader_late",
 * "exit_last". */
const char *schedule_name(enum schedule schedule);

/* What the schedule does, in one line ("SIGCHLD held while more children
 * exit"). */
const char *schedule_summary(enum schedule schedule);

/* What a finding that the schedule shows tells the student to change, in
 * one sentence ("One SIGCHLD may stand for several exits: ..."). */
const char *schedule_advice(enum schedule schedule);

/* One hold of a steered run as a student reads it: "SIGCHLD held in pid 12
 * (./pool) until its 3 other children had exited, then delivered once". */
void steering_fact_describe(const struct steering_fact *fact, char *text, size_t size);

#endif
