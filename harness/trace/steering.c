/* The holds of the tracer: when a handler may keep a task at its stop, what
 * each hold waits for, and what its release does. Every hold is a schedule
 * the kernel could have made by itself (a process not scheduled for a while,
 * signals that coalesce because the parent did not run between two exits),
 * so a finding a steered run shows is one a real run can show.
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
 * its holds took STEERING_BUDGET_MS. */
#include "trace/steering.h"
#include "trace/proc/blocked_on.h"
#include "trace/proc/proc_stat.h"
#include "trace/proc/proc_status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>

/* How often a hold looks in /proc at the processes it waits for. */
#define HOLD_LOOK_MS 5

static long at_most(long value, long cap)
{
    return value < cap ? value : cap;
}

/* ---- the holds ----------------------------------------------------------- */

static int note_steering(struct tracer *tracer, const struct hold *hold, enum hold_end end,
                         long now);

/* A schedule's point came, and what its hold would wait for was so
 * already: the run followed the schedule without holding. */
static void note_unheld(struct tracer *tracer, struct traced_process *task, int kind)
{
    long now = tracer_now_ms();
    note_steering(tracer, &(struct hold){.task = task, .kind = kind, .since_ms = now},
                  HOLD_END_DONE, now);
}

static struct hold *hold_of(const struct tracer *tracer, const struct traced_process *task)
{
    for (size_t i = 0; i < tracer->hold_count; i++)
        if (tracer->holds[i].task == task)
            return &tracer->holds[i];
    return NULL;
}

bool steering_holds_process(const struct tracer *tracer, const struct traced_process *process)
{
    for (size_t i = 0; i < tracer->hold_count; i++)
        if (trace_run_process_of(tracer->run, tracer->holds[i].task) == process)
            return true;
    return false;
}

/* A new hold of `task`, or NULL (out of memory: a lost fact, as the run
 * then goes unsteered where it should have been steered). */
static struct hold *add_hold(struct tracer *tracer, struct traced_process *task, int kind)
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
    long now = tracer_now_ms();
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

void steering_forget(struct tracer *tracer, const struct traced_process *task)
{
    struct hold *hold = hold_of(tracer, task);
    if (hold != NULL)
        remove_hold(tracer, hold);
}

void steering_drop_all(struct tracer *tracer)
{
    long now = tracer_now_ms();
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

/* Whether this run steers into `schedule` now: the run is not being
 * killed, and its budget is not spent. */
static bool may_steer(const struct tracer *tracer, enum schedule schedule)
{
    return tracer->config->schedule == schedule && tracer->phase != PHASE_KILLING &&
           !tracer_ending(tracer) &&
           tracer->steering_spent_ms < at_most(STEERING_BUDGET_MS, tracer->run->timeout_ms / 4);
}

/* ---- who a hold waits for ------------------------------------------------ */

/* The live processes of the run other than `except`, and `also` (exiting)
 * when not NULL. Returns how many went into `pids` (a malloc'd array; NULL
 * when out of memory). */
static size_t live_processes(const struct trace_run *run, const struct traced_process *except,
                             const struct traced_process *also, pid_t **pids)
{
    *pids = calloc(run->count + 1, sizeof(**pids));
    size_t count = 0;
    if (also != NULL && *pids != NULL)
        (*pids)[count++] = also->pid;
    for (size_t i = 0; i < run->count && *pids != NULL; i++) {
        const struct traced_process *process = run->processes[i];
        if (process != except && !process->is_thread && process->state != TASK_GONE &&
            process->exit_seq == 0)
            (*pids)[count++] = process->pid;
    }
    return count;
}

/* The children of `process` it has not been told about yet: not collected,
 * not handed to the subreaper. */
static size_t live_children(const struct traced_process *process)
{
    size_t count = 0;
    for (size_t i = 0; i < process->fork_count; i++) {
        const struct traced_process *child = process->forks[i].child;
        if (!child->is_thread && child->state != TASK_GONE && child->parent_now == process->pid)
            count++;
    }
    return count;
}

static bool has_live_threads(const struct traced_process *process)
{
    for (size_t i = 0; i < process->fork_count; i++) {
        const struct traced_process *task = process->forks[i].child;
        if (task->is_thread && task->state != TASK_GONE && task->state != TASK_EXITING)
            return true;
    }
    return false;
}

/* Its children the tracer has collected. */
static size_t ended_children(const struct traced_process *process)
{
    size_t count = 0;
    for (size_t i = 0; i < process->fork_count; i++) {
        const struct traced_process *child = process->forks[i].child;
        count += !child->is_thread && child->state == TASK_GONE;
    }
    return count;
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
    if (steering_holds_process(tracer, process)) {
        *held = true;
        return ACTIVITY_STOPPED;
    }
    if (process->state == TASK_NEW || has_live_threads(process))
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

/* Whether every child of `process` that had exited has been collected. */
static bool exited_children_collected(const struct traced_process *process)
{
    for (size_t i = 0; i < process->fork_count; i++) {
        const struct traced_process *child = process->forks[i].child;
        if (!child->is_thread && child->parent_now == process->pid && child->exit_seq != 0 &&
            child->state != TASK_GONE)
            return false;
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
        if (live_children(process) == 0)
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
        if (live_children(process) > 0 && !(look && children_settled(tracer, process)))
            break;
        /* then as at any exit */
        __attribute__((fallthrough));
    case HOLD_EXIT:
        if (!exited_children_collected(process))
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

/* ---- what an exit leaves waiting ------------------------------------------ */

/* The pipe write ends `process` went idle with and still holds at its exit,
 * having written nothing since: ends it no longer needed. Each is an entry
 * of fds_at_exit; returns how many went into `ends`. */
static size_t unneeded_write_ends(const struct traced_process *process,
                                  const struct fd_entry **ends, size_t max)
{
    const struct idle_fact *idle = &process->idle;
    if (idle->call == NULL || process->written_at_exit != idle->written)
        return 0;
    size_t count = 0;
    for (size_t i = 0; i < process->fds_at_exit_count && count < max; i++) {
        const struct fd_entry *entry = &process->fds_at_exit[i].entry;
        for (size_t j = 0; j < idle->write_end_count; j++)
            if (idle->write_ends[j].entry.fd == entry->fd &&
                strcmp(idle->write_ends[j].entry.target, entry->target) == 0) {
                ends[count++] = entry;
                break;
            }
    }
    return count;
}

/* The live processes other than `process` that hold the read end of one of
 * `ends`: into hold->watched. */
static void watch_readers(const struct tracer *tracer, const struct traced_process *process,
                          const struct fd_entry **ends, size_t end_count, struct hold *hold)
{
    pid_t *pids;
    size_t count = live_processes(tracer->run, process, NULL, &pids);
    size_t readers = 0;
    for (size_t i = 0; i < count; i++) {
        struct fd_table table;
        fd_table_init(&table);
        bool reads = false;
        if (fd_table_read(pids[i], 0, &table) == 0)
            for (size_t j = 0; j < table.count && !reads; j++)
                for (size_t k = 0; k < end_count && !reads; k++)
                    reads = strcmp(table.entries[j].target, ends[k]->target) == 0 &&
                            table.entries[j].flags >= 0 &&
                            (table.entries[j].flags & O_ACCMODE) != O_WRONLY;
        fd_table_free(&table);
        if (reads)
            pids[readers++] = pids[i];
    }
    if (readers == 0) {
        free(pids);
        return;
    }
    hold->watched = pids;
    hold->watched_count = readers;
}

/* At the end of an exit hold: which watched readers wait, in a read of one
 * of the unneeded ends' pipes, for an end of file that only this exit can
 * bring (no other process holds a write end of it). */
static void note_waiting_readers(struct tracer *tracer, const struct hold *hold,
                                 struct traced_process *process)
{
    const struct fd_entry *ends[16];
    size_t end_count = unneeded_write_ends(process, ends, 16);
    pid_t *live;
    size_t live_count = live_processes(tracer->run, NULL, process, &live);
    for (size_t i = 0; i < hold->watched_count && live != NULL; i++) {
        const struct traced_process *reader = trace_run_find(tracer->run, hold->watched[i]);
        struct blocked_on blocked;
        if (reader == NULL || steering_holds_process(tracer, reader) ||
            blocked_on_read(reader->pid, reader->group_stop_signal, &blocked) < 0 ||
            blocked.state != 'S' || blocked.fd < 0 || blocked.target.flags < 0 ||
            (blocked.target.flags & O_ACCMODE) != O_RDONLY)
            continue;
        for (size_t k = 0; k < end_count; k++) {
            if (strcmp(blocked.target.target, ends[k]->target) != 0)
                continue;
            blocked_on_find_other_end(&blocked, live, live_count);
            bool only_this = blocked.holder_count > 0;
            for (size_t h = 0; h < blocked.holder_count; h++)
                only_this = only_this && blocked.holders[h].pid == process->pid;
            if (only_this) {
                struct pipe_reader_fact fact = {.fd = ends[k]->fd,
                                                .reader = reader->pid,
                                                .reader_fd = blocked.fd,
                                                .reader_program = reader->program};
                trace_run_note(tracer->run, traced_process_add_waiting_reader(process, &fact));
            }
            break;
        }
    }
    free(live);
}

/* ---- holding and releasing ----------------------------------------------- */

/* Whether the process of task `tid` catches SIGCHLD (has a handler). */
static bool catches_sigchld(pid_t tid)
{
    struct proc_status status;
    return proc_status_read(tid, &status) == 0 && (status.caught & SIGNAL_BIT(SIGCHLD));
}

void steer_at_child_exit(struct tracer *tracer, struct traced_process *child)
{
    struct traced_process *parent = trace_run_find(tracer->run, child->parent_now);
    if (!may_steer(tracer, SCHEDULE_SIGCHLD_HELD) || child->is_thread || parent == NULL ||
        parent != child->creator || parent->exit_seq != 0 || parent->sigchld_interrupt ||
        steering_holds_process(tracer, parent) || !catches_sigchld(parent->pid))
        return;
    parent->sigchld_interrupt = true;
    ptrace(PTRACE_INTERRUPT, parent->pid, 0L, 0L);
}

bool steer_at_interrupt(struct tracer *tracer, struct traced_process *task)
{
    struct traced_process *process = trace_run_process_of(tracer->run, task);
    if (!process->sigchld_interrupt)
        return false;
    process->sigchld_interrupt = false;
    if (!may_steer(tracer, SCHEDULE_SIGCHLD_HELD) || steering_holds_process(tracer, process))
        return false;
    /* Nothing to deliver here: the SIGCHLD of the exits will be pending. */
    return add_hold(tracer, task, HOLD_SIGCHLD) != NULL;
}

bool steer_at_sigchld(struct tracer *tracer, struct traced_process *task, const siginfo_t *info)
{
    if (!may_steer(tracer, SCHEDULE_SIGCHLD_HELD) ||
        (info->si_code != CLD_EXITED && info->si_code != CLD_KILLED && info->si_code != CLD_DUMPED))
        return false;
    struct traced_process *process = trace_run_process_of(tracer->run, task);
    if (steering_holds_process(tracer, process) || !catches_sigchld(task->pid))
        return false;
    /* Held here: the interrupt asked for at a child's exit is not needed. */
    process->sigchld_interrupt = false;
    if (live_children(process) == 0) {
        /* Every child has ended already: what the hold waits for is so. */
        note_unheld(tracer, task, HOLD_SIGCHLD);
        return false;
    }
    struct hold *hold = add_hold(tracer, task, HOLD_SIGCHLD);
    if (hold == NULL)
        return false;
    hold->signo = SIGCHLD;
    return true;
}

bool steer_at_fork(struct tracer *tracer, struct traced_process *task, struct traced_process *child)
{
    if (!may_steer(tracer, SCHEDULE_CHILD_FIRST) || child->is_thread ||
        child->created_by == PROCESS_CREATED_VFORK)
        return false;
    struct hold *hold = add_hold(tracer, task, HOLD_AFTER_FORK);
    if (hold == NULL)
        return false;
    hold->subject = child;
    return true;
}

bool steer_at_start(struct tracer *tracer, struct traced_process *child)
{
    if (!(may_steer(tracer, SCHEDULE_PARENT_FIRST) || may_steer(tracer, SCHEDULE_EXIT_LAST) ||
          may_steer(tracer, SCHEDULE_SIGCHLD_HELD)) ||
        child->is_thread || child->created_by == PROCESS_CREATED_VFORK || child->creator == NULL)
        return false;
    struct hold *hold = add_hold(tracer, child, HOLD_NEW_CHILD);
    if (hold == NULL)
        return false;
    hold->subject = child->creator;
    return true;
}

bool steer_at_exec(struct tracer *tracer, struct traced_process *task)
{
    if (!may_steer(tracer, SCHEDULE_READER_LATE))
        return false;
    struct traced_process *process = trace_run_process_of(tracer->run, task);
    struct blocked_on stdin_pipe = {.fd = 0};
    if (fd_entry_read(process->pid, 0, &stdin_pipe.target) < 0 ||
        !fd_target_is_pipe(stdin_pipe.target.target) || stdin_pipe.target.flags < 0 ||
        (stdin_pipe.target.flags & O_ACCMODE) != O_RDONLY)
        return false;
    pid_t *pids;
    size_t count = live_processes(tracer->run, process, NULL, &pids);
    blocked_on_find_other_end(&stdin_pipe, pids, count);
    free(pids);
    if (stdin_pipe.holder_count == 0)
        return false;
    struct hold *hold = add_hold(tracer, task, HOLD_READER);
    if (hold == NULL)
        return false;
    hold->watched = calloc(stdin_pipe.holder_count, sizeof(*hold->watched));
    for (size_t i = 0; i < stdin_pipe.holder_count && hold->watched != NULL; i++)
        hold->watched[hold->watched_count++] = stdin_pipe.holders[i].pid;
    return true;
}

bool hold_at_exit(struct tracer *tracer, struct traced_process *task,
                  struct traced_process *process)
{
    if (tracer_ending(tracer))
        return false;
    const struct fd_entry *ends[16];
    size_t end_count = unneeded_write_ends(process, ends, 16);
    bool exit_last = may_steer(tracer, SCHEDULE_EXIT_LAST) && live_children(process) > 0;
    if (may_steer(tracer, SCHEDULE_EXIT_LAST) && !exit_last && ended_children(process) > 0)
        /* Its children have all ended before its exit: so that schedule is. */
        note_unheld(tracer, task, HOLD_EXIT_LAST);
    if (!exit_last && exited_children_collected(process) && end_count == 0)
        return false;
    struct hold *hold = add_hold(tracer, task, exit_last ? HOLD_EXIT_LAST : HOLD_EXIT);
    if (hold != NULL && end_count > 0)
        watch_readers(tracer, process, ends, end_count, hold);
    return hold != NULL;
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
                                 .all_exited = live_children(process) == 0,
                                 .seq = ++run->seq};
    if (hold->subject != NULL) {
        fact.other = hold->subject->pid;
        fact.other_program = hold->subject->program;
    }
    int signo = 0;
    if (hold->kind == HOLD_SIGCHLD) {
        fact.children_exited = (unsigned)ended_children(process);
        struct proc_status status;
        fact.coalesced = proc_status_read(hold->task->pid, &status) == 0 &&
                         (status.pending & SIGNAL_BIT(SIGCHLD));
        /* Held at the delivery: the held signal, unless one is pending. */
        signo = hold->signo == SIGCHLD && !fact.coalesced ? SIGCHLD : 0;
    }
    trace_run_note(run, trace_run_add_steering(run, &fact));
    return signo;
}

static void release(struct tracer *tracer, struct hold *hold, enum hold_end end, long now)
{
    struct traced_process *process = trace_run_process_of(tracer->run, hold->task);
    if (hold->kind == HOLD_EXIT || hold->kind == HOLD_EXIT_LAST) {
        note_waiting_readers(tracer, hold, process);
        traced_process_orphan_children(process, tracer->run->harness_pid);
    }
    int signo = hold->kind == HOLD_EXIT ? 0 : note_steering(tracer, hold, end, now);
    tracer_resume(hold->task, signo);
}

void steering_review(struct tracer *tracer)
{
    long now = tracer_now_ms();
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
