/* nested_fork: a forked child that has not exec'd creates a child itself,
 * because it runs the rest of its parent's code: the fork-in-a-loop
 * explosion. `for (i = 0; i < 3; i++) fork();` lets every child run the rest
 * of the loop too, and 3 forks become 7 new processes. One finding per run,
 * with the counts and the tree.
 * The sign of it: the child forks exactly as many times as its parent did
 * after the fork that created it (the iterations left; the first child of a
 * 3-round loop forks twice, as the parent does after it). A design that forks
 * in a child on purpose does not look like that: a parallel merge sort's
 * child forks two where its parent forks one more or none, an xv6-style
 * shell's command child forks both sides of a pipe, a daemon's middle child
 * forks once where its parent forks no more.
 * Shells are exempt: a subshell, ( ... ) or $( ... ), is a forked copy of
 * the shell that forks the commands inside it, by design. A child whose
 * exec failed and that then forks is runaway_child's business. */
#include "rules/rules.h"

#include <stdio.h>

#define TREE_NODES_MAX 200

/* The processes a process created (threads aside) after sequence `after`
 * and before `before` (0: no bound). */
static size_t count_forks_between(const struct traced_process *process, unsigned long after,
                                  unsigned long before)
{
    size_t count = 0;
    for (size_t i = 0; i < process->fork_count; i++) {
        const struct fork_fact *fork = &process->forks[i];
        if (rule_is_process(fork->child) && fork->seq > after &&
            (before == 0 || fork->seq < before))
            count++;
    }
    return count;
}

/* Whether `process` runs the rest of its parent's code: before any exec of
 * its own, it forked as many times as its parent did after creating it.
 * When the process limit cut the run short, both were killed in the middle
 * of their loops and the counts stopped anywhere: then both still forking
 * is the sign. */
static bool runs_parents_code(const struct trace_run *run, const struct traced_process *process)
{
    if (!rule_is_process(process) || process->is_main || rule_is_shell(rule_program(process)))
        return false;
    const struct traced_process *parent = process->creator;
    if (parent == NULL)
        return false;
    unsigned long first_exec = process->attempt_count ? process->attempts[0].seq : 0;
    size_t own = count_forks_between(process, 0, first_exec);
    size_t parents = count_forks_between(parent, process->created_seq, 0);
    bool cut_short = run->limit_hit && (process->killed_by_harness || parent->killed_by_harness);
    return own > 0 && (own == parents || (cut_short && parents > 0));
}

static size_t count_process_forks(const struct traced_process *process)
{
    return count_forks_between(process, 0, 0);
}

/* {"pid", "program", "children": [...]}, at most *budget nodes in all. */
static json_t *tree_json(const struct traced_process *process, int *budget)
{
    (*budget)--;
    json_t *node = rule_process_json(process);
    json_t *children = json_array();
    for (size_t i = 0; i<process->fork_count && * budget> 0; i++)
        if (rule_is_process(process->forks[i].child))
            json_array_append_new(children, tree_json(process->forks[i].child, budget));
    json_object_set_new(node, "children", children);
    return node;
}

int rule_nested_fork(const struct rule_input *input, struct report *report)
{
    const struct trace_run *run = input->run;
    const struct traced_process *main_process = rule_find(run, run->main_pid);
    if (main_process == NULL)
        return 0;
    json_t *nested = json_array();
    const struct traced_process *first = NULL;
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *process = run->processes[i];
        if (!runs_parents_code(run, process))
            continue;
        if (first == NULL)
            first = process;
        json_t *item = rule_process_json(process);
        json_object_set_new(item, "parent", json_integer(process->parent));
        json_object_set_new(item, "forks", json_integer((json_int_t)count_process_forks(process)));
        json_array_append_new(nested, item);
    }
    if (first == NULL) {
        json_decref(nested);
        return 0;
    }
    size_t created = run->processes_created > 0 ? run->processes_created - 1 : 0;
    size_t main_forks = count_process_forks(main_process);
    int budget = TREE_NODES_MAX;
    json_t *evidence =
        json_pack("{s:i, s:i, s:o, s:o}", "processes_created", (int)created, "main_forks",
                  (int)main_forks, "nested", nested, "tree", tree_json(main_process, &budget));
    char who[300];
    return report_add_finding(report, FINDING_NESTED_FORK, first->pid, evidence,
                              "%zu processes were created where the main program forked %zu: "
                              "%s, a child that had not exec'd, went on with its parent's code "
                              "and forked again (a child of fork() runs the rest of the loop "
                              "too, unless it exits)",
                              created, main_forks, rule_describe(first, who, sizeof(who)));
}
