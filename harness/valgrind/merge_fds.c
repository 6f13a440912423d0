/* fd_leak and bad_close from valgrind, merged with the tracer's: the two runs
 * have different pids, so a descriptor is matched on what stays the same
 * between them: its number, what it points to, and the program that held it. */
#include "valgrind/merge.h"

#include "valgrind/evidence.h"
#include "valgrind/identity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *valgrind_normalize_target(const char *target, char *buffer, size_t size)
{
    /* The inode number in "pipe:[1234]" is new in every run. */
    if (strncmp(target, "pipe:[", 6) == 0)
        target = "pipe";
    else if (strncmp(target, "socket:[", 8) == 0)
        target = "socket";
    snprintf(buffer, size, "%s", target);
    return buffer;
}

static bool same_target(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return true; /* valgrind names no target for an inherited pipe */
    char left[256], right[256];
    return strcmp(valgrind_normalize_target(a, left, sizeof(left)),
                  valgrind_normalize_target(b, right, sizeof(right))) == 0;
}

/* One descriptor report of valgrind, ready to be matched. */
struct fd_observation {
    enum finding_kind kind;
    int fd;
    const char *target;
    const char *program;
    bool inferred;
    const struct valgrind_process *process;
    const char *how; /* fd_leak: "exit" or "exec" (the tracer's words); bad_close:
                        "already_closed" or "invalid_number" */
    const struct valgrind_stack *stack;
    bool fork_copy;   /* a forked child: its descriptors are copies of its parent's */
    pid_t report_pid; /* the process's pid in the traced run, when certain */
};

static bool is_pipe_or_socket(const char *target)
{
    char normalized[64];
    return target != NULL &&
           (strcmp(valgrind_normalize_target(target, normalized, sizeof(normalized)), "pipe") ==
                0 ||
            strcmp(normalized, "socket") == 0);
}

static bool fd_allowed(const struct valgrind_merge_options *options, int fd)
{
    for (size_t i = 0; i < options->allowed_fd_count; i++)
        if (options->allowed_fds[i] == fd)
            return true;
    return false;
}

/* Does a program of the tracer's finding match? The tracer may name the
 * process that leaked (its first program) or the one that received (the
 * program it exec'd): every program that pid ran counts. */
static bool tracer_program_matches(struct report *report, const struct finding *finding,
                                   const char *program)
{
    if (program == NULL)
        return true;
    const char *named = json_string_value(json_object_get(finding->evidence, "program"));
    if (named != NULL && strcmp(valgrind_base_name(named), valgrind_base_name(program)) == 0)
        return true;
    const struct process_record *process = report_find_process(report, finding->pid);
    if (process == NULL || process->program_count == 0)
        return named == NULL; /* nothing known about the tracer's side */
    for (size_t i = 0; i < process->program_count; i++)
        if (strcmp(valgrind_base_name(process->programs[i]), valgrind_base_name(program)) == 0)
            return true;
    return false;
}

/* Whether a tracer finding is about descriptor fd: its "fd", or for a
 * bad_close one of the closes it lists. */
static bool about_fd(const struct finding *finding, int fd)
{
    json_t *number = json_object_get(finding->evidence, "fd");
    if (json_is_integer(number) && json_integer_value(number) == fd)
        return true;
    size_t index;
    json_t *close;
    json_array_foreach(json_object_get(finding->evidence, "closes"), index, close)
    {
        number = json_object_get(close, "fd");
        if (json_is_integer(number) && json_integer_value(number) == fd)
            return true;
    }
    return false;
}

/* The tracer's finding about the same problem, or -1. */
static long find_tracer_finding(struct report *report, size_t tracer_count,
                                const struct fd_observation *seen)
{
    for (size_t i = 0; i < tracer_count; i++) {
        const struct finding *finding = &report->findings[i];
        if (finding->kind != seen->kind || !about_fd(finding, seen->fd))
            continue;
        /* Open at exit and carried across an exec are two problems. */
        const char *when = json_string_value(json_object_get(finding->evidence, "when"));
        if (seen->kind == FINDING_FD_LEAK && when != NULL && strcmp(when, seen->how) != 0)
            continue;
        const char *target = json_string_value(json_object_get(finding->evidence, "target"));
        if (same_target(target, seen->target) &&
            tracer_program_matches(report, finding, seen->program))
            return (long)i;
    }
    return -1;
}

/* A valgrind-only finding already made for the same descriptor, or -1. */
static long find_own_finding(struct report *report, size_t tracer_count,
                             const struct fd_observation *seen)
{
    for (size_t i = tracer_count; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        json_t *evidence = finding->evidence;
        if (finding->kind != seen->kind ||
            json_integer_value(json_object_get(evidence, "fd")) != seen->fd)
            continue;
        const char *program = json_string_value(json_object_get(evidence, "program"));
        const char *target = json_string_value(json_object_get(evidence, "target"));
        bool same_program =
            program == NULL || seen->program == NULL ||
            strcmp(valgrind_base_name(program), valgrind_base_name(seen->program)) == 0;
        if (same_program && same_target(target, seen->target))
            return (long)i;
    }
    return -1;
}

static int add_fd_finding(struct report *report, const struct fd_observation *seen)
{
    json_t *evidence = json_object();
    if (evidence == NULL)
        return -ENOMEM;
    json_object_set_new(evidence, "fd", json_integer(seen->fd));
    json_object_set_new(evidence, "target", seen->target ? json_string(seen->target) : json_null());
    json_object_set_new(evidence, "program",
                        seen->program ? json_string(seen->program) : json_null());
    if (seen->inferred)
        json_object_set_new(evidence, "program_inferred", json_true());
    json_object_set_new(evidence, seen->kind == FINDING_FD_LEAK ? "when" : "how",
                        json_string(seen->how));
    if (seen->stack != NULL && seen->stack->count > 0)
        json_object_set_new(evidence, "stack", valgrind_stack_json(seen->stack));
    json_object_set_new(evidence, "valgrind_pid", json_integer(seen->process->pid));
    json_object_set_new(evidence, "confirmed_by", json_pack("[s]", "valgrind"));

    const char *program = seen->program ? valgrind_base_name(seen->program) : "the program";
    const char *target = seen->target ? seen->target : "inherited";
    char site[256];
    valgrind_describe_site(seen->stack, site, sizeof(site));
    pid_t pid = seen->report_pid;
    if (strcmp(seen->how, "exec") == 0)
        return report_add_finding(report, FINDING_FD_LEAK, pid, evidence,
                                  "fd %d (%s) leaked into %s: it was still open, without "
                                  "close-on-exec, when its parent exec'd it",
                                  seen->fd, target, program);
    if (strcmp(seen->how, "exit") == 0)
        return report_add_finding(report, FINDING_FD_LEAK, pid, evidence,
                                  "fd %d (%s) was still open when %s exited; it was opened at %s",
                                  seen->fd, target, program, site);
    if (strcmp(seen->how, "already_closed") == 0)
        return report_add_finding(report, FINDING_BAD_CLOSE, pid, evidence,
                                  "%s closed fd %d, which was already closed", program, seen->fd);
    return report_add_finding(report, FINDING_BAD_CLOSE, pid, evidence,
                              "%s called close(%d): %d is not a descriptor number", program,
                              seen->fd, seen->fd);
}

static int observe(struct report *report, size_t tracer_count, bool *confirmed,
                   const struct valgrind_merge_options *options, const struct fd_observation *seen)
{
    if (seen->fd == options->log_fd ||
        (seen->target != NULL && options->output_dir != NULL &&
         strncmp(seen->target, options->output_dir, strlen(options->output_dir)) == 0))
        return 0; /* valgrind's own output, not the program's */
    if (seen->kind == FINDING_FD_LEAK && (seen->fd <= 2 || fd_allowed(options, seen->fd)))
        return 0;
    long tracer = find_tracer_finding(report, tracer_count, seen);
    if (tracer >= 0) {
        confirmed[tracer] = true;
        json_t *evidence = report->findings[tracer].evidence;
        if (json_object_get(evidence, "valgrind_pid") == NULL)
            json_object_set_new(evidence, "valgrind_pid", json_integer(seen->process->pid));
        return 0;
    }
    /* Some descriptors valgrind saw only confirm. A forked child's copy is
     * the same problem as in the program that opened it or exec'd with it.
     * And at exit, valgrind cannot tell a pipe's read end from its write end,
     * which the tracer's rule needs (only a write end left open counts). */
    if (seen->kind == FINDING_FD_LEAK && (seen->fork_copy || strcmp(seen->how, "exit") == 0))
        return 0;
    if (find_own_finding(report, tracer_count, seen) >= 0)
        return 0;
    return add_fd_finding(report, seen);
}

static int observe_all(struct report *report, size_t tracer_count, bool *confirmed,
                       const struct valgrind_output *output,
                       const struct valgrind_merge_options *options)
{
    int result = 0;
    for (size_t i = 0; i < output->count && result == 0; i++) {
        const struct valgrind_process *process = &output->processes[i];
        struct fd_observation seen = {.process = process,
                                      .fork_copy = valgrind_is_fork_copy(output, process)};
        seen.program = valgrind_program_of(output, process, &seen.inferred);
        seen.report_pid =
            valgrind_traced_pid(report, output, process, options->main_pid, seen.program);
        for (size_t j = 0; j < process->open_fd_count && result == 0; j++) {
            const struct valgrind_open_fd *open_fd = &process->open_fds[j];
            seen.kind = FINDING_FD_LEAK;
            seen.fd = open_fd->fd;
            seen.target = open_fd->target;
            seen.stack = &open_fd->stack;
            seen.how = open_fd->inherited ? "exec" : "exit";
            /* The main program inherits only 0-2 and valgrind's log: nothing
             * that it inherited came from the program. */
            if (open_fd->inherited && process->pid == options->main_pid)
                continue;
            /* At exit only a pipe or socket end can confirm a leak (the other
             * side waits on it); exit closes a file harmlessly. */
            if (!open_fd->inherited && !is_pipe_or_socket(open_fd->target))
                continue;
            result = observe(report, tracer_count, confirmed, options, &seen);
        }
        for (size_t j = 0; j < process->bad_close_count && result == 0; j++) {
            const struct valgrind_bad_close *bad_close = &process->bad_closes[j];
            seen.kind = FINDING_BAD_CLOSE;
            seen.fd = bad_close->fd;
            seen.target = bad_close->target;
            seen.stack = &bad_close->stack;
            seen.how = bad_close->already_closed ? "already_closed" : "invalid_number";
            result = observe(report, tracer_count, confirmed, options, &seen);
        }
    }
    return result;
}

/* Every fd_leak and bad_close says which runs saw it. */
static void mark_tracer_findings(struct report *report, size_t tracer_count, const bool *confirmed)
{
    for (size_t i = 0; i < tracer_count; i++) {
        struct finding *finding = &report->findings[i];
        if (finding->kind != FINDING_FD_LEAK && finding->kind != FINDING_BAD_CLOSE)
            continue;
        json_t *by =
            confirmed[i] ? json_pack("[s, s]", "trace", "valgrind") : json_pack("[s]", "trace");
        json_object_set_new(finding->evidence, "confirmed_by", by);
    }
}

int valgrind_merge_descriptors(struct report *report, const struct valgrind_output *output,
                               const struct valgrind_merge_options *options)
{
    const size_t tracer_count = report->finding_count;
    bool *confirmed = calloc(tracer_count + 1, sizeof(bool));
    if (confirmed == NULL)
        return -ENOMEM;
    int result = observe_all(report, tracer_count, confirmed, output, options);
    mark_tracer_findings(report, tracer_count, confirmed);
    free(confirmed);
    return result;
}
