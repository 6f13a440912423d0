/* memory_leak findings: one per allocation site and loss kind, summed over
 * the processes that leaked it (a loop of forks leaking the same buffer is
 * one problem, not one per child). */
#include "valgrind/merge.h"

#include "valgrind/evidence.h"
#include "valgrind/identity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One allocation site of one program: every process that leaked it. */
struct leak_group {
    char *key;
    const struct valgrind_leak *first;
    const struct valgrind_process *process; /* the first that leaked it */
    const char *program;
    bool inferred;
    unsigned long long bytes, blocks;
    json_t *pids;
};

static char *leak_key(const char *program, const struct valgrind_leak *leak)
{
    char *key = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&key, &size);
    if (out == NULL)
        return NULL;
    fprintf(out, "%s|%d", program ? valgrind_base_name(program) : "?", (int)leak->loss);
    const bool any_in_program = valgrind_first_program_frame(&leak->stack) != NULL;
    for (size_t i = 0; i < leak->stack.count; i++) {
        const struct valgrind_frame *frame = &leak->stack.frames[i];
        if (!any_in_program || valgrind_frame_in_program(frame))
            fprintf(out, "|%s:%s:%d", frame->function ? frame->function : "?",
                    frame->file ? frame->file : "?", frame->line);
    }
    if (fclose(out) != 0) {
        free(key);
        return NULL;
    }
    return key;
}

static int leak_group_add(struct leak_group **groups, size_t *count,
                          const struct valgrind_output *output,
                          const struct valgrind_process *process, const struct valgrind_leak *leak)
{
    bool inferred;
    const char *program = valgrind_program_of(output, process, &inferred);
    char *key = leak_key(program, leak);
    if (key == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < *count; i++) {
        struct leak_group *group = &(*groups)[i];
        if (strcmp(group->key, key) == 0) {
            free(key);
            group->bytes += leak->bytes;
            group->blocks += leak->blocks;
            return json_array_append_new(group->pids, json_integer(process->pid)) == 0 ? 0
                                                                                       : -ENOMEM;
        }
    }
    struct leak_group *grown = realloc(*groups, (*count + 1) * sizeof(**groups));
    json_t *pids = json_array();
    if (grown == NULL || pids == NULL) {
        free(key);
        json_decref(pids);
        if (grown != NULL)
            *groups = grown;
        return -ENOMEM;
    }
    *groups = grown;
    json_array_append_new(pids, json_integer(process->pid));
    grown[(*count)++] = (struct leak_group){
        .key = key,
        .first = leak,
        .process = process,
        .program = program,
        .inferred = inferred,
        .bytes = leak->bytes,
        .blocks = leak->blocks,
        .pids = pids,
    };
    return 0;
}

static int leak_group_report(struct report *report, const struct valgrind_output *output,
                             pid_t valgrind_main, struct leak_group *group)
{
    const char *loss =
        group->first->loss == VALGRIND_DEFINITELY_LOST ? "definitely lost" : "indirectly lost";
    json_t *evidence = json_object();
    if (evidence == NULL)
        return -ENOMEM;
    json_object_set_new(evidence, "bytes", json_integer((json_int_t)group->bytes));
    json_object_set_new(evidence, "blocks", json_integer((json_int_t)group->blocks));
    json_object_set_new(evidence, "loss", json_string(loss));
    json_object_set_new(evidence, "stack", valgrind_stack_json(&group->first->stack));
    json_object_set_new(evidence, "program",
                        group->program ? json_string(group->program) : json_null());
    if (group->inferred)
        json_object_set_new(evidence, "program_inferred", json_true());
    json_object_set_new(evidence, "valgrind_pid", json_integer(group->process->pid));
    size_t processes = json_array_size(group->pids);
    if (processes > 1)
        json_object_set(evidence, "valgrind_pids", group->pids);
    json_object_set_new(evidence, "confirmed_by", json_pack("[s]", "valgrind"));

    char site[256];
    valgrind_describe_site(&group->first->stack, site, sizeof(site));
    char in_processes[48] = "";
    if (processes > 1)
        snprintf(in_processes, sizeof(in_processes), " (in %zu processes)", processes);
    pid_t pid = valgrind_traced_pid(report, output, group->process, valgrind_main, group->program);
    return report_add_finding(report, FINDING_MEMORY_LEAK, pid, evidence,
                              "%llu bytes in %llu block%s %s in %s%s, allocated at %s",
                              group->bytes, group->blocks, group->blocks == 1 ? "" : "s", loss,
                              group->program ? valgrind_base_name(group->program) : "the program",
                              in_processes, site);
}

int valgrind_merge_leaks(struct report *report, const struct valgrind_output *output,
                         pid_t valgrind_main)
{
    struct leak_group *groups = NULL;
    size_t count = 0;
    int result = 0;
    for (size_t i = 0; i < output->count && result == 0; i++) {
        const struct valgrind_process *process = &output->processes[i];
        for (size_t j = 0; j < process->leak_count && result == 0; j++)
            result = leak_group_add(&groups, &count, output, process, &process->leaks[j]);
    }
    for (size_t i = 0; i < count; i++) {
        if (result == 0)
            result = leak_group_report(report, output, valgrind_main, &groups[i]);
        free(groups[i].key);
        json_decref(groups[i].pids);
    }
    free(groups);
    return result;
}
