/* Scores a run against the exercise's checks from the manifest: each check
 * earns all its points or none, and says why in words a student can act on.
 * The renderers print these words; they never judge a check themselves. */
#include "grade/grade.h"
#include "core/describe.h"
#include "grade/sessions.h"
#include "kit/expected_output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    case GRADE_INCOMPLETE:
        return "incomplete";
    }
    return "unknown";
}

const char *grade_check_title(const struct manifest_check *check,
                              const struct manifest_pitfall *exercise, char *buffer, size_t size)
{
    switch (check->test) {
    case MANIFEST_TEST_NO_FINDING:
        if (check->instance != NULL)
            snprintf(buffer, size, "no %s (%s)", check->instance->title,
                     finding_kind_name(check->kind));
        else
            snprintf(buffer, size, "no %s finding", finding_kind_name(check->kind));
        break;
    case MANIFEST_TEST_NO_FINDINGS:
        snprintf(buffer, size, "no finding of any kind");
        break;
    case MANIFEST_TEST_STDOUT:
        snprintf(buffer, size, "prints the expected output%s",
                 exercise->stdout_order == MANIFEST_LINES_UNORDERED ? ", its lines in any order"
                                                                    : "");
        break;
    case MANIFEST_TEST_EXIT:
        snprintf(buffer, size, "exits with code %d",
                 check->session != NULL ? check->session->expected_exit : exercise->expected_exit);
        break;
    case MANIFEST_TEST_NO_COPYING_SPAWN:
        snprintf(buffer, size, "no fork() from a parent of %ld MiB or more just to exec",
                 COPYING_SPAWN_MIN_PARENT_KIB / 1024);
        break;
    case MANIFEST_TEST_FILES:
        snprintf(buffer, size, "writes the expected files");
        break;
    case MANIFEST_TEST_CHILDREN:
        snprintf(buffer, size, "no child left behind after a command");
        break;
    }
    if (check->session != NULL) { /* which session: "... (pipelines a | b | c)" */
        size_t used = strlen(buffer);
        if (used < size)
            snprintf(buffer + used, size - used, " (%s)", check->session->about);
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

/* How a check came out. */
enum outcome {
    CHECK_FAILED,
    CHECK_PASSED,
    /* Failed, but only because the run timed out (grade/consequences.c). */
    CHECK_TIMEOUT_CONSEQUENCE,
};

/* Lists the findings of a kind, marking each that only follows from the
 * timeout; returns how many do. */
static size_t list_findings_of_kind(const struct report *report, enum finding_kind kind, FILE *why)
{
    size_t consequences = 0;
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        if (finding->kind != kind)
            continue;
        bool follows = grade_follows_from_timeout(report, finding);
        consequences += follows;
        fprintf(why, "\n  pid %d: %s%s", (int)finding->pid, finding->message,
                follows ? " (this follows from the timeout)" : "");
    }
    return consequences;
}

static void put_read_lesson(const char *lessons, FILE *why)
{
    fprintf(why, "\nRead %s to see why this happens and how to fix it.", lessons);
}

static enum outcome no_finding_outcome(const struct grade_result *result,
                                       const struct report *report,
                                       const struct manifest_check *check, FILE *why)
{
    enum finding_kind kind = check->kind;
    const char *name = finding_kind_name(kind);
    if (!report_kind_checked(report, kind)) {
        fprintf(why, "not checked: %s is %s", name, finding_kind_skip_reason(kind));
        return CHECK_FAILED;
    }
    size_t count = report_count_kind(report, kind);
    if (count == 0) {
        fprintf(why, "no %s found", name);
        return CHECK_PASSED;
    }
    fprintf(why, "%zu %s finding%s:", count, name, count == 1 ? "" : "s");
    size_t consequences = list_findings_of_kind(report, kind, why);
    if (consequences == count) {
        fputc('\n', why);
        grade_put_timeout_cause(result, why);
        if (check->folded_after_timeout)
            fputs(" Not charged here: the timeout's points pay for the hang once.", why);
        return CHECK_TIMEOUT_CONSEQUENCE;
    }
    char lessons[256];
    put_read_lesson(report_kind_lessons(report, kind, lessons, sizeof(lessons)), why);
    return CHECK_FAILED;
}

/* A check of one sort of mistake within a kind (a close(-1) among the bad
 * closes): the other sorts are other checks' business. */
static enum outcome no_instance_outcome(const struct report *report,
                                        const struct manifest_check *check, FILE *why)
{
    const struct finding_instance *instance = check->instance;
    const char *name = finding_kind_name(check->kind);
    if (!report_kind_checked(report, check->kind)) {
        fprintf(why, "not checked: %s is %s", name, finding_kind_skip_reason(check->kind));
        return CHECK_FAILED;
    }
    size_t found = 0, unlisted = 0, kind_count = report_count_kind(report, check->kind);
    for (size_t i = 0; i < report->finding_count; i++) {
        size_t more;
        found += finding_instance_count(instance, &report->findings[i], &more);
        unlisted += more;
    }
    if (found == 0 && unlisted > 0) {
        fprintf(why,
                "%zu more %s mistakes were counted than listed, so the report cannot tell "
                "whether one is a %s",
                unlisted, name, instance->title);
        return CHECK_FAILED;
    }
    if (found == 0) {
        fprintf(why, "no %s found", instance->title);
        if (kind_count > 0)
            fprintf(why, " (the %s finding%s here %s of another sort: see the other checks)", name,
                    kind_count == 1 ? "" : "s", kind_count == 1 ? "is" : "are");
        return CHECK_PASSED;
    }
    fprintf(why, "%zu %s:", found, instance->title);
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        size_t index;
        json_t *item;
        if (finding->kind != check->kind)
            continue;
        json_array_foreach(json_object_get(finding->evidence, instance->items), index, item)
        {
            char text[256];
            if (!instance->matches(item))
                continue;
            instance->describe(item, text, sizeof(text));
            fprintf(why, "\n  pid %d: %s", (int)finding->pid, text);
        }
    }
    put_read_lesson(finding_kind_lesson(check->kind), why);
    return CHECK_FAILED;
}

static enum outcome no_findings_outcome(const struct report *report, FILE *why)
{
    if (report->finding_count == 0) {
        fputs("no findings", why);
        return CHECK_PASSED;
    }
    fprintf(why, "%zu finding%s:", report->finding_count, report->finding_count == 1 ? "" : "s");
    for (size_t i = 0; i < report->finding_count && i < LISTED_FINDINGS; i++)
        fprintf(why, "\n  %s, pid %d: %s%s", finding_kind_name(report->findings[i].kind),
                (int)report->findings[i].pid, report->findings[i].message,
                grade_follows_from_timeout(report, &report->findings[i])
                    ? " (this follows from the timeout)"
                    : "");
    if (report->finding_count > LISTED_FINDINGS)
        fprintf(why, "\n  and %zu more", report->finding_count - LISTED_FINDINGS);
    /* Each lesson once, in the order of the findings; not those of the
     * findings that only follow from a timeout, which the timeout's explains. */
    const char *lessons[FINDING_KIND_COUNT * 4];
    size_t lesson_count = 0;
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        bool seen = grade_follows_from_timeout(report, finding) || finding->lesson == NULL;
        for (size_t l = 0; l < lesson_count && !seen; l++)
            seen = strcmp(lessons[l], finding->lesson) == 0;
        if (!seen && lesson_count < sizeof(lessons) / sizeof(lessons[0]))
            lessons[lesson_count++] = finding->lesson;
    }
    for (size_t l = 0; l < lesson_count; l++)
        fprintf(why, "%s%s",
                l == 0                  ? "\nRead "
                : l + 1 == lesson_count ? " and "
                                        : ", ",
                lessons[l]);
    if (lesson_count > 0)
        fputs(" to see why this happens and how to fix it.", why);
    return CHECK_FAILED;
}

/* The output a check judges: a session's run against the session's own
 * expected stdout (compared whole, in order), else the exercise's run
 * against fixed.stdout and its rules (any order, patterns). */
static enum outcome stdout_outcome(const struct grade_result *result,
                                   const struct grade_session_run *session, FILE *why)
{
    const struct report *report = session != NULL ? &session->report : &result->report;
    struct output_expectation expected = expected_stdout_of(result->exercise);
    if (session != NULL) {
        expected.text = session->session->expected_stdout;
        expected.length = session->session->expected_stdout_length;
        expected.order = MANIFEST_LINES_ORDERED;
        expected.patterns = NULL;
        expected.pattern_count = 0;
    }
    const struct captured_output *out = &report->out;
    if (out->total > out->length) {
        fprintf(why,
                "the program wrote %zu bytes to stdout (forklab kept the first %zu); the expected "
                "output is %zu bytes",
                out->total, out->length, expected.length);
        return CHECK_FAILED;
    }
    switch (expected_text_compare(&expected, out->data, out->length, why)) {
    case OUTPUT_MATCHES:
        return CHECK_PASSED;
    case OUTPUT_INCOMPLETE:
        /* Right so far, and cut short by the timeout. */
        if (!grade_stopped_by_timeout(report))
            return CHECK_FAILED;
        fputc('\n', why);
        grade_put_timeout_cause(result, why);
        return CHECK_TIMEOUT_CONSEQUENCE;
    case OUTPUT_DIFFERS:
        break;
    }
    return CHECK_FAILED;
}

static enum outcome exit_outcome(const struct grade_result *result,
                                 const struct grade_session_run *session, FILE *why)
{
    const struct report *report = session != NULL ? &session->report : &result->report;
    int expected =
        session != NULL ? session->session->expected_exit : result->exercise->expected_exit;
    char end[PROCESS_END_SIZE];
    process_end_describe(report->main_end, report->main_code, report_main_core_dumped(report), end);
    if (report->main_end == PROCESS_EXITED && report->main_code == expected) {
        fprintf(why, "%s, as expected", end);
        return CHECK_PASSED;
    }
    fprintf(why, "the program's end: %s; expected exit %d", end, expected);
    if (session == NULL && result->exercise->exit_why != NULL)
        fprintf(why, ", %s", result->exercise->exit_why);
    if (!grade_stopped_by_timeout(report))
        return CHECK_FAILED;
    fputc('\n', why);
    grade_put_timeout_cause(result, why);
    return CHECK_TIMEOUT_CONSEQUENCE;
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
    enum outcome outcome = CHECK_FAILED;
    const struct report *report = &result->report;
    if (!result->ran) {
        fputs(result->status == GRADE_NO_SOURCE ? "not run: there was nothing to compile"
                                                : "not run: the program did not compile",
              why);
    } else {
        /* A check of a session judges that session's run against its own
         * expectations; any other the exercise's one run. */
        const struct grade_session_run *session = grade_session_run_of(result, check);
        if (session != NULL)
            report = &session->report;
        switch (check->test) {
        case MANIFEST_TEST_NO_FINDING:
            outcome = check->instance != NULL ? no_instance_outcome(report, check, why)
                                              : no_finding_outcome(result, report, check, why);
            break;
        case MANIFEST_TEST_NO_FINDINGS:
            outcome = no_findings_outcome(report, why);
            break;
        case MANIFEST_TEST_STDOUT:
            outcome = stdout_outcome(result, session, why);
            break;
        case MANIFEST_TEST_EXIT:
            outcome = exit_outcome(result, session, why);
            break;
        case MANIFEST_TEST_NO_COPYING_SPAWN:
            outcome = no_copying_spawn_passes(report, why) ? CHECK_PASSED : CHECK_FAILED;
            break;
        case MANIFEST_TEST_FILES:
            outcome =
                session != NULL && grade_files_pass(session, why) ? CHECK_PASSED : CHECK_FAILED;
            break;
        case MANIFEST_TEST_CHILDREN:
            outcome =
                session != NULL && grade_children_pass(session, why) ? CHECK_PASSED : CHECK_FAILED;
            break;
        }
        /* A finding the run lost could have failed this check. */
        if (outcome == CHECK_PASSED && report_is_incomplete(report) &&
            check->test != MANIFEST_TEST_STDOUT && check->test != MANIFEST_TEST_EXIT)
            fprintf(why,
                    "\n(but the report of this run is incomplete: %zu fact%s could not be "
                    "recorded, so a finding may be missing)",
                    report->facts_lost, report->facts_lost == 1 ? "" : "s");
    }
    if (fclose(why) != 0)
        return -ENOMEM;
    scored->check = check;
    scored->timeout_consequence = outcome == CHECK_TIMEOUT_CONSEQUENCE;
    bool earned = outcome == CHECK_PASSED ||
                  (outcome == CHECK_TIMEOUT_CONSEQUENCE && check->folded_after_timeout);
    scored->score = earned ? check->points : 0;
    return 0;
}

/* The one line on the whole grade: what went wrong first, then the count. */
static int explain(struct grade_result *result)
{
    const struct report *report = &result->report;
    size_t failed = 0, consequences = 0, folded = 0;
    for (size_t i = 0; i < result->check_count; i++) {
        const struct grade_check_result *check = &result->checks[i];
        bool lost = check->score < check->check->points;
        failed += lost;
        consequences += lost && check->timeout_consequence;
        folded += !lost && check->timeout_consequence;
    }
    free(result->explanation);
    size_t size = 0;
    FILE *out = open_memstream(&result->explanation, &size);
    if (out == NULL)
        return -ENOMEM;
    if (report_is_incomplete(report))
        fprintf(out,
                "the report of the run is incomplete (%zu fact%s could not be recorded): grade "
                "it again before trusting this score; ",
                report->facts_lost, report->facts_lost == 1 ? "" : "s");
    if (grade_timeout(report) != NULL) {
        grade_describe_timeout(report, out);
        fputs("; ", out);
    }
    if (failed == 0)
        fputs("every check passed", out);
    else
        fprintf(out, "%zu of %zu checks failed", failed, result->check_count);
    if (consequences > 0)
        fprintf(out, ", %zu of them only because of the hang", consequences);
    if (folded > 0)
        fprintf(out, "; %zu check%s folded into the timeout's points", folded,
                folded == 1 ? "" : "s");
    return fclose(out) == 0 ? 0 : -ENOMEM;
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
    if (!result->ran)
        return 0;
    if (report_is_incomplete(&result->report))
        result->status = GRADE_INCOMPLETE;
    return explain(result);
}
