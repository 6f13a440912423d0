/* The JSON report: one object that graders and scripts read. Built with
 * jansson; the schema (version 1) is:
 *
 *   "forklab_report": 1                      schema version
 *   "program": "/usr/bin/sh"                 the program as resolved
 *   "argv": ["sh", "-c", "exit 3"]
 *   "pid": 1234                              the main process
 *   "exit": END                              how the main process ended
 *   "duration_ms": 12
 *   "processes": [{"pid", "ppid", "programs": [every program exec'd, in
 *                  order], "end": END, "reaped": bool (its parent waited),
 *                  "created_by": "fork" (a copy of the parent's address
 *                  space: its page tables were copied) | "vfork" (shared
 *                  the parent's memory until exec: vfork, posix_spawn, the
 *                  wrapper) | "forklab" (the main process) | "unknown",
 *                  "parent_rss_kib": the parent's resident memory (KiB)
 *                  when it was created, null for the main process,
 *                  "events": [EVENT, ... in the order they happened],
 *                  "waiting": WAIT or null}]
 *   "findings": [{"kind": "zombie", "pid" (0: the whole run), "message",
 *                 "lesson": "lessons/..." (chosen from the evidence: a timeout
 *                 with a cycle of pipes points to lesson 08, say), "evidence":
 *                 {the kind's own fields: fd, parent, ...}}]
 *   "finding_count": 2
 *   "checks": ["trace", ...]                 the checks that ran
 *   "kinds": {"zombie": {"checked": bool, "findings": N}, ... all 9 kinds}
 *   "isolation": {"namespaces": bool (its own PID namespace under forklab's
 *                 init, and mount namespace), "user_namespace": bool,
 *                 "max_tasks", "memory_mib", "cpu_seconds": the kernel's
 *                 limits (null: none), "missing": why a part is missing
 *                 (null: nothing is)}, or null when no traced run happened
 *   "facts_lost": N                          facts the run could not record
 *                                            (out of memory): N > 0 means
 *                                            the report is incomplete
 *   "stdout", "stderr": {"text": "...", "bytes": N written by the target,
 *                        "kept": N kept, "truncated": bool (bytes > kept),
 *                        "pipe": "pipe:[N]" forklab captured it through,
 *                        "" unknown}
 *
 * END is one of
 *   {"how": "exit", "code": 3, "description": "exit 3"}
 *   {"how": "signal", "signal": "SIGSEGV", "number": 11, "core_dumped": bool,
 *    "description": "killed by SIGSEGV (core dumped)"}
 *   {"how": "stopped_by_forklab", "signal": "SIGKILL", "number": 9, ...}
 *   {"how": "running", "description": "still running"}
 *
 * EVENT is one moment of a process's life, as the tracer saw it:
 *   {"event": "fork" (created; main: started by forklab) | "exec" (a
 *    successful exec) | "exit" (it began to exit) | "timeout" (alive when
 *    the run timed out) | "reap" (its exit status was collected: until
 *    then, from its exit on, it was a zombie),
 *    "seq": N (the run's order of events), "at_us": N (µs since the start,
 *    when the tracer saw it), "program": what ran then (exec: the new
 *    program; absent before the first exec), "by": pid (reap only: who
 *    reaped it, 0 forklab), "fds": [FD, ...] (exec, exit on its own and
 *    timeout: the whole table then, 0 to 2 included; absent when not read)}
 * FD is {"fd": 3, "target": "pipe:[123]" (the /proc/PID/fd link),
 *        "kind": "pipe" | "socket" | "tty" | "file" | "other",
 *        "access": "read" | "write" | "read-write" | "unknown",
 *        "end": "read end" | "write end" for a pipe, else the access}
 * WAIT is what a process was blocked on when the run timed out:
 *   {"description": "read on fd 3, pipe:[123] (read end)", "fd": 3 or null,
 *    "target": "pipe:[123]", "end": "read end", "held_by": [{"pid", "fd"}]
 *    (for a pipe: who held its other end then)}
 * A process reaped by its parent has no "reap" event when the parent did
 * not reap it with wait4 or waitid (SIGCHLD ignored: the kernel reaped it).
 *
 * Text the target wrote that is not valid UTF-8 has each bad byte replaced
 * by U+FFFD, as JSON strings must be Unicode. */
#include "core/write/json_document.h"
#include "render/json_events.h"
#include "render/render.h"

#include <stdlib.h>

static json_t *end_to_json(enum process_end end, int code, bool core_dumped)
{
    char description[PROCESS_END_SIZE], name[SIGNAL_NAME_SIZE];
    process_end_describe(end, code, core_dumped, description);
    switch (end) {
    case PROCESS_EXITED:
        return json_pack("{s:s, s:i, s:s}", "how", "exit", "code", code, "description",
                         description);
    case PROCESS_SIGNALED:
        return json_pack("{s:s, s:s, s:i, s:b, s:s}", "how", "signal", "signal",
                         signal_name(code, name), "number", code, "core_dumped", core_dumped,
                         "description", description);
    case PROCESS_STOPPED_BY_HARNESS:
        return json_pack("{s:s, s:s, s:i, s:s}", "how", "stopped_by_forklab", "signal",
                         signal_name(code, name), "number", code, "description", description);
    case PROCESS_RUNNING:
    default:
        return json_pack("{s:s, s:s}", "how", "running", "description", description);
    }
}

/* A NULL-terminated string vector as an array; NULL when out of memory. */
static json_t *strings_to_json(char *const *strings, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; array != NULL && i < count; i++)
        if (json_array_append_new(array, json_string(strings[i])) < 0) {
            json_decref(array);
            return NULL;
        }
    return array;
}

static size_t strv_length(char *const *strings)
{
    size_t count = 0;
    while (strings != NULL && strings[count] != NULL)
        count++;
    return count;
}

static json_t *process_to_json(const struct process_record *process)
{
    json_t *parent_rss = process->parent_rss_kib >= 0
                             ? json_integer((json_int_t)process->parent_rss_kib)
                             : json_null();
    return json_pack(
        "{s:i, s:i, s:o, s:o, s:b, s:s, s:o, s:o, s:o}", "pid", process->pid, "ppid", process->ppid,
        "programs", strings_to_json(process->programs, process->program_count), "end",
        end_to_json(process->end, process->code, process->core_dumped), "reaped",
        process->reaped_by_parent, "created_by", process_creation_name(process->created_by),
        "parent_rss_kib", parent_rss, "events", process_events_to_json(process), "waiting",
        process_wait_to_json(&process->waiting));
}

static json_t *finding_to_json(const struct finding *finding)
{
    /* "O" takes a new reference: the record keeps its own evidence. */
    return json_pack("{s:s, s:i, s:s, s:s, s:O}", "kind", finding_kind_name(finding->kind), "pid",
                     finding->pid, "message", finding->message, "lesson", finding->lesson,
                     "evidence", finding->evidence);
}

static json_t *output_to_json(const struct captured_output *output, const char *pipe)
{
    size_t length;
    char *text = utf8_repair(output->data ? output->data : "", output->length, &length);
    if (text == NULL)
        return NULL;
    json_t *object = json_pack("{s:s%, s:I, s:I, s:b, s:s}", "text", text, length, "bytes",
                               (json_int_t)output->total, "kept", (json_int_t)output->length,
                               "truncated", output->total > output->length, "pipe", pipe);
    free(text);
    return object;
}

static json_t *kinds_to_json(const struct report *report)
{
    json_t *kinds = json_object();
    for (int kind = 0; kinds != NULL && kind < FINDING_KIND_COUNT; kind++) {
        json_t *entry = json_pack("{s:b, s:I}", "checked", report_kind_checked(report, kind),
                                  "findings", (json_int_t)report_count_kind(report, kind));
        if (json_object_set_new(kinds, finding_kind_name(kind), entry) < 0) {
            json_decref(kinds);
            return NULL;
        }
    }
    return kinds;
}

static json_t *limit_or_null(long limit)
{
    return limit > 0 ? json_integer(limit) : json_null();
}

static json_t *isolation_to_json(const struct report_isolation *isolation)
{
    if (!isolation->recorded)
        return json_null();
    return json_pack("{s:b, s:b, s:o, s:o, s:o, s:s?}", "namespaces", isolation->namespaces,
                     "user_namespace", isolation->user_namespace, "max_tasks",
                     limit_or_null(isolation->max_tasks), "memory_mib",
                     limit_or_null(isolation->memory_mib), "cpu_seconds",
                     limit_or_null(isolation->cpu_seconds), "missing", isolation->missing);
}

json_t *report_to_json(const struct report *report)
{
    json_t *processes = json_array(), *findings = json_array();
    for (size_t i = 0; processes != NULL && i < report->process_count; i++) {
        if (report->processes[i].is_thread)
            continue; /* threads share their process's story; the tree leaves them out */
        if (json_array_append_new(processes, process_to_json(&report->processes[i])) < 0)
            goto out_of_memory;
    }
    for (size_t i = 0; findings != NULL && i < report->finding_count; i++)
        if (json_array_append_new(findings, finding_to_json(&report->findings[i])) < 0)
            goto out_of_memory;

    /* json_pack steals every "o" value, also when it fails. */
    return json_pack(
        "{s:i, s:s?, s:o, s:i, s:o, s:I, s:o, s:o, s:I, s:o, s:o, s:o, s:I, s:o, s:o}",
        "forklab_report", 1, "program", report->program, "argv",
        strings_to_json(report->argv, strv_length(report->argv)), "pid", report->main_pid, "exit",
        end_to_json(report->main_end, report->main_code, report_main_core_dumped(report)),
        "duration_ms", (json_int_t)report->duration_ms, "processes", processes, "findings",
        findings, "finding_count", (json_int_t)report->finding_count, "checks",
        strings_to_json(report->checks, report->check_count), "kinds", kinds_to_json(report),
        "isolation", isolation_to_json(&report->isolation), "facts_lost",
        (json_int_t)report->facts_lost, "stdout", output_to_json(&report->out, report->stdout_pipe),
        "stderr", output_to_json(&report->err, report->stderr_pipe));

out_of_memory:
    json_decref(processes);
    json_decref(findings);
    return NULL;
}

int render_json(const struct report *report, FILE *out)
{
    return json_document_write(report_to_json(report), out);
}
