/* When a steered schedule (trace/steer/schedule.h) holds what: the decisions the
 * stop handlers ask for at each point of a run (a fork, a new task's first
 * stop, an exec, a SIGCHLD, a child's exit, an exit). What each hold then
 * waits for, and its release, are trace/steer/holds.c's. */
#include "trace/steer/steering.h"
#include "trace/exit_readers.h"
#include "trace/steer/holds.h"
#include "trace/proc/blocked_on.h"
#include "trace/proc/proc_status.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ptrace.h>

static long at_most(long value, long cap)
{
    return value < cap ? value : cap;
}

/* Whether this run steers into `schedule` now: the run is not past its
 * deadline or being killed, and its budget is not spent. */
static bool may_steer(const struct tracer *tracer, enum schedule schedule)
{
    return tracer->config->schedule == schedule &&
           (tracer->phase == PHASE_RUNNING || tracer->phase == PHASE_MAIN_EXITED) &&
           !tracer_ending(tracer) &&
           tracer->steering_spent_ms < at_most(STEERING_BUDGET_MS, tracer->run->timeout_ms / 4);
}

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
        holds_process(tracer, parent) || !catches_sigchld(parent->pid))
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
    if (!may_steer(tracer, SCHEDULE_SIGCHLD_HELD) || holds_process(tracer, process))
        return false;
    /* Nothing to deliver here: the SIGCHLD of the exits will be pending. */
    return hold_add(tracer, task, HOLD_SIGCHLD) != NULL;
}

bool steer_at_sigchld(struct tracer *tracer, struct traced_process *task, const siginfo_t *info)
{
    if (!may_steer(tracer, SCHEDULE_SIGCHLD_HELD) ||
        (info->si_code != CLD_EXITED && info->si_code != CLD_KILLED && info->si_code != CLD_DUMPED))
        return false;
    struct traced_process *process = trace_run_process_of(tracer->run, task);
    if (holds_process(tracer, process) || !catches_sigchld(task->pid))
        return false;
    /* Held here: the interrupt asked for at a child's exit is not needed. */
    process->sigchld_interrupt = false;
    if (traced_process_live_children(process) == 0) {
        /* Every child has ended already: what the hold waits for is so. */
        hold_note_unheld(tracer, task, HOLD_SIGCHLD);
        return false;
    }
    struct hold *hold = hold_add(tracer, task, HOLD_SIGCHLD);
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
    struct hold *hold = hold_add(tracer, task, HOLD_AFTER_FORK);
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
    struct hold *hold = hold_add(tracer, child, HOLD_NEW_CHILD);
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
    size_t count = trace_run_live_processes(tracer->run, process, NULL, &pids);
    blocked_on_find_other_end(&stdin_pipe, pids, count);
    free(pids);
    if (stdin_pipe.holder_count == 0)
        return false;
    struct hold *hold = hold_add(tracer, task, HOLD_READER);
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
    const struct fd_entry *ends[EXIT_ENDS_MAX];
    size_t end_count = exit_unneeded_write_ends(process, ends, EXIT_ENDS_MAX);
    bool exit_last =
        may_steer(tracer, SCHEDULE_EXIT_LAST) && traced_process_live_children(process) > 0;
    if (may_steer(tracer, SCHEDULE_EXIT_LAST) && !exit_last &&
        traced_process_ended_children(process) > 0)
        /* Its children have all ended before its exit: so that schedule is. */
        hold_note_unheld(tracer, task, HOLD_EXIT_LAST);
    if (!exit_last && traced_process_exited_children_collected(process) && end_count == 0)
        return false;
    struct hold *hold = hold_add(tracer, task, exit_last ? HOLD_EXIT_LAST : HOLD_EXIT);
    if (hold != NULL && end_count > 0)
        exit_watch_readers(tracer, process, ends, end_count, hold);
    return hold != NULL;
}
