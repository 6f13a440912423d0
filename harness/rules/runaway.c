/* runaway_child: a child runs code it should not.
 * - An orphan: still running when the main program exited. Its parent never
 *   waited for it, and nothing will (daemons made with setsid and a double
 *   fork included). When it was sent a signal it blocks or ignores, the
 *   evidence says so: someone tried to stop it.
 * - A failed exec: the exec failed and the child went on running its
 *   parent's code: it forked, or exec'd something else. The right reaction
 *   to a failed exec is _exit(127).
 * Not a failure: the PATH search inside execvp and friends, which tries
 * execve in each PATH directory (same argv, same program name) until one
 * works, and glibc's retry of a script without #! through /bin/sh. */
#include "rules/rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Whether `next` continues the attempt `failed` rather than doing
 * something else. */
static bool same_attempt(const struct exec_attempt *failed, const struct exec_attempt *next)
{
    if (failed->argv_hash == next->argv_hash &&
        strcmp(base_name(failed->path), base_name(next->path)) == 0)
        return true;
    return failed->error == ENOEXEC && strcmp(base_name(next->path), "sh") == 0;
}

static int report_orphan(const struct traced_process *process, struct report *report)
{
    const struct traced_process *parent = process->creator;
    json_t *evidence = rule_process_json(process);
    evidence_set_reason(evidence, REASON_ORPHAN);
    json_object_set_new(evidence, "parent", json_integer(process->parent));
    json_object_set_new(evidence, "parent_program", json_string(rule_program(parent)));
    /* An orphan that was sent a signal it did not heed was meant to stop. */
    char who[300], signal[1024] = "";
    if (evidence != NULL && cause_signal(process, evidence, signal + 5, sizeof(signal) - 5))
        memcpy(signal, "; it ", 5);
    return report_add_finding(report, FINDING_RUNAWAY_CHILD, process->pid, evidence,
                              "%s was still running when the main program exited: an orphan "
                              "nobody waited for (the harness killed it)%s",
                              rule_describe(process, who, sizeof(who)), signal);
}

/* What `process` did after the failed attempt number `index`, if it is a
 * runaway: the text of it into `then`, and true. */
static bool went_on_after(const struct traced_process *process, size_t index, char *then,
                          size_t size)
{
    const struct exec_attempt *failed = &process->attempts[index];
    const struct exec_attempt *next =
        index + 1 < process->attempt_count ? &process->attempts[index + 1] : NULL;
    for (size_t i = 0; i < process->fork_count; i++) {
        const struct fork_fact *fork = &process->forks[i];
        if (rule_is_process(fork->child) && fork->seq > failed->seq &&
            (next == NULL || fork->seq < next->seq)) {
            snprintf(then, size, "forked pid %d", (int)fork->child->pid);
            return true;
        }
    }
    if (next != NULL && !same_attempt(failed, next)) {
        snprintf(then, size, "exec'd %s", next->path);
        return true;
    }
    return false;
}

static int report_failed_exec(const struct traced_process *process, struct report *report)
{
    /* Only between the fork and the first exec that worked: after it the
     * process runs a program of its own. `first` is where the current PATH
     * search began. */
    size_t first = 0;
    for (size_t i = 0; i < process->attempt_count; i++) {
        const struct exec_attempt *attempt = &process->attempts[i];
        if (attempt->error == 0)
            return 0;
        if (i > 0 && !same_attempt(&process->attempts[i - 1], attempt))
            first = i;
        char then[300];
        if (attempt->error < 0 || !went_on_after(process, i, then, sizeof(then)))
            continue;
        size_t tried = i - first + 1;
        char places[64] = "";
        if (tried > 1)
            snprintf(places, sizeof(places), "; tried in %zu places of PATH", tried);
        json_t *evidence = rule_process_json(process);
        evidence_set_reason(evidence, REASON_EXEC_FAILED);
        json_object_set_new(evidence, "failed_exec", json_string(attempt->path));
        json_object_set_new(evidence, "paths_tried", json_integer((json_int_t)tried));
        json_object_set_new(evidence, "argv", json_string(attempt->argv_text));
        json_object_set_new(evidence, "errno", json_string(strerrorname_np(attempt->error)));
        json_object_set_new(evidence, "error", json_string(strerror(attempt->error)));
        json_object_set_new(evidence, "then", json_string(then));
        json_object_set_new(evidence, "parent", json_integer(process->parent));
        return report_add_finding(report, FINDING_RUNAWAY_CHILD, process->pid, evidence,
                                  "pid %d's exec of %s failed (%s%s), and instead of exiting it "
                                  "went on running its parent's code: it %s",
                                  (int)process->pid,
                                  tried > 1 ? base_name(attempt->path) : attempt->path,
                                  strerror(attempt->error), places, then);
    }
    return 0;
}

int rule_runaway_child(const struct rule_input *input, struct report *report)
{
    const struct trace_run *run = input->run;
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *process = run->processes[i];
        if (!rule_is_process(process) || process->is_main)
            continue;
        int error = report_failed_exec(process, report);
        if (error == 0 && process->running_at_main_exit)
            error = report_orphan(process, report);
        if (error < 0)
            return error;
    }
    return 0;
}
