/* Scores a run against the exercise's checks from the manifest: each check
 * earns all its points or none, and says why in words a student can act on.
 * The renderers print these words; they never judge a check themselves. */
#include "grade/grade.h"
#include "core/describe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A stdout mismatch quotes this much of each line. */
#define QUOTED_LINE_BYTES 100
/* The no-findings and no-copying-spawn checks list at most this many. */
#define LISTED_FINDINGS 10
/* The no-copying-spawn check lists this many processes: they tend to come
 * from one loop, and say the same. */
#define LISTED_COPYING_SPAWNS 3
/* Where a copying spawn is explained: the lesson of pitfall 10. */
#define COPYING_SPAWN_LESSON "lessons/10-fork-cost.md"

const char *grade_status_name(enum grade_status status)
{
    switch (status) {
    case GRADE_GRADED:
        return "graded";
    case GRADE_NO_SOURCE:
        return "no_source";
    case GRADE_COMPILE_FAILED:
        return "compile_failed";
    }
    return "unknown";
}

const char *grade_check_title(const struct manifest_check *check,
                              const struct manifest_pitfall *exercise, char *buffer, size_t size)
{
    switch (check->test) {
    case MANIFEST_TEST_NO_FINDING:
        snprintf(buffer, size, "no %s finding", finding_kind_name(check->kind));
        break;
    case MANIFEST_TEST_NO_FINDINGS:
        snprintf(buffer, size, "no finding of any kind");
        break;
    case MANIFEST_TEST_STDOUT:
        snprintf(buffer, size, "prints the expected output");
        break;
    case MANIFEST_TEST_EXIT:
        snprintf(buffer, size, "exits with code %d", exercise->expected_exit);
        break;
    case MANIFEST_TEST_NO_COPYING_SPAWN:
        snprintf(buffer, size, "no fork() from a parent of %ld MiB or more just to exec",
                 COPYING_SPAWN_MIN_PARENT_KIB / 1024);
        break;
    }
    return buffer;
}

int grade_max_score(const struct manifest_pitfall *exercise, const char *only_check)
{
    int total = 0;
    bool found = only_check == NULL;
    for (size_t i = 0; i < exercise->check_count; i++)
        if (only_check == NULL || strcmp(exercise->checks[i].id, only_check) == 0) {
            total += exercise->checks[i].points;
            found = true;
        }
    return found ? total : -1;
}

/* ---- one check each ------------------------------------------------------- */

static bool no_finding_passes(const struct report *report, enum finding_kind kind, FILE *why)
{
    const char *name = finding_kind_name(kind);
    if (!report_kind_checked(report, kind)) {
        fprintf(why, "not checked: %s is %s", name, finding_kind_skip_reason(kind));
        return false;
    }
    size_t count = report_count_kind(report, kind);
    if (count == 0) {
        fprintf(why, "no %s found", name);
        return true;
    }
    fprintf(why, "%zu %s finding%s:", count, name, count == 1 ? "" : "s");
    for (size_t i = 0; i < report->finding_count; i++)
        if (report->findings[i].kind == kind)
            fprintf(why, "\n  pid %d: %s", (int)report->findings[i].pid,
                    report->findings[i].message);
    char lessons[256];
    fprintf(why, "\nRead %s to see why this happens and how to fix it.",
            report_kind_lessons(report, kind, lessons, sizeof(lessons)));
    return false;
}

static bool no_findings_pass(const struct report *report, FILE *why)
{
    if (report->finding_count == 0) {
        fputs("no findings", why);
        return true;
    }
    fprintf(why, "%zu finding%s:", report->finding_count, report->finding_count == 1 ? "" : "s");
    for (size_t i = 0; i < report->finding_count && i < LISTED_FINDINGS; i++)
        fprintf(why, "\n  %s, pid %d: %s", finding_kind_name(report->findings[i].kind),
                (int)report->findings[i].pid, report->findings[i].message);
    if (report->finding_count > LISTED_FINDINGS)
        fprintf(why, "\n  and %zu more", report->finding_count - LISTED_FINDINGS);
    return false;
}

/* Quotes one line of output (up to its newline) with C-style escapes, so a
 * control character or a missing newline is visible. */
static void quote_line(FILE *why, const char *line, const char *end)
{
    if (line >= end) {
        fputs("(end of output)", why);
        return;
    }
    fputc('"', why);
    const char *at = line;
    for (; at < end && *at != '\n' && at - line < QUOTED_LINE_BYTES; at++) {
        unsigned char c = (unsigned char)*at;
        if (c == '"' || c == '\\')
            fprintf(why, "\\%c", c);
        else if (c == '\t')
            fputs("\\t", why);
        else if (c < 0x20 || c == 0x7f)
            fprintf(why, "\\x%02x", c);
        else
            fputc(c, why);
    }
    fputc('"', why);
    if (at < end && *at != '\n')
        fputs(" (and more)", why);
    else if (at == end)
        fputs(" (no newline at the end)", why);
}

static const char *line_end(const char *line, const char *end)
{
    const char *newline = memchr(line, '\n', (size_t)(end - line));
    return newline != NULL ? newline + 1 : end;
}

static bool stdout_passes(const struct report *report, const struct manifest_pitfall *exercise,
                          FILE *why)
{
    const struct captured_output *out = &report->out;
    const char *expected = exercise->expected_stdout;
    size_t expected_length = exercise->expected_stdout_length;
    if (out->total > out->length) {
        fprintf(why,
                "the program wrote %zu bytes to stdout (forklab kept the first %zu); the expected "
                "output is %zu bytes",
                out->total, out->length, expected_length);
        return false;
    }
    const char *got = out->data != NULL ? out->data : "";
    if (out->length == expected_length && memcmp(got, expected, expected_length) == 0) {
        fprintf(why, "stdout is the expected %zu bytes", expected_length);
        return true;
    }
    /* The first line that differs, quoted from both sides. */
    const char *got_end = got + out->length, *expected_end = expected + expected_length;
    const char *got_line = got, *expected_line = expected;
    int number = 1;
    for (;;) {
        const char *next_got = line_end(got_line, got_end);
        const char *next_expected = line_end(expected_line, expected_end);
        size_t got_size = (size_t)(next_got - got_line);
        if (got_size != (size_t)(next_expected - expected_line) ||
            memcmp(got_line, expected_line, got_size) != 0 || got_size == 0)
            break;
        got_line = next_got;
        expected_line = next_expected;
        number++;
    }
    fprintf(why, "stdout differs from the expected output at line %d:\n  expected: ", number);
    quote_line(why, expected_line, expected_end);
    fputs("\n  got:      ", why);
    quote_line(why, got_line, got_end);
    return false;
}

static bool exit_passes(const struct report *report, const struct manifest_pitfall *exercise,
                        FILE *why)
{
    char end[PROCESS_END_SIZE];
    process_end_describe(report->main_end, report->main_code, report_main_core_dumped(report), end);
    bool passed =
        report->main_end == PROCESS_EXITED && report->main_code == exercise->expected_exit;
    if (passed)
        fprintf(why, "%s, as expected", end);
    else
        fprintf(why, "the program's end: %s; expected exit %d", end, exercise->expected_exit);
    return passed;
}

/* Fails for each process created by fork() from a big parent only to exec
 * (process_record_is_copying_spawn), with the numbers that make the cost
 * visible: the fork copied the page tables of all that memory, and the exec
 * threw the copy away. */
static bool no_copying_spawn_passes(const struct report *report, FILE *why)
{
    size_t copying = 0, shared = 0;
    for (size_t i = 0; i < report->process_count; i++) {
        const struct process_record *process = &report->processes[i];
        copying += process_record_is_copying_spawn(process);
        shared += !process->is_thread && process->created_by == PROCESS_CREATED_VFORK;
    }
    long threshold_mib = COPYING_SPAWN_MIN_PARENT_KIB / 1024;
    if (copying == 0) {
        fprintf(why,
                "no process was created by fork() from a parent holding %ld MiB or more only "
                "to exec",
                threshold_mib);
        if (shared > 0)
            fprintf(why, "; %zu %s spawned without a copy (vfork, posix_spawn or the wrapper)",
                    shared, shared == 1 ? "was" : "were");
        return true;
    }
    fprintf(why, "%zu process%s created by fork() only to exec:", copying,
            copying == 1 ? " was" : "es were");
    size_t listed = 0;
    for (size_t i = 0; i < report->process_count && listed < LISTED_COPYING_SPAWNS; i++) {
        const struct process_record *process = &report->processes[i];
        if (!process_record_is_copying_spawn(process))
            continue;
        long mib = process->parent_rss_kib / 1024;
        fprintf(why,
                "\n  pid %d was created by fork() from a parent holding %ld MiB, and only ran "
                "exec (%s): fork copied the page tables of %ld MiB just to discard them",
                (int)process->pid, mib, process->programs[0], mib);
        listed++;
    }
    if (copying > listed)
        fprintf(why, "\n  and %zu more", copying - listed);
    fprintf(why,
            "\nSpawn %s with posix_spawn() or the kit's fl_command, which share the parent's "
            "memory until the exec instead of copying it.\nRead %s to see why this costs and "
            "how to fix it.",
            copying == 1 ? "it" : "them", COPYING_SPAWN_LESSON);
    return false;
}

/* Scores one check; its detail is written to a memory stream. */
static int score_check(const struct grade_result *result, const struct manifest_check *check,
                       struct grade_check_result *scored)
{
    size_t size = 0;
    FILE *why = open_memstream(&scored->detail, &size);
    if (why == NULL)
        return -ENOMEM;
    bool passed = false;
    if (!result->ran) {
        fputs(result->status == GRADE_NO_SOURCE ? "not run: there was nothing to compile"
                                                : "not run: the submission did not compile",
              why);
    } else {
        const struct report *report = &result->report;
        switch (check->test) {
        case MANIFEST_TEST_NO_FINDING:
            passed = no_finding_passes(report, check->kind, why);
            break;
        case MANIFEST_TEST_NO_FINDINGS:
            passed = no_findings_pass(report, why);
            break;
        case MANIFEST_TEST_STDOUT:
            passed = stdout_passes(report, result->exercise, why);
            break;
        case MANIFEST_TEST_EXIT:
            passed = exit_passes(report, result->exercise, why);
            break;
        case MANIFEST_TEST_NO_COPYING_SPAWN:
            passed = no_copying_spawn_passes(report, why);
            break;
        }
    }
    if (fclose(why) != 0)
        return -ENOMEM;
    scored->check = check;
    scored->score = passed ? check->points : 0;
    return 0;
}

int grade_score(const struct grade_options *options, struct grade_result *result)
{
    const struct manifest_pitfall *exercise = options->exercise;
    result->checks = calloc(exercise->check_count, sizeof(*result->checks));
    if (result->checks == NULL)
        return -ENOMEM;
    result->score = result->max_score = 0;
    for (size_t i = 0; i < exercise->check_count; i++) {
        const struct manifest_check *check = &exercise->checks[i];
        if (options->only_check != NULL && strcmp(check->id, options->only_check) != 0)
            continue;
        struct grade_check_result *scored = &result->checks[result->check_count++];
        int error = score_check(result, check, scored);
        if (error < 0)
            return error;
        result->score += scored->score;
        result->max_score += check->points;
    }
    return 0;
}
