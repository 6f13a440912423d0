/* The result record of a check run: construction and lookup. Nothing here
 * prints; renderers (render_*.c) turn a finished record into text or data. */
#include "core/report.h"
#include "core/lesson_choice.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool process_record_is_copying_spawn(const struct process_record *process)
{
    return !process->is_thread && process->created_by == PROCESS_CREATED_FORK &&
           process->parent_rss_kib >= COPYING_SPAWN_MIN_PARENT_KIB && process->exec_first;
}

void report_init(struct report *report)
{
    memset(report, 0, sizeof(*report));
}

static void strv_free(char **strings)
{
    if (strings == NULL)
        return;
    for (char **s = strings; *s != NULL; s++)
        free(*s);
    free(strings);
}

void report_free(struct report *report)
{
    free(report->program);
    free(report->isolation.missing);
    strv_free(report->argv);
    for (size_t i = 0; i < report->process_count; i++) {
        strv_free(report->processes[i].programs);
        process_events_free(report->processes[i].events, report->processes[i].event_count);
    }
    free(report->processes);
    for (size_t i = 0; i < report->finding_count; i++) {
        free(report->findings[i].message);
        json_decref(report->findings[i].evidence);
    }
    free(report->findings);
    free(report->out.data);
    free(report->err.data);
    for (size_t i = 0; i < report->check_count; i++)
        free(report->checks[i]);
    free(report->checks);
    report_init(report);
}

/* Grows an array so that one more element fits. */
static int reserve_one(void **items, size_t count, size_t *capacity, size_t size)
{
    if (count < *capacity)
        return 0;
    size_t wanted = *capacity ? *capacity * 2 : 16;
    void *grown = realloc(*items, wanted * size);
    if (grown == NULL)
        return -ENOMEM;
    *items = grown;
    *capacity = wanted;
    return 0;
}

int report_add_finding(struct report *report, enum finding_kind kind, pid_t pid, json_t *evidence,
                       const char *message, ...)
{
    if (evidence == NULL) {
        report->facts_lost++;
        evidence = json_object();
    }
    if (evidence == NULL || reserve_one((void **)&report->findings, report->finding_count,
                                        &report->finding_capacity, sizeof(*report->findings)) < 0) {
        json_decref(evidence);
        return -ENOMEM;
    }
    char *text = NULL;
    va_list args;
    va_start(args, message);
    int length = vasprintf(&text, message, args);
    va_end(args);
    if (length < 0) {
        json_decref(evidence);
        return -ENOMEM;
    }
    report->findings[report->finding_count++] =
        (struct finding){.kind = kind,
                         .pid = pid,
                         .message = text,
                         .evidence = evidence,
                         .reason = finding_reason_of(evidence),
                         .lesson = lesson_choose(kind, finding_reason_of(evidence), evidence)};
    return 0;
}

struct process_record *report_add_process(struct report *report, pid_t pid, pid_t ppid)
{
    if (reserve_one((void **)&report->processes, report->process_count, &report->process_capacity,
                    sizeof(*report->processes)) < 0)
        return NULL;
    char **programs = calloc(1, sizeof(char *));
    if (programs == NULL)
        return NULL;
    struct process_record *process = &report->processes[report->process_count++];
    *process = (struct process_record){.pid = pid,
                                       .ppid = ppid,
                                       .programs = programs,
                                       .end = PROCESS_RUNNING,
                                       .parent_rss_kib = -1};
    return process;
}

int process_record_add_program(struct process_record *process, const char *program)
{
    char *copy = strdup(program);
    char **grown = realloc(process->programs, (process->program_count + 2) * sizeof(char *));
    if (copy == NULL || grown == NULL) {
        free(copy);
        if (grown != NULL)
            process->programs = grown;
        return -ENOMEM;
    }
    grown[process->program_count++] = copy;
    grown[process->program_count] = NULL;
    process->programs = grown;
    return 0;
}

struct process_record *report_find_process(struct report *report, pid_t pid)
{
    for (size_t i = report->process_count; i-- > 0;)
        if (report->processes[i].pid == pid)
            return &report->processes[i];
    return NULL;
}

int report_add_check(struct report *report, const char *check)
{
    char *copy = strdup(check);
    char **grown = realloc(report->checks, (report->check_count + 1) * sizeof(char *));
    if (copy == NULL || grown == NULL) {
        free(copy);
        if (grown != NULL)
            report->checks = grown;
        return -ENOMEM;
    }
    grown[report->check_count++] = copy;
    report->checks = grown;
    return 0;
}

const char *report_kind_lessons(const struct report *report, enum finding_kind kind, char *text,
                                size_t size)
{
    size_t used = 0;
    text[0] = '\0';
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        if (finding->kind != kind)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = report->findings[j].kind == kind &&
                   strcmp(report->findings[j].lesson, finding->lesson) == 0;
        if (!seen && used < size)
            used += (size_t)snprintf(text + used, size - used, "%s%s", used ? " and " : "",
                                     finding->lesson);
    }
    if (used == 0)
        snprintf(text, size, "%s", finding_kind_lesson(kind));
    return text;
}

const struct process_record *report_waiter_of(const struct report *report, pid_t pid, int fd,
                                              int *held_fd)
{
    for (size_t i = 0; i < report->process_count; i++) {
        const struct process_wait *wait = &report->processes[i].waiting;
        for (size_t h = 0; wait->valid && h < wait->holder_count; h++) {
            const struct wait_holder *holder = &wait->holders[h];
            if (holder->pid != pid || (fd >= 0 && holder->fd != fd))
                continue;
            if (held_fd != NULL)
                *held_fd = holder->fd;
            return &report->processes[i];
        }
    }
    return NULL;
}

bool report_is_incomplete(const struct report *report)
{
    return report->facts_lost > 0;
}

size_t report_count_kind(const struct report *report, enum finding_kind kind)
{
    size_t count = 0;
    for (size_t i = 0; i < report->finding_count; i++)
        count += report->findings[i].kind == kind;
    return count;
}

bool report_kind_checked(const struct report *report, enum finding_kind kind)
{
    const char *needed = kind == FINDING_MEMORY_LEAK ? "valgrind-memcheck" : "trace";
    for (size_t i = 0; i < report->check_count; i++)
        if (strcmp(report->checks[i], needed) == 0)
            return true;
    return report_count_kind(report, kind) > 0;
}
