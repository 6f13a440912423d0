/* bad_close: close() of a descriptor that was not open: a double close,
 * close(-1) (the error value of a failed open or pipe), or a number that
 * was never a descriptor here. Harmless-looking, it is a real bug: in a
 * program with threads, or after the number is reused by a later open, the
 * second close shuts someone else's file.
 * One finding per process; the evidence lists each bad close (up to a cap)
 * and, when the harness saw it, where that fd had been closed before.
 * Shells are exempt: their descriptor bookkeeping is theirs, not the
 * script's (dash calls close(-1) after every pipeline, by design). */
#include "rules/rules.h"

#include <stdio.h>

#define LISTED_CLOSES_MAX 32

static json_t *close_json(const struct bad_close_fact *fact)
{
    json_t *item = json_pack("{s:i, s:i}", "fd", fact->fd, "tid", (int)fact->tid);
    if (fact->last_closed_by != 0) {
        json_object_set_new(item, "last_closed_by", json_integer(fact->last_closed_by));
        json_object_set_new(
            item, "last_closed_program",
            json_string(fact->last_closed_program ? fact->last_closed_program : "?"));
    }
    return item;
}

static void explain(const struct traced_process *process, const struct bad_close_fact *fact,
                    char *text, size_t size)
{
    if (fact->fd < 0)
        snprintf(text, size,
                 "called close(%d): %d is not a descriptor (-1 is what a failed open() or "
                 "pipe() returns; check for errors before closing)",
                 fact->fd, fact->fd);
    else if (fact->last_closed_by != 0 && fact->last_closed_seq > process->created_seq)
        snprintf(text, size, "closed fd %d twice: it had already closed it itself", fact->fd);
    else if (fact->last_closed_by != 0)
        snprintf(text, size,
                 "closed fd %d, which was not open: pid %d (%s) had closed it before the fork",
                 fact->fd, (int)fact->last_closed_by,
                 fact->last_closed_program ? fact->last_closed_program : "?");
    else
        snprintf(text, size, "closed fd %d, which was not open (it was never opened here)",
                 fact->fd);
}

static bool counts(const struct bad_close_fact *fact)
{
    return !rule_is_shell(fact->program ? fact->program : "");
}

int rule_bad_close(const struct rule_input *input, struct report *report)
{
    const struct trace_run *run = input->run;
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *process = run->processes[i];
        const struct bad_close_fact *first = NULL;
        size_t count = 0;
        for (size_t j = 0; j < process->bad_close_count; j++) {
            if (!counts(&process->bad_closes[j]))
                continue;
            if (first == NULL)
                first = &process->bad_closes[j];
            count++;
        }
        if (first == NULL)
            continue;
        json_t *evidence = rule_process_json(process);
        json_object_set_new(evidence, "fd", json_integer(first->fd));
        if (first->last_closed_by != 0) {
            json_object_set_new(evidence, "last_closed_by", json_integer(first->last_closed_by));
            json_object_set_new(
                evidence, "last_closed_program",
                json_string(first->last_closed_program ? first->last_closed_program : "?"));
        }
        json_object_set_new(evidence, "count", json_integer((json_int_t)count));
        json_t *closes = json_array();
        for (size_t j = 0;
             j < process->bad_close_count && json_array_size(closes) < LISTED_CLOSES_MAX; j++)
            if (counts(&process->bad_closes[j]))
                json_array_append_new(closes, close_json(&process->bad_closes[j]));
        json_object_set_new(evidence, "closes", closes);

        char why[400], who[300], more[64] = "";
        explain(process, first, why, sizeof(why));
        if (count > 1)
            snprintf(more, sizeof(more), " (%zu bad closes in all)", count);
        int error = report_add_finding(report, FINDING_BAD_CLOSE, process->pid, evidence, "%s %s%s",
                                       rule_describe(process, who, sizeof(who)), why, more);
        if (error < 0)
            return error;
    }
    return 0;
}
