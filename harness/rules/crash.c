/* crash: the main program, or a child, ended by a signal the harness did
 * not send.
 * - The main program: any such signal (SIGSEGV, SIGABRT, and also the
 *   SIGKILL of its own kill(0, SIGKILL)): the program did not finish.
 * - A child: only the signals of a fault (those whose default action dumps
 *   core) that no other process sent. A parent that ends a child with
 *   SIGTERM or SIGKILL on purpose, or a pipeline writer ended by SIGPIPE
 *   (`yes | head`), is a correct program. */
#include "rules/rules.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static bool is_fault_signal(int signo)
{
    switch (signo) {
    case SIGQUIT:
    case SIGILL:
    case SIGTRAP:
    case SIGABRT:
    case SIGBUS:
    case SIGFPE:
    case SIGSEGV:
    case SIGXCPU:
    case SIGXFSZ:
    case SIGSYS:
        return true;
    default:
        return false;
    }
}

/* The delivery of `signo` to any task of the process, as the tracer saw it
 * (SIGKILL has no delivery stop, so it never has one). */
static const struct signal_fact *find_delivery(const struct traced_process *process, int signo)
{
    if (process->last_signal.signo == signo)
        return &process->last_signal;
    for (size_t i = 0; i < process->fork_count; i++) {
        const struct traced_process *task = process->forks[i].child;
        if (task->is_thread && task->last_signal.signo == signo)
            return &task->last_signal;
    }
    return NULL;
}

int rule_crash(const struct rule_input *input, struct report *report)
{
    const struct trace_run *run = input->run;
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *process = run->processes[i];
        if (!rule_is_process(process) || process->state != TASK_GONE ||
            !WIFSIGNALED(process->exit_status))
            continue;
        int signo = WTERMSIG(process->exit_status);
        if (process->killed_by_harness && signo == SIGKILL)
            continue;
        const struct signal_fact *delivery = find_delivery(process, signo);
        bool sent_by_other = delivery != NULL && delivery->code <= 0 && delivery->sender != 0 &&
                             delivery->sender != process->pid;
        if (!process->is_main && (!is_fault_signal(signo) || sent_by_other))
            continue;

        json_t *evidence = rule_process_json(process);
        json_object_set_new(evidence, "signal", json_sprintf("SIG%s", sigabbrev_np(signo)));
        json_object_set_new(evidence, "signal_number", json_integer(signo));
        json_object_set_new(evidence, "description", json_string(strsignal(signo)));
        json_object_set_new(evidence, "core_dumped", json_boolean(WCOREDUMP(process->exit_status)));
        if (delivery != NULL && delivery->code > 0 && delivery->address != 0)
            json_object_set_new(evidence, "address",
                                json_sprintf("0x%llx", (unsigned long long)delivery->address));
        if (delivery != NULL && delivery->code <= 0 && delivery->sender != 0)
            json_object_set_new(evidence, "sent_by", json_integer(delivery->sender));
        /* The kernel's SIGKILL at the box's memory limit has no sender. */
        bool out_of_memory = signo == SIGKILL && run->memory_kills > 0;
        if (out_of_memory)
            json_object_set_new(evidence, "memory_limit_mib", json_integer(run->memory_limit_mib));
        char who[300], memory[96] = "";
        if (out_of_memory)
            snprintf(memory, sizeof(memory),
                     ": the kernel ends the program's processes past %ld MiB of memory",
                     run->memory_limit_mib);
        rule_describe(process, who, sizeof(who));
        int error = report_add_finding(
            report, FINDING_CRASH, process->pid, evidence, "%s %s was killed by SIG%s (%s)%s%s",
            process->is_main ? "the main program" : "the child", who, sigabbrev_np(signo),
            strsignal(signo), WCOREDUMP(process->exit_status) ? ", core dumped" : "", memory);
        if (error < 0)
            return error;
    }
    return 0;
}
