/* zombie: a child exited and its parent never reaped it: the parent exited
 * first, or the run ended with the child still unreaped. A child its parent
 * reaps late is not a finding: a zombie between exit and wait is normal.
 * One finding per careless parent, listing the children it left.
 * A parent that was itself killed by a signal (not by the harness at the end
 * of the run) is not blamed: it never got the chance to reap, and its death
 * is the crash finding's business. (kill(0, SIGKILL) kills parent and
 * children at once: which death the harness sees first is chance.) */
#include "rules/rules.h"

#include <stdio.h>
#include <sys/wait.h>

static bool is_unreaped_child(const struct traced_process *child, pid_t parent)
{
    return rule_is_process(child) && !child->is_main && !child->killed_by_harness &&
           child->unreaped_when_parent_exited && child->parent_at_exit == parent;
}

static int report_parent(const struct traced_process *parent, struct report *report)
{
    json_t *children = json_array();
    const struct traced_process *first = NULL;
    size_t count = 0;
    for (size_t i = 0; i < parent->fork_count; i++) {
        const struct traced_process *child = parent->forks[i].child;
        if (!is_unreaped_child(child, parent->pid))
            continue;
        if (first == NULL)
            first = child;
        count++;
        json_t *item = rule_process_json(child);
        if (WIFEXITED(child->exit_status))
            json_object_set_new(item, "exit_code", json_integer(WEXITSTATUS(child->exit_status)));
        json_array_append_new(children, item);
    }
    if (first == NULL) {
        json_decref(children);
        return 0;
    }
    bool run_ended = parent->killed_by_harness;
    if (!run_ended && parent->state == TASK_GONE && WIFSIGNALED(parent->exit_status)) {
        json_decref(children);
        return 0;
    }
    json_t *evidence = json_pack("{s:i, s:s, s:i, s:s, s:s, s:i, s:o}", "child", (int)first->pid,
                                 "child_program", rule_program(first), "parent", (int)parent->pid,
                                 "parent_program", rule_program(parent), "parent_end",
                                 run_ended ? "still running when the run ended" : "exited", "count",
                                 (int)count, "children", children);
    char who[300], child_text[300];
    rule_describe(parent, who, sizeof(who));
    rule_describe(first, child_text, sizeof(child_text));
    char more[64] = "";
    if (count > 1)
        snprintf(more, sizeof(more), " (and %zu more children)", count - 1);
    if (run_ended)
        return report_add_finding(report, FINDING_ZOMBIE, parent->pid, evidence,
                                  "%s exited but its parent %s never reaped it with wait() or "
                                  "waitpid() before the run ended%s",
                                  child_text, who, more);
    return report_add_finding(report, FINDING_ZOMBIE, parent->pid, evidence,
                              "%s exited without reaping its child %s: it stayed a zombie until "
                              "the parent's exit%s",
                              who, child_text, more);
}

int rule_zombie(const struct rule_input *input, struct report *report)
{
    const struct trace_run *run = input->run;
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *parent = run->processes[i];
        if (!rule_is_process(parent))
            continue;
        int error = report_parent(parent, report);
        if (error < 0)
            return error;
    }
    return 0;
}
