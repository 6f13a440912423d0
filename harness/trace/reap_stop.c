/* The reap of a child, read at the exit of the wait call that collected it.
 * wait4 returns the pid and writes the wait status; waitid returns 0 and
 * writes a siginfo_t: the status tells an exit from a stop or a continue,
 * which a wait call reports too without reaping anything. */
#include "trace/reap_stop.h"
#include "trace/run_events.h"
#include "trace/tracee_memory.h"

#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

void tracer_on_wait_entry(struct traced_process *task, long nr, const uint64_t *args)
{
    task->syscall_awaiting_exit = nr;
    memcpy(task->syscall_args, args, sizeof(task->syscall_args));
    ptrace(PTRACE_SYSCALL, task->pid, 0L, 0L);
}

/* The pid wait4 reaped, or 0: it failed, found nothing (WNOHANG), or
 * reported a stop or a continue (WUNTRACED, WCONTINUED). */
static pid_t wait4_reaped(pid_t tid, long result, const uint64_t *args)
{
    if (result <= 0)
        return 0;
    int status;
    if (args[1] != 0 && tracee_read(tid, args[1], &status, sizeof(status)) == sizeof(status) &&
        !WIFEXITED(status) && !WIFSIGNALED(status))
        return 0;
    /* Without a status to read, the child's own record below tells: one
     * that has not begun to exit was only reported, not reaped. */
    return (pid_t)result;
}

/* The pid waitid reaped, or 0 (also for WNOWAIT, which leaves it waitable). */
static pid_t waitid_reaped(pid_t tid, long result, const uint64_t *args)
{
    siginfo_t info;
    if (result != 0 || (args[3] & WNOWAIT) || args[2] == 0 ||
        tracee_read(tid, args[2], &info, sizeof(info)) != sizeof(info))
        return 0;
    bool ended =
        info.si_code == CLD_EXITED || info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED;
    return ended ? info.si_pid : 0;
}

void tracer_on_wait_exit(struct tracer *tracer, struct traced_process *task, long nr)
{
    struct __ptrace_syscall_info info;
    memset(&info, 0, sizeof(info));
    if (ptrace(PTRACE_GET_SYSCALL_INFO, task->pid, sizeof(info), &info) <= 0 ||
        info.op != PTRACE_SYSCALL_INFO_EXIT || info.exit.is_error)
        return;
    pid_t reaped = nr == SYS_wait4 ? wait4_reaped(task->pid, info.exit.rval, task->syscall_args)
                                   : waitid_reaped(task->pid, info.exit.rval, task->syscall_args);
    reaped = tracer_pid_outside_box(tracer, reaped); /* a pid of the box, in a box */
    struct trace_run *run = tracer->run;
    struct traced_process *child = reaped > 0 ? trace_run_find(run, reaped) : NULL;
    if (child != NULL && !child->is_thread && child->exit_seq != 0)
        trace_note_reap(run, child, trace_run_process_of(run, task)->pid);
}
