/* Who a process of the valgrind run is: the program it ran (a text log
 * names none for a forked child) and, when certain, the pid the traced run
 * gave the same process. */
#include "valgrind/identity.h"

#include <string.h>

const char *valgrind_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

const char *valgrind_program_of(const struct valgrind_output *output,
                                const struct valgrind_process *process, bool *inferred)
{
    *inferred = false;
    if (process->program != NULL)
        return process->program;
    const char *only = NULL;
    bool several = false;
    const struct valgrind_process *closest = NULL;
    for (size_t i = 0; i < output->count; i++) {
        const struct valgrind_process *other = &output->processes[i];
        if (other->program == NULL)
            continue;
        if (only == NULL)
            only = other->program;
        else if (strcmp(only, other->program) != 0)
            several = true;
        if (other->pid < process->pid && (closest == NULL || other->pid > closest->pid))
            closest = other;
    }
    if (!several)
        return only;
    *inferred = true;
    return closest != NULL ? closest->program : only;
}

bool valgrind_is_fork_copy(const struct valgrind_output *output,
                           const struct valgrind_process *process)
{
    if (!process->started_program)
        return true;
    const struct valgrind_process *parent =
        process->ppid != 0 ? valgrind_output_find(output, process->ppid) : NULL;
    return parent != NULL && parent->program != NULL && process->program != NULL &&
           strcmp(parent->program, process->program) == 0;
}

/* The program a traced process ran: its last exec, else its parent's. */
static const char *traced_program(const struct report *report, const struct process_record *process)
{
    for (size_t hops = 0; process != NULL && hops < report->process_count; hops++) {
        if (process->program_count > 0)
            return process->programs[process->program_count - 1];
        const struct process_record *parent = NULL;
        for (size_t i = 0; i < report->process_count; i++)
            if (report->processes[i].pid == process->ppid)
                parent = &report->processes[i];
        process = parent;
    }
    return NULL;
}

pid_t valgrind_traced_pid(const struct report *report, const struct valgrind_output *output,
                          const struct valgrind_process *process, pid_t valgrind_main,
                          const char *program)
{
    if (report->main_pid == 0 || program == NULL)
        return process->pid;
    if (process->pid == valgrind_main)
        return report->main_pid;
    const bool forked = valgrind_is_fork_copy(output, process);
    pid_t found = 0;
    size_t matches = 0;
    for (size_t i = 0; i < report->process_count; i++) {
        const struct process_record *record = &report->processes[i];
        if (record->is_thread || record->pid == report->main_pid ||
            (record->program_count == 0) != forked)
            continue;
        const char *ran = traced_program(report, record);
        if (ran != NULL && strcmp(valgrind_base_name(ran), valgrind_base_name(program)) == 0) {
            found = record->pid;
            matches++;
        }
    }
    return matches == 1 ? found : process->pid;
}
