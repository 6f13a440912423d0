/* The holds of the tracer: the list, what each hold waits for, and what
 * its release does. Every hold is a schedule the kernel could have made by
 * itself (a process not scheduled for a while, signals that coalesce
 * because the parent did not run between two exits), so a finding a
 * steered run shows is one a real run can show.
 *
 * When a hold ends, exactly:
 * - sigchld_held: a new child is held as for parent_first (so the children
 *   all start, and end, once the parent waits: whether a child ends before
 *   its parent's next fork is not left to luck). A parent with a SIGCHLD
 *   handler is held from the first exit of a child of its (interrupted at
 *   that child's exit stop, before the child's end of file or SIGCHLD can
 *   reach it, and held at the stop that answers; or held at the delivery
 *   of SIGCHLD, whichever comes first) until every other child of it has
 *   been collected, or each one not collected waits on something
 *   that is not time nor a child of its own (a pipe, pause, a lock, a
 *   stop). Then SIGCHLD is delivered once: the held signal, or, when
 *   another SIGCHLD is pending by then, that one alone (several exits, one
 *   delivery: what coalescing does).
 * - child_first: when the child has been collected, or waits as above.
 * - parent_first: when the parent has exited and been collected, or waits
 *   on anything but time (a child, a pipe, a signal, a lock, a stop).
 * - exit_last: a new child as for parent_first, but released as soon as
 *   the parent reaches its exit; the parent's exit then waits until every
 *   child has been collected, or waits as for sigchld_held; and as at any
 *   exit, below.
 * - reader_late: when each writer of the pipe exits or waits on anything but
 *   time (a full pipe, its child, ...).
 * - at an exit: when the children that had exited are collected, and each
 *   reader of the watched pipes exits or waits on anything but time.
 * A process held itself counts as waiting, for every hold but those that
 * wait down the process tree (a SIGCHLD, a fork, an exit_last exit): so no
 * two holds can wait for each other. And any hold ends after HOLD_MAX_MS (a child that
 * runs for ever, a parent that spins); a steered run stops steering once
 * its holds took STEERING_BUDGET_MS (trace/steer/steering.h). */
#include "trace/steer/holds.h"
#include "core/clock.h"
#include "trace/exit_readers.h"
#include "trace/proc/blocked_on.h"
#include "trace/proc/proc_status.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* How often a hold looks in /proc at the processes it waits for. */
#define HOLD_LOOK_MS 5

static long at_most(long value, long cap)
{
    return value < cap ? value : cap;
}

static struct hold *hold_of(const struct tracer *tracer, const struct traced_process *task)
{
    for (size_t i = 0; i < tracer->hold_count; i++)
        if (tracer->holds[i].task == task)
            return &tracer->holds[i];
    return NULL;
}

bool holds_process(const struct tracer *tracer, const struct traced_process *process)
{
    for (size_t i = 0; i < tracer->hold_count; i++)
        if (trace_run_process_of(tracer->run, tracer->holds[i].task) == process)
            return true;
    return false;
}

/* A new hold of `task`, or NULL (out of memory: a lost fact, as the run
 * then goes unsteered where it should have been steered). */
struct hold *hold_add(struct tracer *tracer, struct traced_process *task, int kind)
{
    if (tracer->hold_count == tracer->hold_capacity) {
        size_t wanted = tracer->hold_capacity ? tracer->hold_capacity * 2 : 8;
        struct hold *grown = realloc(tracer->holds, wanted * sizeof(*grown));
        if (grown == NULL) {
            trace_run_note(tracer->run, -ENOMEM);
            return NULL;
        }
        tracer->holds = grown;
        tracer->hold_capacity = wanted;
    }
    long now = clock_now_ms();
    struct hold *hold = &tracer->holds[tracer->hold_count++];
    *hold = (struct hold){.task = task,
                          .kind = kind,
                          .since_ms = now,
                          .until_ms = now + at_most(HOLD_MAX_MS, tracer->run->timeout_ms / 8),
                          .next_look_ms = now};
    return hold;
}

static void remove_hold(struct tracer *tracer, struct hold *hold)
{
    free(hold->watched);
    size_t index = (size_t)(hold - tracer->holds);
    memmove(hold, hold + 1, (tracer->hold_count - index - 1) * sizeof(*hold));
    tracer->hold_count--;
}

void holds_forget(struct tracer *tracer, const struct traced_process *task)
{
    struct hold *hold = hold_of(tracer, task);
    if (hold != NULL)
        remove_hold(tracer, hold);
}

/* Records what a steering hold did; for sigchld_held, returns the signal
 * to deliver: SIGCHLD, or 0 when another SIGCHLD is pending by now (the
 * held one stands for the same exits). */
static int note_steering(struct tracer *tracer, const struct hold *hold, enum hold_end end,
                         long now)
{
    struct trace_run *run = tracer->run;
    struct traced_process *process = trace_run_process_of(run, hold->task);
    tracer->steering_spent_ms += now - hold->since_ms;
    struct steering_fact fact = {.kind = (enum hold_kind)hold->kind,
                                 .pid = process->pid,
                                 .program = process->program,
                                 .end = end,
                                 .all_exited = traced_process_live_children(process) == 0,
                                 .seq = ++run->seq};
    if (hold->subject != NULL) {
        fact.other = hold->subject->pid;
        fact.other_program = hold->subject->program;
    }
    int signo = 0;
    if (hold->kind == HOLD_SIGCHLD) {
        fact.children_exited = (unsigned)traced_process_ended_children(process);
        struct proc_status status;
        fact.coalesced = proc_status_read(hold->task->pid, &status) == 0 &&
                         (status.pending & SIGNAL_BIT(SIGCHLD));
        /* Held at the delivery: the held signal, unless one is pending. */
        signo = hold->signo == SIGCHLD && !fact.coalesced ? SIGCHLD : 0;
    }
    trace_run_note(run, trace_run_add_steering(run, &fact));
    return signo;
}

/* A schedule's point came, and what its hold would wait for was so
 * already: the run followed the schedule without holding. */
void hold_note_unheld(struct tracer *tracer, struct traced_process *task, int kind)
{
    long now = clock_now_ms();
    note_steering(tracer, &(struct hold){.task = task, .kind = kind, .since_ms = now},
                  HOLD_END_DONE, now);
}

void holds_drop_all(struct tracer *tracer)
{
    long now = clock_now_ms();
    for (size_t i = 0; i < tracer->hold_count; i++) {
        const struct hold *hold = &tracer->holds[i];
        /* A new child whose parent exited waited for just that. */
        bool done = hold->kind == HOLD_NEW_CHILD && hold->subject->exit_seq != 0;
        if (hold->kind != HOLD_EXIT)
            note_steering(tracer, hold, done ? HOLD_END_DONE : HOLD_END_RUN_ENDED, now);
        free(tracer->holds[i].watched);
    }
    tracer->hold_count = 0;
}

/* What a process of the run does now. A process the tracer holds is
 * stopped (`*held` says so); one at a ptrace stop the tracer has not read
 * yet runs (it is resumed as soon as it is read); one with several threads
 * runs (another thread may move on). */
static enum activity activity_of(const struct tracer *tracer, const struct traced_process *process,
                                 bool *held)
{
    *held = false;
    if (process->state == TASK_GONE || process->exit_seq != 0)
        return ACTIVITY_GONE;
    if (holds_process(tracer, process)) {
        *held = true;
        return ACTIVITY_STOPPED;
    }
    if (process->state == TASK_NEW || traced_process_has_live_threads(process))
        return ACTIVITY_RUNS;
    enum activity activity;
    if (blocked_on_activity(process->pid, &activity) < 0)
        return ACTIVITY_RUNS;
    if (activity == ACTIVITY_STOPPED && process->group_stop_signal == 0)
        return ACTIVITY_RUNS;
    return activity;
}

/* Whether a process the hold waits on has settled: it cannot move on by
 * itself any more. `down` holds (sigchld_held, child_first) wait for a
 * child to end, so a child's own wait for its children, or a hold of it,
 * still counts as moving on. */
static bool has_settled(const struct tracer *tracer, const struct traced_process *process,
                        bool down)
{
    bool held;
    switch (activity_of(tracer, process, &held)) {
    case ACTIVITY_GONE:
    case ACTIVITY_BLOCKED:
        return true;
    case ACTIVITY_STOPPED:
        return !(down && held);
    case ACTIVITY_WAITS_CHILD:
        return !down;
    case ACTIVITY_RUNS:
    case ACTIVITY_SLEEPS:
        return false;
    }
    return false;
}

/* Whether every child of `process` not yet collected has settled. */
static bool children_settled(const struct tracer *tracer, const struct traced_process *process)
{
    for (size_t i = 0; i < process->fork_count; i++) {
        const struct traced_process *child = process->forks[i].child;
        if (child->is_thread || child->state == TASK_GONE || child->parent_now != process->pid)
            continue;
        if (child->exit_seq != 0 || !has_settled(tracer, child, true))
            return false; /* still running, or exiting: collected soon */
    }
    return true;
}

static bool watched_settled(const struct tracer *tracer, const struct hold *hold)
{
    for (size_t i = 0; i < hold->watched_count; i++) {
        const struct traced_process *process = trace_run_find(tracer->run, hold->watched[i]);
        if (process != NULL && !has_settled(tracer, process, false))
            return false;
    }
    return true;
}

/* Whether the hold is over, and how. The cheap tests (a collection, an
 * exit) every time; a look in /proc every HOLD_LOOK_MS. */
static bool hold_done(const struct tracer *tracer, struct hold *hold, long now, enum hold_end *end)
{
    const struct traced_process *process = trace_run_process_of(tracer->run, hold->task);
    bool look = now >= hold->next_look_ms;
    if (look)
        hold->next_look_ms = now + HOLD_LOOK_MS;
    *end = HOLD_END_DONE;
    bool done = false;
    switch (hold->kind) {
    case HOLD_SIGCHLD:
        if (traced_process_live_children(process) == 0)
            return true;
        done = look && children_settled(tracer, process);
        break;
    case HOLD_AFTER_FORK:
        if (hold->subject->state == TASK_GONE)
            return true;
        done = look && hold->subject->exit_seq == 0 && has_settled(tracer, hold->subject, true);
        break;
    case HOLD_NEW_CHILD:
        /* An exiting parent: under parent_first the child starts once it is
         * gone, an orphan; under exit_last right away, while the parent's
         * exit waits for it. */
        if (hold->subject->state == TASK_GONE ||
            (hold->subject->exit_seq != 0 && tracer->config->schedule == SCHEDULE_EXIT_LAST))
            return true;
        done = look && hold->subject->exit_seq == 0 && has_settled(tracer, hold->subject, false);
        break;
    case HOLD_READER:
        done = look && watched_settled(tracer, hold);
        break;
    case HOLD_EXIT_LAST:
        if (traced_process_live_children(process) > 0 &&
            !(look && children_settled(tracer, process)))
            break;
        /* then as at any exit */
        __attribute__((fallthrough));
    case HOLD_EXIT:
        if (!traced_process_exited_children_collected(process))
            break;
        if (hold->watched_count == 0)
            return true;
        done = look && watched_settled(tracer, hold);
        break;
    }
    if (done) {
        *end = HOLD_END_OTHERS_WAIT;
        return true;
    }
    if (now >= hold->until_ms) {
        *end = HOLD_END_TIME;
        return true;
    }
    return false;
}

static void release(struct tracer *tracer, struct hold *hold, enum hold_end end, long now)
{
    struct traced_process *process = trace_run_process_of(tracer->run, hold->task);
    if (hold->kind == HOLD_EXIT || hold->kind == HOLD_EXIT_LAST) {
        exit_note_waiting_readers(tracer, hold, process);
        traced_process_orphan_children(process, tracer->run->orphan_reaper);
    }
    int signo = hold->kind == HOLD_EXIT ? 0 : note_steering(tracer, hold, end, now);
    tracer_resume(hold->task, signo);
}

void holds_review(struct tracer *tracer)
{
    long now = clock_now_ms();
    for (size_t i = 0; i < tracer->hold_count;) {
        struct hold *hold = &tracer->holds[i];
        enum hold_end end;
        if (!hold_done(tracer, hold, now, &end)) {
            i++;
            continue;
        }
        release(tracer, hold, end, now);
        remove_hold(tracer, hold);
    }
}
