/* The two kinds where the harness had to step in: process_limit (more
 * processes at once than --max-procs: the tree was killed) and timeout (the
 * run passed --timeout: the evidence says what each process waited on, and
 * the cause when rules/causes.c can prove one). */
#include "rules/rules.h"

#include <stdio.h>
#include <string.h>

int rule_process_limit(const struct rule_input *input, struct report *report)
{
    const struct trace_run *run = input->run;
    if (!run->limit_hit)
        return 0;
    json_t *evidence =
        json_pack("{s:i, s:i, s:i}", "max_procs", (int)run->max_procs, "processes_at_once",
                  (int)run->peak_alive, "processes_created", (int)run->processes_created);
    if (run->forks_refused_by_kernel > 0)
        json_object_set_new(evidence, "forks_refused_by_kernel",
                            json_integer(run->forks_refused_by_kernel));
    if ((long)run->peak_alive <= run->max_procs) /* the kernel's limit came first */
        return report_add_finding(report, FINDING_PROCESS_LIMIT, run->main_pid, evidence,
                                  "the kernel refused %ld new processes or threads of the "
                                  "program: it reached its box's limit on tasks, which counts "
                                  "threads too and lies above --max-procs %ld",
                                  run->forks_refused_by_kernel, run->max_procs);
    return report_add_finding(report, FINDING_PROCESS_LIMIT, run->main_pid, evidence,
                              "the program had more than %ld processes at once (the limit; "
                              "%zu created in all), so the harness killed the whole tree",
                              run->max_procs, run->processes_created);
}

static json_t *blocked_json(const struct trace_run *run, const struct traced_process *process,
                            char *description, size_t size)
{
    const struct blocked_on *blocked = &process->blocked;
    blocked_on_describe(blocked, description, size);
    json_t *item = rule_process_json(process);
    json_object_set_new(item, "state", json_sprintf("%c", blocked->state ? blocked->state : '?'));
    json_object_set_new(item, "blocked_on", json_string(description));
    if (blocked->syscall_name != NULL)
        json_object_set_new(item, "syscall", json_string(blocked->syscall_name));
    if (blocked->wchan[0] != '\0')
        json_object_set_new(item, "wchan", json_string(blocked->wchan));
    if (blocked->fd >= 0) {
        json_object_set_new(item, "fd", json_integer(blocked->fd));
        json_object_set_new(item, "target", json_string(blocked->target.target));
        json_object_set_new(item, "end", json_string(fd_entry_access(&blocked->target)));
    }
    /* Only a parent with several threads makes this worth a line: a fork
     * copies one thread, and the others' locks stay locked in the child. */
    if (process->parent_threads_at_fork > 1)
        json_object_set_new(item, "parent_threads_at_fork",
                            json_integer(process->parent_threads_at_fork));
    if (blocked->fd >= 0 && fd_target_is_pipe(blocked->target.target)) {
        json_t *holders = json_array();
        for (size_t i = 0; i < blocked->holder_count; i++) {
            const struct traced_process *holder = rule_find(run, blocked->holders[i].pid);
            json_array_append_new(
                holders, json_pack("{s:i, s:i, s:s}", "pid", (int)blocked->holders[i].pid, "fd",
                                   blocked->holders[i].fd, "program", rule_program(holder)));
        }
        json_object_set_new(item, "other_end_held_by", holders);
    }
    return item;
}

/* The sentence: the first process hung on a pipe whose other end is still
 * held (the usual cause), else the main program's state. */
static void explain(const struct trace_run *run, char *text, size_t size)
{
    const struct traced_process *chosen = NULL;
    for (size_t i = 0; i < run->count && chosen == NULL; i++) {
        const struct traced_process *process = run->processes[i];
        if (process->blocked.valid && process->blocked.holder_count > 0)
            chosen = process;
    }
    char description[300], who[300];
    if (chosen != NULL) {
        const struct pipe_holder *holder = &chosen->blocked.holders[0];
        const struct traced_process *holder_process = rule_find(run, holder->pid);
        blocked_on_describe(&chosen->blocked, description, sizeof(description));
        char holder_text[300];
        snprintf(text, size,
                 "%s waits in %s, and the other end of that pipe is still open in %s "
                 "as fd %d%s",
                 rule_describe(chosen, who, sizeof(who)), description,
                 holder_process ? rule_describe(holder_process, holder_text, sizeof(holder_text))
                                : "another process",
                 holder->fd, holder->pid == chosen->pid ? " (its own copy: close it)" : "");
        return;
    }
    const struct traced_process *main_process = rule_find(run, run->main_pid);
    if (main_process != NULL && main_process->blocked.valid) {
        blocked_on_describe(&main_process->blocked, description, sizeof(description));
        snprintf(text, size, "%s is %s", rule_describe(main_process, who, sizeof(who)),
                 description);
        return;
    }
    snprintf(text, size, "the main program had exited but other processes were still running");
}

int rule_timeout(const struct rule_input *input, struct report *report)
{
    const struct trace_run *run = input->run;
    if (!run->timed_out)
        return 0;
    json_t *processes = json_array();
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *process = run->processes[i];
        if (!rule_is_process(process) || !process->blocked.valid)
            continue;
        char description[300];
        json_array_append_new(processes,
                              blocked_json(run, process, description, sizeof(description)));
    }
    json_t *evidence =
        json_pack("{s:i, s:o}", "timeout_ms", (int)run->timeout_ms, "processes", processes);
    char why[2048];
    enum finding_reason reason =
        evidence != NULL ? cause_of_hang(run, evidence, why, sizeof(why)) : REASON_NONE;
    if (reason != REASON_NONE)
        evidence_set_reason(evidence, reason);
    else
        explain(run, why, sizeof(why));
    return report_add_finding(report, FINDING_TIMEOUT, run->main_pid, evidence,
                              "the program did not finish within %.1f s: %s",
                              (double)run->timeout_ms / 1000.0, why);
}
