/* What each ptrace stop means, and the fact it leaves in the run record.
 * Every stop is resumed before returning (unless the task must be held), so
 * the target runs on as if untraced; signals go back to it unchanged. The
 * handlers go down only: to the facts (trace/trace_run.h) and the tracer's
 * shared state (trace/tracer_state.h); what the loop must do next (main
 * exited, the limit was passed) it reads from the state they leave. */
#include "trace/tracer_stops.h"
#include "core/clock.h"
#include "trace/tracer_box.h"
#include "trace/exec_attempt.h"
#include "trace/reap_stop.h"
#include "trace/run_events.h"
#include "trace/proc/proc_stat.h"
#include "trace/proc/proc_status.h"
#include "trace/steer/holds.h"
#include "trace/steer/steering.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned long next_seq(struct tracer *tracer)
{
    return ++tracer->run->seq;
}

static bool is_stop_signal(int signo)
{
    return signo == SIGSTOP || signo == SIGTSTP || signo == SIGTTIN || signo == SIGTTOU;
}

/* Main has exited and asked every process whether it still runs (see
 * trace/tracer.c): this task's first report since is the answer. */
static void answer_classification(struct tracer *tracer, struct traced_process *task, bool exiting)
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
}

/* A process begins to exit (its last task is exiting). Whether a child of
 * its that exited is left a zombie is not decided here: the exit is held
 * until those children are collected (trace/steer/holds.c), and the kernel
 * then either reaps each one (the parent ignores SIGCHLD, or set
 * SA_NOCLDWAIT, or waited) or hands it to us, the subreaper, as a zombie
 * when the parent is gone: see the second collection in
 * tracer_stops_dispatch. */
static void process_exited(struct tracer *tracer, struct traced_process *process, pid_t tid,
                           int status, bool read_fds)
{
    struct trace_run *run = tracer->run;
    if (process->exit_seq != 0)
        return;
    process->exit_seq = next_seq(tracer);
    process->parent_at_exit = process->parent_now;

    /* Exiting on its own (not by a signal): what is still open now was
     * never closed by the program. The rules decide which of it matters. */
    if (read_fds && WIFEXITED(status)) {
        trace_note_event_with_fds(run, process, tid, PROCESS_EVENT_EXIT, process->exit_seq,
                                  &process->fds_at_exit, &process->fds_at_exit_count);
        /* Whether it wrote anything since it last went idle with a pipe's
         * write end open (fd_leak: did it still need that end?). */
        if (process->idle.call != NULL)
            proc_written_bytes(tid, &process->written_at_exit);
    } else if (!process->is_thread) {
        trace_note_event(run, process, PROCESS_EVENT_EXIT, process->exit_seq);
    }

    if (process->vfork_parent != NULL) {
        process->vfork_parent->in_vfork = false;
        process->vfork_parent = NULL;
    }
    /* Main's exit: the loop goes on to find out which processes still run. */
    if (process->is_main && tracer->phase == PHASE_RUNNING) {
        run->main_exit_seq = process->exit_seq;
        run->duration_ms = clock_now_ms() - tracer->start_ms;
    }
}

/* A PTRACE_EVENT_CLONE may be a thread or a process (clone without
 * CLONE_THREAD); a thread shows up under its group's task directory. */
static bool is_thread_of(pid_t tgid, pid_t tid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)tgid, (int)tid);
    return access(path, F_OK) == 0;
}

/* How many threads a process runs now, for the evidence of a fork: those
 * the tracer counted (each at its clone event, before it ran a single
 * instruction; until its exit stop). That is exactly the threads that can
 * hold a lock, and costs nothing, where reading /proc/PID/status at every
 * fork would cost a file read per fork and also count new threads still
 * held at their first stop, which never ran. */
static int count_threads(const struct traced_process *process)
{
    return process->live_tasks > 0 ? process->live_tasks : 1;
}

/* Whether a new process copied its parent's address space or shares it.
 * kcmp(KCMP_VM) asks the kernel itself, whatever the flags were (fork,
 * vfork, clone, clone3). Where kcmp is refused (a kernel without
 * CONFIG_KCMP, a container's seccomp profile) the event tells: a vfork event
 * is CLONE_VFORK, which vfork(), posix_spawn and the wrapper pair with
 * CLONE_VM; any other creation of a process copied. */
static enum process_creation process_creation_of(pid_t parent_tid, pid_t child, int event)
{
    long order = syscall(SYS_kcmp, parent_tid, child, KCMP_VM, 0L, 0L);
    if (order == 0)
        return PROCESS_CREATED_VFORK;
    if (order > 0)
        return PROCESS_CREATED_FORK;
    return event == PTRACE_EVENT_VFORK ? PROCESS_CREATED_VFORK : PROCESS_CREATED_FORK;
}

/* --strict-fds: what a new process has open before its first instruction
 * came from its parent; what it holds at exit beyond that, it opened. */
static void note_fds_at_start(struct tracer *tracer, struct traced_process *process)
{
    struct fd_table table;
    fd_table_init(&table);
    if (fd_table_read(process->pid, 3, &table) == 0) {
        for (size_t i = 0; i < table.count; i++)
            trace_run_note(tracer->run,
                           traced_process_add_fd(&process->fds_at_start,
                                                 &process->fds_at_start_count, &table.entries[i],
                                                 process->program, process->created_seq));
        process->fds_at_start_read = true;
    }
    fd_table_free(&table);
}

/* A new task shows up twice: its parent's fork/clone event, and its own
 * first stop, in either order. It starts running only once both arrived,
 * so the process limit is checked before its first instruction. */
static void release_new_task(struct tracer *tracer, struct traced_process *task)
{
    if (!task->first_stop_seen || !task->creation_seen)
        return;
    task->state = TASK_RUNNING;
    if (tracer_ending(tracer)) {
        tracer_kill_task(task);
        return;
    }
    if (tracer->config->strict_fds && !task->is_thread)
        note_fds_at_start(tracer, task);
    if (!steer_at_start(tracer, task))
        tracer_resume(task, 0);
}

static void on_creation(struct tracer *tracer, struct traced_process *task, int event)
{
    struct trace_run *run = tracer->run;
    unsigned long message = 0;
    ptrace(PTRACE_GETEVENTMSG, task->pid, 0L, &message);
    pid_t child_pid = (pid_t)message;
    struct traced_process *parent = trace_run_process_of(run, task);

    struct traced_process *child = trace_run_find(run, child_pid);
    if (child == NULL || child->state != TASK_NEW || child->creation_seen) {
        child = trace_run_add(run, child_pid);
        if (child == NULL) {
            trace_run_note(run, -ENOMEM);
            tracer_resume(task, 0);
            return;
        }
        tracer->tasks_live++;
    }
    child->creation_seen = true;
    child->created_seq = next_seq(tracer);
    child->is_thread = event == PTRACE_EVENT_CLONE && is_thread_of(parent->pid, child_pid);
    child->tgid = child->is_thread ? parent->pid : child_pid;
    child->parent = child->parent_now = parent->pid;
    child->creator = parent;
    child->program = parent->program;
    if (!child->is_thread) {
        child->parent_threads_at_fork = count_threads(parent);
        tracer_note_pid_in_box(tracer, child);
    }
    trace_run_note(run, traced_process_add_fork(parent, child, child->created_seq));
    if (!child->is_thread)
        trace_note_event(run, child, PROCESS_EVENT_FORK, child->created_seq);
    if (child->is_thread) {
        child->created_by = PROCESS_CREATED_THREAD;
        parent->live_tasks++;
    } else {
        /* The parent is stopped in its fork: its memory now is what the
         * fork copied (or shared). One read of statm per process created. */
        child->created_by = process_creation_of(task->pid, child_pid, event);
        long resident = proc_resident_kib(task->pid);
        child->parent_rss_kib = resident >= 0 ? resident : -1;
        trace_run_note(run, traced_process_inherit_closes(child, parent));
        if (event == PTRACE_EVENT_VFORK) {
            parent->in_vfork = true;
            child->vfork_parent = parent;
        }
        tracer_count_new_process(tracer);
    }
    release_new_task(tracer, child);
    /* This fork passed the limit: the parent dies before it runs on. */
    if (tracer_ending(tracer))
        tracer_kill_task(task);
    if (!steer_at_fork(tracer, task, child))
        tracer_resume(task, 0);
}

/* The first stop of a task we have no record of yet: a new child whose
 * parent's event has not been read. */
static struct traced_process *on_unknown_task(struct tracer *tracer, pid_t pid)
{
    struct traced_process *task = trace_run_add(tracer->run, pid);
    if (task == NULL) {
        /* Out of memory: let it go rather than hang it. */
        trace_run_note(tracer->run, -ENOMEM);
        ptrace(PTRACE_CONT, pid, 0L, 0L);
        return NULL;
    }
    tracer->tasks_live++;
    return task;
}

static void on_exec(struct tracer *tracer, struct traced_process *task)
{
    struct trace_run *run = tracer->run;
    unsigned long former_tid = 0;
    ptrace(PTRACE_GETEVENTMSG, task->pid, 0L, &former_tid);
    /* A thread that execs takes over the leader's pid; the other threads
     * are gone by now (the kernel killed them). */
    struct traced_process *process = trace_run_find(run, task->tgid);
    if (process == NULL)
        process = task;
    if (process->live_tasks > 1 || (pid_t)former_tid != process->pid) {
        for (size_t i = 0; i < run->count; i++) {
            struct traced_process *other = run->processes[i];
            if (other->is_thread && other->tgid == process->pid && other->state != TASK_GONE) {
                other->state = TASK_GONE;
                tracer->tasks_live--;
            }
        }
        process->state = TASK_RUNNING;
    }
    process->live_tasks = 1;

    unsigned long seq = next_seq(tracer);
    /* The exec that worked is the process's latest attempt (even one we
     * expected to fail: its file appeared in between). */
    const char *program = NULL;
    struct exec_attempt *attempt = traced_process_last_attempt(process);
    if (attempt != NULL) {
        attempt->error = 0;
        program = attempt->path;
    }
    char exe[PATH_MAX];
    if (program == NULL || program[0] == '\0') {
        /* fexecve(): no path was passed; ask the kernel what runs now. */
        char link[64];
        snprintf(link, sizeof(link), "/proc/%d/exe", (int)process->pid);
        ssize_t length = readlink(link, exe, sizeof(exe) - 1);
        exe[length > 0 ? length : 0] = '\0';
        program = exe;
    }
    const char *exec_by = process->program;
    /* Its first exec, with no process or thread created before it: a copy
     * of its parent's memory made by its fork served nothing but this exec. */
    if (process->program_count == 0 && process->fork_count == 0)
        process->exec_first = true;
    trace_run_note(run, traced_process_add_program(process, program));

    /* The new program has not run yet: what is blocked or ignored now, it
     * did not choose. */
    struct proc_status status;
    if (proc_status_read(process->pid, &status) == 0) {
        struct exec_signals signals = {.blocked = status.blocked,
                                       .ignored = status.ignored,
                                       .program = process->program,
                                       .exec_by = exec_by};
        trace_run_note(run, traced_process_add_exec_signals(process, &signals));
    }

    /* Close-on-exec descriptors are already closed at this stop, and the
     * new program has not run yet: what is open now crossed the exec. */
    trace_note_event_with_fds(run, process, process->pid, PROCESS_EVENT_EXEC, seq,
                              &process->fds_after_exec, &process->fds_after_exec_count);

    if (process->vfork_parent != NULL) {
        process->vfork_parent->in_vfork = false;
        process->vfork_parent = NULL;
    }
    if (!steer_at_exec(tracer, task))
        tracer_resume(task, 0);
}

static void on_exit_stop(struct tracer *tracer, struct traced_process *task)
{
    unsigned long status = 0;
    ptrace(PTRACE_GETEVENTMSG, task->pid, 0L, &status);
    if (task->state != TASK_EXITING) {
        task->state = TASK_EXITING;
        struct traced_process *process = trace_run_process_of(tracer->run, task);
        if (--process->live_tasks <= 0) {
            process_exited(tracer, process, task->pid, (int)status,
                           WIFEXITED((int)status) && tracer->phase != PHASE_KILLING);
            steer_at_child_exit(tracer, process);
            if (hold_at_exit(tracer, task, process))
                return;
            traced_process_orphan_children(process, tracer->run->orphan_reaper);
        }
    }
    tracer_resume(task, 0);
}

static void on_close(struct tracer *tracer, struct traced_process *task, int fd)
{
    struct traced_process *process = trace_run_process_of(tracer->run, task);
    int open = fd < 0 ? 0 : fd_is_open(task->pid, fd);
    if (open < 0)
        return; /* it vanished (killed) meanwhile */
    unsigned long seq = next_seq(tracer);
    if (open) {
        trace_run_note(tracer->run, traced_process_remember_close(process, fd, task->pid,
                                                                  process->program, seq));
        return;
    }
    const struct close_record *last = fd < 0 ? NULL : traced_process_last_close(process, fd);
    struct bad_close_fact fact = {
        .fd = fd, .tid = task->pid, .program = process->program, .seq = seq};
    if (last != NULL) {
        fact.last_closed_by = last->by;
        fact.last_closed_seq = last->seq;
        fact.last_closed_program = last->program;
    }
    trace_run_note(tracer->run, traced_process_add_bad_close(process, &fact));
}

static void on_exec_attempt(struct tracer *tracer, struct traced_process *task, int nr,
                            const uint64_t *args)
{
    struct traced_process *process = trace_run_process_of(tracer->run, task);
    struct exec_attempt attempt;
    if (trace_run_note(tracer->run,
                       exec_attempt_read(task->pid, nr, args, traced_process_last_attempt(process),
                                         &attempt)) < 0) {
        tracer_resume(task, 0);
        return;
    }
    attempt.seq = next_seq(tracer);
    bool known = attempt.error > 0;
    trace_run_note(tracer->run, traced_process_add_attempt(process, &attempt));
    if (known) {
        tracer_resume(task, 0); /* it will fail: no need to see it fail */
        return;
    }
    /* One more stop, at the syscall's exit, if this exec fails: on success
     * PTRACE_EVENT_EXEC comes first and resumes without it. */
    task->syscall_awaiting_exit = nr;
    ptrace(PTRACE_SYSCALL, task->pid, 0L, 0L);
}

/* The calls in which a process goes idle (the seccomp filter stops the
 * blocking waits only, not those with WNOHANG), or NULL. */
static const char *idle_call_name(int nr)
{
    switch (nr) {
    case SYS_nanosleep:
        return "nanosleep";
    case SYS_clock_nanosleep:
        return "clock_nanosleep";
    case SYS_wait4:
        return "wait4";
    case SYS_waitid:
        return "waitid";
    case SYS_rt_sigsuspend:
        return "sigsuspend";
#ifdef SYS_pause
    case SYS_pause:
        return "pause";
#endif
    default:
        return NULL;
    }
}

/* A process goes idle: the pipe write ends it holds as it does, and what
 * it has written so far (fd_leak: an end held through a wait and never
 * written again was not needed any more). */
static void on_idle(struct tracer *tracer, struct traced_process *task, const char *call)
{
    struct traced_process *process = trace_run_process_of(tracer->run, task);
    struct fd_table table;
    fd_table_init(&table);
    struct fd_fact *ends = NULL;
    size_t count = 0;
    unsigned long seq = next_seq(tracer);
    if (fd_table_read(task->pid, 3, &table) == 0)
        for (size_t i = 0; i < table.count; i++) {
            const struct fd_entry *entry = &table.entries[i];
            if (fd_target_is_pipe(entry->target) && entry->flags >= 0 &&
                (entry->flags & O_ACCMODE) != O_RDONLY &&
                trace_run_note(tracer->run, traced_process_add_fd(&ends, &count, entry,
                                                                  process->program, seq)) < 0)
                break;
        }
    fd_table_free(&table);
    uint64_t written;
    if (count > 0 && proc_written_bytes(task->pid, &written) == 0)
        traced_process_set_idle(process, call, seq, written, ends, count);
    else
        free(ends);
}

static void on_seccomp(struct tracer *tracer, struct traced_process *task)
{
    struct __ptrace_syscall_info info;
    memset(&info, 0, sizeof(info));
    if (ptrace(PTRACE_GET_SYSCALL_INFO, task->pid, sizeof(info), &info) <= 0 ||
        info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
        tracer_resume(task, 0);
        return;
    }
    int nr = (int)info.seccomp.nr;
    if (nr == SYS_close) {
        on_close(tracer, task, (int)info.seccomp.args[0]);
        tracer_resume(task, 0);
    } else if (nr == SYS_execve || nr == SYS_execveat) {
        on_exec_attempt(tracer, task, nr, info.seccomp.args);
    } else if (nr == SYS_wait4 || nr == SYS_waitid) {
        /* A wait that blocks (no WNOHANG) is an idle call too. */
        if (!(info.seccomp.args[nr == SYS_wait4 ? 2 : 3] & WNOHANG))
            on_idle(tracer, task, idle_call_name(nr));
        tracer_on_wait_entry(task, nr, info.seccomp.args);
    } else if (idle_call_name(nr) != NULL) {
        on_idle(tracer, task, idle_call_name(nr));
        tracer_resume(task, 0);
    } else {
        tracer_resume(task, 0);
    }
}

/* The exit of a wait (tracer_on_wait_exit), or of an execve that failed (a
 * successful one never gets here). */
static void on_syscall_exit(struct tracer *tracer, struct traced_process *task)
{
    long nr = task->syscall_awaiting_exit;
    task->syscall_awaiting_exit = -1;
    if (nr == SYS_wait4 || nr == SYS_waitid) {
        tracer_on_wait_exit(tracer, task, nr);
        tracer_resume(task, 0);
        return;
    }
    struct __ptrace_syscall_info info;
    memset(&info, 0, sizeof(info));
    struct traced_process *process = trace_run_process_of(tracer->run, task);
    struct exec_attempt *attempt = traced_process_last_attempt(process);
    if (ptrace(PTRACE_GET_SYSCALL_INFO, task->pid, sizeof(info), &info) > 0 &&
        info.op == PTRACE_SYSCALL_INFO_EXIT && info.exit.is_error && attempt != NULL)
        attempt->error = (int)-info.exit.rval;
    tracer_resume(task, 0);
}

static void on_signal_delivery(struct tracer *tracer, struct traced_process *task, int signo)
{
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    if (ptrace(PTRACE_GETSIGINFO, task->pid, 0L, &info) == 0) {
        task->last_signal = (struct signal_fact){
            .signo = signo,
            .code = info.si_code,
            .sender = info.si_code <= 0 ? tracer_pid_outside_box(tracer, info.si_pid) : 0,
            .address = info.si_code > 0 ? (uint64_t)(uintptr_t)info.si_addr : 0,
        };
        /* Sent by a process: if it ignores it, this stop is the only trace. */
        if (info.si_code <= 0 && signo >= 1 && signo <= 64) {
            struct received_signals *received = &trace_run_process_of(tracer->run, task)->received;
            received->from_processes |= SIGNAL_BIT(signo);
            received->sender[signo - 1] = tracer_pid_outside_box(tracer, info.si_pid);
        }
    }
    /* sigchld_held may keep the parent here while more children exit. */
    if (signo == SIGCHLD && info.si_signo == SIGCHLD && steer_at_sigchld(tracer, task, &info))
        return;
    /* Delivered unchanged; a stop signal becomes a group stop, which comes
     * back as PTRACE_EVENT_STOP. */
    ptrace(PTRACE_CONT, task->pid, 0L, (long)signo);
}

static void on_event_stop(struct tracer *tracer, struct traced_process *task, int signo)
{
    /* A stop signal: a group stop, which must last until SIGCONT (we answer
     * with PTRACE_LISTEN). SIGTRAP: our PTRACE_INTERRUPT, a new task's first
     * stop, or the end of a group stop (SIGCONT came): the task runs on. */
    task->group_stop_signal = is_stop_signal(signo) ? signo : 0;
    if (!task->first_stop_seen) {
        task->first_stop_seen = true;
        release_new_task(tracer, task);
        return;
    }
    /* A group stop, or the stop our PTRACE_INTERRUPT asked for (which
     * sigchld_held may keep). */
    if (!steer_at_interrupt(tracer, task))
        tracer_resume(task, 0);
}

void tracer_stops_dispatch(struct tracer *tracer, pid_t pid, int status)
{
    struct trace_run *run = tracer->run;
    struct traced_process *task = trace_run_find(run, pid);

    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        /* The init's reports first: none may be matched to a later holder
         * of the pid it names. */
        tracer_take_box_reports(tracer);
        if (task == NULL)
            return; /* not a task of ours */
        holds_forget(tracer, task);
        if (task->state == TASK_GONE) {
            /* We collected it once already, as its tracer. Now it is ours
             * as a zombie: its parent died without reaping it, and the
             * kernel handed it to us, the subreaper. */
            if (!task->is_thread) {
                task->unreaped_when_parent_exited = true;
                tracer_release_process(tracer, task);
                trace_note_reap(run, task, 0);
            }
            return;
        }
        answer_classification(tracer, task, true);
        struct traced_process *process = trace_run_process_of(run, task);
        if (task->state != TASK_EXITING) {
            /* Died without a PTRACE_EVENT_EXIT stop: SIGKILL. */
            task->state = TASK_EXITING;
            if (--process->live_tasks <= 0 || task == process) {
                process_exited(tracer, process, pid, status, false);
                traced_process_orphan_children(process, run->orphan_reaper);
            }
        }
        task->state = TASK_GONE;
        task->exit_status = status;
        task->collected_seq = next_seq(tracer);
        tracer->tasks_live--;
        /* A task whose parent is the orphan reaper (main, an orphan) is
         * reaped now: by this collection, or by the box's init right after. */
        if (task == process && process->parent_at_exit == run->orphan_reaper) {
            tracer_release_process(tracer, process);
            trace_note_reap(run, process, 0);
        }
        if (process == task && process->vfork_parent != NULL) {
            process->vfork_parent->in_vfork = false;
            process->vfork_parent = NULL;
        }
        return;
    }
    if (!WIFSTOPPED(status))
        return;
    if (task == NULL || task->state == TASK_GONE) {
        task = on_unknown_task(tracer, pid);
        if (task == NULL)
            return;
    }

    int event = (int)((unsigned)status >> 16);
    int signo = WSTOPSIG(status);
    answer_classification(tracer, task, event == PTRACE_EVENT_EXIT);
    if (event != PTRACE_EVENT_STOP)
        task->group_stop_signal = 0;

    switch (event) {
    case PTRACE_EVENT_FORK:
    case PTRACE_EVENT_VFORK:
    case PTRACE_EVENT_CLONE:
        on_creation(tracer, task, event);
        break;
    case PTRACE_EVENT_EXEC:
        on_exec(tracer, task);
        break;
    case PTRACE_EVENT_EXIT:
        on_exit_stop(tracer, task);
        break;
    case PTRACE_EVENT_SECCOMP:
        on_seccomp(tracer, task);
        break;
    case PTRACE_EVENT_STOP:
        on_event_stop(tracer, task, signo);
        break;
    default:
        if (signo == (SIGTRAP | 0x80))
            on_syscall_exit(tracer, task);
        else
            on_signal_delivery(tracer, task, signo);
    }
}
