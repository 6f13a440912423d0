/* What the box's init reports (trace/sandbox/box.h), turned into the facts
 * the tracer learnt as the child subreaper before there was a box: who
 * reaped each process. A process the init reaps while it died before its
 * parent (parent_at_exit is not the init) was a zombie its parent left
 * behind: the kernel hands those to the init when the parent exits. */
#include "trace/tracer_internal.h"
#include "trace/proc/proc_status.h"
#include "trace/run_events.h"

pid_t tracer_box_init(const struct tracer *tracer)
{
    return tracer->config->box != NULL ? tracer->config->box->init_pid : 0;
}

void tracer_note_pid_in_box(struct tracer *tracer, struct traced_process *process)
{
    struct proc_status status;
    if (tracer_box_init(tracer) > 0 && proc_status_read(process->pid, &status) == 0)
        process->pid_in_box = status.own_namespace_pid;
}

pid_t tracer_pid_outside_box(const struct tracer *tracer, pid_t pid)
{
    if (tracer_box_init(tracer) <= 0 || pid == 0 || pid == -1)
        return pid;
    pid_t wanted = pid < 0 ? -pid : pid;
    const struct trace_run *run = tracer->run;
    for (size_t i = run->count; i-- > 0;) /* the newest first: pids are reused */
        if (run->processes[i]->pid_in_box == wanted)
            return pid < 0 ? -run->processes[i]->pid : run->processes[i]->pid;
    return 0;
}

/* The init reaped (or, at the end, holds) `pid`: the newest record of it
 * the tracer collected is that process (the init names a pid before it
 * frees it, and its reports are taken before any later death). */
static void handed_to_init(pid_t pid, void *context)
{
    struct tracer *tracer = context;
    struct trace_run *run = tracer->run;
    struct traced_process *process = trace_run_find_collected(run, pid);
    if (process == NULL)
        return;
    if (process->parent_at_exit != run->orphan_reaper)
        process->unreaped_when_parent_exited = true;
    tracer_mark_released(tracer, process);
    trace_note_reap(run, process, 0); /* by forklab: its init */
}

void tracer_take_box_reports(struct tracer *tracer)
{
    struct box *box = tracer->config->box;
    pid_t pid;
    while (box != NULL && box_next_reaped(box, &pid) > 0)
        handed_to_init(pid, tracer);
}

void tracer_settle_box(struct tracer *tracer)
{
    struct box *box = tracer->config->box;
    if (box == NULL)
        return;
    struct trace_run *run = tracer->run;
    /* Stopped, the init reaps nothing more: what it reaped is in its
     * reports, what it did not is still a zombie of it. Once it has exited,
     * it had reaped (and reported) everything. */
    bool stopped = box_stop_init(box);
    tracer_take_box_reports(tracer);
    if (stopped)
        trace_run_note(run, box_for_each_zombie(box, handed_to_init, tracer));
    run->forks_refused_by_kernel = cgroup_limits_refused_forks(&box->limits);
    run->memory_kills = cgroup_limits_memory_kills(&box->limits);
    run->memory_limit_mib = box->limits.memory_mib;
    if (run->forks_refused_by_kernel > 0)
        run->limit_hit = true;
}
