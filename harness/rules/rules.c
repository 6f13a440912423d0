/* Runs the rules in a fixed order (so reports compare run to run), and the
 * small helpers they share to describe processes the same way. */
#include "rules/rules.h"

#include <stdio.h>
#include <string.h>

int rules_apply(const struct rule_input *input, struct report *report)
{
    int (*const rules[])(const struct rule_input *, struct report *) = {
        rule_process_limit, rule_timeout, rule_crash,   rule_nested_fork,
        rule_runaway_child, rule_zombie,  rule_fd_leak, rule_bad_close,
    };
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        int error = rules[i](input, report);
        if (error < 0)
            return error;
    }
    return 0;
}

const char *rule_program(const struct traced_process *process)
{
    return process != NULL && process->program != NULL ? process->program : "?";
}

const struct traced_process *rule_find(const struct trace_run *run, pid_t pid)
{
    return trace_run_find(run, pid);
}

json_t *rule_process_json(const struct traced_process *process)
{
    return json_pack("{s:i, s:s}", "pid", (int)process->pid, "program", rule_program(process));
}

const char *rule_describe(const struct traced_process *process, char *text, size_t size)
{
    snprintf(text, size, "pid %d (%s)", (int)process->pid, rule_program(process));
    return text;
}

bool rule_is_shell(const char *program)
{
    static const char *const shells[] = {"sh",  "bash", "dash", "zsh",
                                         "ksh", "mksh", "ash",  "busybox"};
    const char *slash = strrchr(program, '/');
    const char *name = slash ? slash + 1 : program;
    for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
        if (strcmp(name, shells[i]) == 0)
            return true;
    return false;
}

bool rule_is_interpreter(const char *program)
{
    static const char *const prefixes[] = {"python", "perl", "ruby", "node",
                                           "java",   "php",  "lua",  "tclsh"};
    if (rule_is_shell(program))
        return true;
    const char *slash = strrchr(program, '/');
    const char *name = slash ? slash + 1 : program;
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

bool rule_is_process(const struct traced_process *process)
{
    return !process->is_thread;
}
