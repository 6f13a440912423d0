/* Tasks the tracer keeps at a stop instead of resuming them: the list of
 * holds, what each one waits for, and what its release does (the list of
 * when each ends is at the top of holds.c). trace/steer/steering.c decides when
 * to hold; the loop (trace/tracer.c) reviews the holds after every event,
 * and every few milliseconds while there are some. No hold can hang the
 * target: each ends after HOLD_MAX_MS at the longest. */
#ifndef FORKLAB_HOLDS_H
#define FORKLAB_HOLDS_H

#include "trace/tracer_state.h"

#include <stdbool.h>

/* The longest one hold lasts (at most an eighth of the run's timeout). */
#define HOLD_MAX_MS 500

/* A new hold of `task` at its stop, of `kind` (enum hold_kind or
 * HOLD_EXIT); NULL when out of memory (a lost fact: the run goes unsteered
 * there). The caller fills in what it waits for. */
struct hold *hold_add(struct tracer *tracer, struct traced_process *task, int kind);
/* A schedule's point came, and what its hold would wait for was so
 * already: the run followed the schedule without holding. */
void hold_note_unheld(struct tracer *tracer, struct traced_process *task, int kind);

/* Whether a task of `process` is held. */
bool holds_process(const struct tracer *tracer, const struct traced_process *process);
/* A held task died (SIGKILL reaches a task at any stop): forget its hold. */
void holds_forget(struct tracer *tracer, const struct traced_process *task);
/* Releases every hold that is done, resuming its task. */
void holds_review(struct tracer *tracer);
/* Forgets every hold, without resuming (the run is being killed), noting
 * what each steering hold did. */
void holds_drop_all(struct tracer *tracer);

#endif
