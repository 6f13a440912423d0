/* The tracer's shared state and the small acts on it that both the event
 * loop and the stop handlers need: resuming and killing a task, and the
 * count of processes against the limit. */
#include "trace/tracer_state.h"
#include "core/clock.h"
#include "trace/proc/proc_stat.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <time.h>

bool tracer_ending(const struct tracer *tracer)
{
    return tracer->phase == PHASE_KILLING || tracer->run->limit_hit;
}

void tracer_resume(struct traced_process *task, int signo)
{
    if (task->group_stop_signal != 0)
        ptrace(PTRACE_LISTEN, task->pid, 0L, 0L);
    else
        ptrace(PTRACE_CONT, task->pid, 0L, (long)signo);
}

void tracer_kill_task(struct traced_process *task)
{
    if (task->exit_seq == 0)
        task->killed_by_harness = true;
    kill(task->tgid, SIGKILL);
}

void tracer_note_signals(struct traced_process *process)
{
    process->signals_now.valid = proc_status_read(process->pid, &process->signals_now.status) == 0;
}

/* The processes alive or waiting to be reaped, as the kernel's pids limit
 * counts them. A process we collected is still a zombie until its parent
 * reaps it, which we do not see: when the count passes the limit, look in
 * /proc whether those zombies are still there before believing it. */
static size_t count_unreleased(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    size_t count = 0;
    for (size_t i = 0; i < run->count; i++) {
        struct traced_process *process = run->processes[i];
        if (process->is_thread || process->released)
            continue;
        if (process->state == TASK_GONE) {
            struct proc_stat stat;
            if (proc_stat_read(process->pid, &stat) < 0 || stat.state != 'Z') {
                process->released = true; /* its parent reaped it */
                continue;
            }
        }
        count++;
    }
    return count;
}

void tracer_release_process(struct tracer *tracer, struct traced_process *process)
{
    if (process->released)
        return;
    process->released = true;
    if (tracer->run->processes_alive > 0)
        tracer->run->processes_alive--;
}

void tracer_count_new_process(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    run->processes_created++;
    /* Forks already under way when the killing began still arrive: they
     * are created, but no longer count toward what the limit saw. */
    if (tracer_ending(tracer))
        return;
    run->processes_alive++;
    if ((long)run->processes_alive > run->max_procs)
        run->processes_alive = count_unreleased(tracer);
    if (run->processes_alive > run->peak_alive)
        run->peak_alive = run->processes_alive;
    if ((long)run->processes_alive > run->max_procs)
        run->limit_hit = true;
}
