/* The tracer's event loop and its containment. The tracer's thread sleeps
 * in a blocking waitpid and wakes only for a stop, a death or the deadline
 * (a timer signal that interrupts the call); the target's output is read by
 * a thread of its own. A stop costs the tracer a waitpid, what the stop
 * needs, and a resume: no poll, no signalfd, no second waitpid to find the
 * queue empty. At hundreds of stops per second the calls saved are most of
 * the harness's cost, in a virtual machine.
 *
 * The run ends in three steps: the main program exits; the tracer finds out
 * which of the other processes were still running then (PTRACE_INTERRUPT
 * each: one that answers with a stop was running, one that answers with its
 * exit was already exiting); then it kills them all and reaps every one. */
#include "trace/tracer_internal.h"
#include "trace/proc/proc_stat.h"
#include "trace/run_events.h"
#include "trace/sandbox/sandbox.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long SIGKILLed processes get to die before the final sweep. */
#define KILL_GRACE_MS 2000

long tracer_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
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

void tracer_start_killing(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    if (tracer->phase == PHASE_KILLING)
        return;
    if (run->duration_ms == 0)
        run->duration_ms = tracer_now_ms() - tracer->start_ms;
    tracer->phase = PHASE_KILLING;
    tracer->kill_deadline_ms = tracer_now_ms() + KILL_GRACE_MS;
    deadline_timer_arm(&tracer->deadline, tracer->kill_deadline_ms);
    /* The target's process group first, at once: main is its leader (it
     * called setsid), so its pid names the group. Then each process we
     * know, for those that moved to another group or session. */
    if (run->main_pid > 1)
        kill(-run->main_pid, SIGKILL);
    for (size_t i = 0; i < run->count; i++) {
        struct traced_process *process = run->processes[i];
        if (!process->is_thread && process->state != TASK_GONE)
            tracer_kill_task(process);
        /* Main exited and this one never answered (stuck in the kernel, or
         * the deadline came first): it was alive, so it was running. */
        if (process->awaiting_classification) {
            process->awaiting_classification = false;
            process->running_at_main_exit = true;
        }
    }
    tracer->awaiting_classification = 0;
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

void tracer_mark_released(struct tracer *tracer, struct traced_process *process)
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
    if (tracer->phase == PHASE_KILLING)
        return;
    run->processes_alive++;
    if ((long)run->processes_alive > run->max_procs)
        run->processes_alive = count_unreleased(tracer);
    if (run->processes_alive > run->peak_alive)
        run->peak_alive = run->processes_alive;
    if ((long)run->processes_alive > run->max_procs) {
        run->limit_hit = true;
        tracer_start_killing(tracer);
    }
}

/* Main has exited: which of the others still run? Those already exiting
 * are known. A new task held for its parent's fork event, or a vfork parent
 * (which cannot stop until its child execs), is alive: running. A new task
 * whose first stop has not come yet will report soon, that stop or its
 * death (killed with main by kill(0, SIGKILL), say): its report decides.
 * Everyone else is asked, with PTRACE_INTERRUPT. */
static void start_classifying(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    tracer->phase = PHASE_MAIN_EXITED;
    for (size_t i = 0; i < run->count; i++) {
        struct traced_process *task = run->processes[i];
        struct traced_process *process = trace_run_process_of(run, task);
        if (process->is_main || task->state == TASK_GONE || process->running_at_main_exit ||
            process->exiting_at_main_exit)
            continue;
        if (process->exit_seq != 0) {
            process->exiting_at_main_exit = true;
        } else if ((task->state == TASK_NEW && task->first_stop_seen) || process->in_vfork) {
            process->running_at_main_exit = true;
            tracer_note_signals(process);
            if (process->awaiting_classification) {
                process->awaiting_classification = false;
                tracer->awaiting_classification--;
            }
        } else {
            if (!process->awaiting_classification) {
                process->awaiting_classification = true;
                tracer->awaiting_classification++;
            }
            if (task->state == TASK_RUNNING)
                ptrace(PTRACE_INTERRUPT, task->pid, 0L, 0L);
        }
    }
}

void tracer_classify(struct tracer *tracer, struct traced_process *task, bool exiting)
{
    struct traced_process *process = trace_run_process_of(tracer->run, task);
    if (!process->awaiting_classification)
        return;
    process->awaiting_classification = false;
    tracer->awaiting_classification--;
    if (!exiting) {
        process->running_at_main_exit = true;
        tracer_note_signals(process);
        return;
    }
    process->exiting_at_main_exit = true;
    /* It was on its way out when main exited; main was its parent and had
     * not reaped it: the kernel re-parented the dying child to the orphan
     * reaper, but it died main's unreaped child. */
    struct traced_process *main_process = trace_run_find(tracer->run, tracer->run->main_pid);
    if (main_process != NULL && process->parent == main_process->pid &&
        process->parent_now == tracer->run->orphan_reaper) {
        process->parent_now = main_process->pid;
        process->unreaped_when_parent_exited = true;
    }
}

void tracer_process_exited(struct tracer *tracer, struct traced_process *process, pid_t tid,
                           int status, bool read_fds)
{
    struct trace_run *run = tracer->run;
    if (process->exit_seq != 0)
        return;
    process->exit_seq = ++run->seq;
    process->parent_at_exit = process->parent_now;

    /* Exiting on its own (not by a signal): what is still open now was
     * never closed by the program. The rules decide which of it matters. */
    if (read_fds && WIFEXITED(status))
        trace_note_event_with_fds(run, process, tid, PROCESS_EVENT_EXIT, process->exit_seq,
                                  &process->fds_at_exit, &process->fds_at_exit_count);
    else if (!process->is_thread)
        trace_note_event(run, process, PROCESS_EVENT_EXIT, process->exit_seq);

    /* Its children: the running ones are orphans now (the kernel gives them
     * to the orphan reaper: us, or the box's init). One that had exited but
     * was not collected yet
     * could not have been reaped: a traced zombie is visible to its tracer
     * only, until the tracer collects it. */
    for (size_t i = 0; i < process->fork_count; i++) {
        struct traced_process *child = process->forks[i].child;
        if (child->is_thread || child->parent_now != process->pid)
            continue;
        if (child->exit_seq == 0)
            child->parent_now = run->orphan_reaper;
        else if (child->state != TASK_GONE)
            child->unreaped_when_parent_exited = true;
    }
    if (process->vfork_parent != NULL) {
        process->vfork_parent->in_vfork = false;
        process->vfork_parent = NULL;
    }
    if (process->is_main && tracer->phase == PHASE_RUNNING) {
        run->main_exit_seq = process->exit_seq;
        run->duration_ms = tracer_now_ms() - tracer->start_ms;
        start_classifying(tracer);
    }
}

/* At the deadline: record what every live process waits on, and who holds
 * the other end of the pipes they wait on, before anything is killed. */
static void record_timeout(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    run->timed_out = true;
    pid_t *live = calloc(run->count ? run->count : 1, sizeof(*live));
    size_t live_count = 0;
    for (size_t i = 0; i < run->count; i++) {
        struct traced_process *process = run->processes[i];
        if (process->is_thread || process->exit_seq != 0 || process->state == TASK_GONE)
            continue;
        if (blocked_on_read(process->pid, process->group_stop_signal, &process->blocked) == 0 &&
            live != NULL)
            live[live_count++] = process->pid;
        process->blocked.waited_pid = tracer_pid_outside_box(tracer, process->blocked.waited_pid);
        tracer_note_signals(process);
        trace_note_event_with_fds(run, process, process->pid, PROCESS_EVENT_TIMEOUT, ++run->seq,
                                  NULL, NULL);
    }
    for (size_t i = 0; i < run->count && live != NULL; i++) {
        struct traced_process *process = run->processes[i];
        if (process->blocked.valid)
            blocked_on_find_other_end(&process->blocked, live, live_count);
    }
    free(live);
}

/* Collects whatever already waits, without blocking: for the end of the
 * run, when the loop has stopped. */
static void drain_wait_statuses(struct tracer *tracer)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, __WALL | WNOHANG);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid <= 0)
            return;
        tracer_on_wait_status(tracer, pid, status);
    }
}

/* The loop ends when everything is killed and reaped, or the kill grace
 * ran out (a task stuck in the kernel: the final sweep takes it). */
static bool finished(const struct tracer *tracer)
{
    if (tracer->phase != PHASE_KILLING)
        return false;
    return tracer->tasks_live == 0 || tracer_now_ms() >= tracer->kill_deadline_ms;
}

static void event_loop(struct tracer *tracer)
{
    while (!finished(tracer)) {
        int status;
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid > 0)
            tracer_on_wait_status(tracer, pid, status);
        else if (errno == ECHILD)
            break; /* no task left at all */
        /* else EINTR: the deadline timer; the checks below see why. */

        if (tracer->phase == PHASE_MAIN_EXITED && tracer->awaiting_classification == 0)
            tracer_start_killing(tracer);
        if (tracer->phase != PHASE_KILLING &&
            tracer_now_ms() >= tracer->start_ms + tracer->run->timeout_ms) {
            if (tracer->phase == PHASE_RUNNING)
                record_timeout(tracer);
            tracer_start_killing(tracer);
        }
    }
}

/* After the loop: zombies handed to us as their parents died, whatever a
 * stuck task left behind, the last of the output, and who reaped whom. */
static void finish(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    deadline_timer_stop(&tracer->deadline);
    drain_wait_statuses(tracer);
    tracer_settle_box(tracer);
    sandbox_kill_descendants();
    output_thread_finish(&tracer->output);

    for (size_t i = 0; i < run->count; i++) {
        struct traced_process *process = run->processes[i];
        if (process->is_thread)
            continue;
        if (process->is_main) /* its parent is the orphan reaper: us, or the box's init */
            process->reaped_by_parent = process->state == TASK_GONE;
        else
            process->reaped_by_parent = process->state == TASK_GONE &&
                                        !process->killed_by_harness &&
                                        !process->unreaped_when_parent_exited &&
                                        process->parent_at_exit != run->orphan_reaper;
    }
}

int tracer_run(const struct tracer_config *config, struct trace_run *run)
{
    struct tracer tracer = {
        .config = config, .run = run, .phase = PHASE_RUNNING, .out = {.fd = -1}, .err = {.fd = -1}};
    run->harness_pid = getpid();
    run->timeout_ms = config->timeout_ms;
    run->max_procs = config->max_procs;

    /* The captures own the read ends from here on, whatever else fails. */
    int out_error =
        output_capture_start(&tracer.out, config->stdout_read, config->output_cap, config->out);
    int err_error =
        output_capture_start(&tracer.err, config->stderr_read, config->output_cap, config->err);
    int error = out_error < 0 ? out_error : err_error;
    if (error == 0)
        error = deadline_timer_start(&tracer.deadline);
    if (error == 0)
        error = output_thread_start(&tracer.output, &tracer.out, &tracer.err);
    pid_t main_pid = 0;
    if (error == 0)
        error = config->box != NULL ? box_start(config->box, config->spawn, &main_pid)
                                    : target_spawn(config->spawn, &main_pid);
    /* Our copies of the child's ends: the pipes reach end of file only when
     * every writer, us included, has closed them. */
    close(config->spawn->stdin_fd);
    close(config->spawn->stdout_fd);
    close(config->spawn->stderr_fd);
    if (error < 0) {
        deadline_timer_stop(&tracer.deadline);
        output_thread_finish(&tracer.output);
        output_capture_stop(&tracer.out);
        output_capture_stop(&tracer.err);
        return error;
    }

    tracer.start_ms = tracer_now_ms();
    run->start_us = trace_run_now_us(run); /* start_us is 0 still: the clock itself */
    deadline_timer_arm(&tracer.deadline, tracer.start_ms + run->timeout_ms);
    run->main_pid = main_pid;
    pid_t box_init = tracer_box_init(&tracer);
    run->orphan_reaper = box_init > 0 ? box_init : run->harness_pid;
    struct traced_process *main_process = trace_run_add(run, main_pid);
    if (main_process != NULL) {
        main_process->is_main = true;
        main_process->created_by = PROCESS_CREATED_FORKLAB;
        main_process->parent = main_process->parent_now = run->orphan_reaper;
        main_process->created_seq = ++run->seq;
        tracer_note_pid_in_box(&tracer, main_process);
        trace_note_event(run, main_process, PROCESS_EVENT_FORK, main_process->created_seq);
        /* Seized before its first step: no initial stop will come. */
        main_process->state = TASK_RUNNING;
        main_process->first_stop_seen = main_process->creation_seen = true;
        tracer.tasks_live = 1;
        tracer_count_new_process(&tracer);
    } else {
        trace_run_note(run, -ENOMEM);
        tracer_start_killing(&tracer);
    }

    event_loop(&tracer);
    finish(&tracer);
    return 0;
}
