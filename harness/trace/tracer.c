/* The tracer's event loop and its containment. The tracer's thread sleeps
 * in a blocking waitpid and wakes only for a stop, a death or the deadline
 * (a timer signal that interrupts the call); the target's output is read by
 * a thread of its own. A stop costs the tracer a waitpid, what the stop
 * needs, and a resume: no poll, no signalfd, no second waitpid to find the
 * queue empty. At hundreds of stops per second the calls saved are most of
 * the harness's cost, in a virtual machine.
 *
 * The loop dispatches each status down to the stop handlers
 * (trace/tracer_stops.c), then acts on what they left in the shared state
 * (trace/tracer_state.h): main's exit, a passed process limit, the deadline.
 *
 * The run ends in three steps: the main program exits; the tracer finds out
 * which of the other processes were still running then (PTRACE_INTERRUPT
 * each: one that answers with a stop was running, one that answers with its
 * exit was already exiting); then it kills them all and reaps every one. */
#include "trace/tracer.h"
#include "core/clock.h"
#include "trace/cpu_pin.h"
#include "trace/proc/proc_stat.h"
#include "trace/run_events.h"
#include "trace/sandbox/sandbox.h"
#include "trace/steer/holds.h"
#include "trace/tracer_box.h"
#include "trace/tracer_state.h"
#include "trace/tracer_stops.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

/* How long SIGKILLed processes get to die before the final sweep. */
#define KILL_GRACE_MS 2000

/* How long, at most, the run goes on past its deadline so that every
 * process is seen where it waits (see start_settling). */
#define SETTLE_MS 100

static void record_timeout(struct tracer *tracer);

static void start_killing(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    if (tracer->phase == PHASE_KILLING)
        return;
    if (tracer->phase == PHASE_TIMED_OUT)
        record_timeout(tracer);
    if (run->duration_ms == 0)
        run->duration_ms = clock_now_ms() - tracer->start_ms;
    tracer->phase = PHASE_KILLING;
    tracer->kill_deadline_ms = clock_now_ms() + KILL_GRACE_MS;
    deadline_timer_arm(&tracer->deadline, tracer->kill_deadline_ms);
    tracer->polling = false;
    /* SIGKILL ends a held task at its stop too. */
    holds_drop_all(tracer);
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

/* Main has exited: which of the others still run? Those already exiting
 * are known. A new task held for its parent's fork event, a vfork parent
 * (which cannot stop until its child execs), or a task the steering holds
 * at a stop, is alive: running. A new task
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
        } else if ((task->state == TASK_NEW && task->first_stop_seen) || process->in_vfork ||
                   holds_process(tracer, process)) {
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

/* The processes a timeout describes: those still alive. */
static bool alive_at_timeout(const struct traced_process *process)
{
    return !process->is_thread && process->exit_seq == 0 && process->state != TASK_GONE;
}

/* Looks again at every live process not yet seen where it waits; a held
 * one waits where the steering keeps it: one look is enough. Returns
 * whether all are seen. */
static bool look_at_waiters(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    bool all_seen = true;
    for (size_t i = 0; i < run->count; i++) {
        struct traced_process *process = run->processes[i];
        bool held = holds_process(tracer, process);
        if (!alive_at_timeout(process) || blocked_on_settled(&process->blocked) ||
            (held && process->blocked.valid))
            continue;
        struct blocked_on look;
        if (blocked_on_read(process->pid, process->group_stop_signal, &look) == 0)
            process->blocked = look;
        all_seen = all_seen && (held || blocked_on_settled(&process->blocked));
    }
    return all_seen;
}

/* At the deadline. One look at a process that polls (kill(pid, 0), then
 * nanosleep, again and again) finds it asleep in nanosleep one run and
 * running the next: a report built on that look would change by luck. So
 * the run goes on, traced as before, while the processes caught running
 * are looked at again each millisecond until each is seen asleep in a
 * call, stopped or gone, for SETTLE_MS at most: one never seen asleep runs
 * for real, a busy loop. A run whose processes all sit still costs no
 * time: it is recorded and killed at once. */
static void start_settling(struct tracer *tracer)
{
    tracer->run->timed_out = true;
    tracer->phase = PHASE_TIMED_OUT;
    tracer->settle_until_ms = clock_now_ms() + SETTLE_MS;
}

static bool settled(struct tracer *tracer)
{
    return look_at_waiters(tracer) || clock_now_ms() >= tracer->settle_until_ms;
}

/* The end of the settling: record what every live process waits on, and
 * who holds the other end of the pipes they wait on, before anything is
 * killed. A process that exited meanwhile no longer hangs. */
static void record_timeout(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    pid_t *live = calloc(run->count ? run->count : 1, sizeof(*live));
    size_t live_count = 0;
    for (size_t i = 0; i < run->count; i++) {
        struct traced_process *process = run->processes[i];
        if (!alive_at_timeout(process)) {
            process->blocked.valid = false;
            continue;
        }
        if (process->blocked.valid && live != NULL)
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
        tracer_stops_dispatch(tracer, pid, status);
    }
}

/* The loop ends when everything is killed and reaped, or the kill grace
 * ran out (a task stuck in the kernel: the final sweep takes it). */
static bool finished(const struct tracer *tracer)
{
    if (tracer->phase != PHASE_KILLING)
        return false;
    return tracer->tasks_live == 0 || clock_now_ms() >= tracer->kill_deadline_ms;
}

/* While tasks are held, or the run settles past its deadline, the timer
 * wakes the loop every few milliseconds to look at them (it repeats once due); otherwise only at
 * the deadline. */
static void arm_timer(struct tracer *tracer)
{
    bool polling = tracer->hold_count > 0 || tracer->phase == PHASE_TIMED_OUT;
    if (polling == tracer->polling || tracer->phase == PHASE_KILLING)
        return;
    tracer->polling = polling;
    deadline_timer_arm(&tracer->deadline,
                       polling ? clock_now_ms() + 1 : tracer->start_ms + tracer->run->timeout_ms);
}

/* Whether main is held at its exit (its exited children are being
 * collected, so that the kernel says which of them it left zombies): what
 * still runs is asked only once main is really gone. */
static bool main_held(const struct tracer *tracer)
{
    const struct traced_process *main_process = trace_run_find(tracer->run, tracer->run->main_pid);
    return main_process != NULL && holds_process(tracer, main_process);
}

static void event_loop(struct tracer *tracer)
{
    while (!finished(tracer)) {
        int status;
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid > 0)
            tracer_stops_dispatch(tracer, pid, status);
        else if (errno == ECHILD)
            break; /* no task left at all */
        /* else EINTR: the deadline timer; the checks below see why. */

        holds_review(tracer);
        if (tracer->run->limit_hit)
            start_killing(tracer);
        if (tracer->phase == PHASE_RUNNING && tracer->run->main_exit_seq != 0 && !main_held(tracer))
            start_classifying(tracer);
        if (tracer->phase == PHASE_MAIN_EXITED && tracer->awaiting_classification == 0)
            start_killing(tracer);
        bool past_deadline = clock_now_ms() >= tracer->start_ms + tracer->run->timeout_ms;
        if (tracer->phase == PHASE_RUNNING && past_deadline)
            start_settling(tracer);
        if (tracer->phase == PHASE_TIMED_OUT && settled(tracer))
            start_killing(tracer); /* it records the timeout first */
        if (tracer->phase == PHASE_MAIN_EXITED && past_deadline)
            start_killing(tracer);
        arm_timer(tracer);
    }
}

/* After the loop: zombies handed to us as their parents died, whatever a
 * stuck task left behind, the last of the output, and who reaped whom. */
static void finish(struct tracer *tracer)
{
    struct trace_run *run = tracer->run;
    deadline_timer_stop(&tracer->deadline);
    if (tracer->phase == PHASE_TIMED_OUT) /* every task ended while it settled */
        record_timeout(tracer);
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
    /* After the output thread started: it keeps every CPU. */
    struct cpu_pin pin;
    cpu_pin_start(&pin);
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
        cpu_pin_end(&pin);
        deadline_timer_stop(&tracer.deadline);
        output_thread_finish(&tracer.output);
        output_capture_stop(&tracer.out);
        output_capture_stop(&tracer.err);
        return error;
    }

    tracer.start_ms = clock_now_ms();
    run->start_us = clock_now_us();
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
        start_killing(&tracer);
    }

    event_loop(&tracer);
    finish(&tracer);
    cpu_pin_end(&pin);
    free(tracer.holds);
    return 0;
}
