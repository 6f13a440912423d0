/* A check report as a test suite (render/suite/test_suite.h), for `forklab check
 * --format tap|junit|gradescope`: one case per finding kind, in the
 * contract's order, worth one point, passed when the run shows no finding of
 * that kind and skipped when no check covered it. The score is counted here,
 * where the cases are decided. */
#include "core/write/json_document.h"
#include "render/render.h"
#include "render/suite/test_suite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define POINTS_PER_KIND 1

/* The YAML diagnostics of one failing kind, as data: TAP writes it out. */
static json_t *kind_diagnostics(const struct report *report, enum finding_kind kind,
                                const char *message)
{
    json_t *findings = json_array();
    for (size_t i = 0; findings != NULL && i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        if (finding->kind != kind)
            continue;
        /* A message may quote a program's name, in whatever bytes it has. */
        json_t *entry = json_pack("{s:i, s:o, s:s, s:O}", "pid", finding->pid, "message",
                                  json_string_repaired(finding->message, strlen(finding->message)),
                                  "lesson", finding->lesson, "evidence", finding->evidence);
        if (json_array_append_new(findings, entry) < 0) {
            json_decref(findings);
            return NULL;
        }
    }
    char lessons[256];
    return json_pack("{s:s, s:s, s:s, s:o}", "message", message, "severity", "fail", "lesson",
                     report_kind_lessons(report, kind, lessons, sizeof(lessons)), "findings",
                     findings);
}

/* The explanation for a person: each finding with its evidence and lesson,
 * or why the kind passed or was not checked. */
static char *kind_detail(const struct report *report, enum finding_kind kind,
                         enum test_case_result result)
{
    const char *name = finding_kind_name(kind);
    if (result == TEST_CASE_SKIPPED)
        return test_suite_printf("Not checked: %s, %s.\n", name, finding_kind_skip_reason(kind));
    if (result == TEST_CASE_PASSED)
        return test_suite_printf("No %s found.\n", name);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        if (finding->kind != kind)
            continue;
        char *evidence = json_dumps(finding->evidence, JSON_COMPACT);
        fprintf(out, "pid %d: %s\n", (int)finding->pid, finding->message);
        if (evidence != NULL)
            fprintf(out, "evidence: %s\n", evidence);
        free(evidence);
    }
    char lessons[256];
    fprintf(out, "lesson: %s\n", report_kind_lessons(report, kind, lessons, sizeof(lessons)));
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static int add_kind_case(struct test_suite *suite, const struct report *report,
                         enum finding_kind kind)
{
    const char *name = finding_kind_name(kind);
    size_t count = report_count_kind(report, kind);
    enum test_case_result result = !report_kind_checked(report, kind) ? TEST_CASE_SKIPPED
                                   : count > 0                        ? TEST_CASE_FAILED
                                                                      : TEST_CASE_PASSED;
    struct test_case *test = test_suite_add_case(suite, name, name, result);
    if (test == NULL)
        return -ENOMEM;
    test->max_score = result == TEST_CASE_SKIPPED ? 0 : POINTS_PER_KIND;
    test->score = result == TEST_CASE_PASSED ? POINTS_PER_KIND : 0;
    suite->score += test->score;
    if (result == TEST_CASE_SKIPPED)
        test->message = strdup(finding_kind_skip_reason(kind));
    else
        test->message = test_suite_printf("%zu %s finding%s", count, name, count == 1 ? "" : "s");
    test->detail = kind_detail(report, kind, result);
    /* A leak or a hang is explained by who held which descriptor. */
    if (result == TEST_CASE_FAILED && test->detail != NULL &&
        (kind == FINDING_FD_LEAK || kind == FINDING_TIMEOUT))
        test->markdown = fds_markdown(test->detail, report);
    if (result == TEST_CASE_FAILED && test->message != NULL)
        test->diagnostics = kind_diagnostics(report, kind, test->message);
    return 0;
}

static int add_properties(struct test_suite *suite, const struct report *report, const char *end)
{
    if (report->program != NULL && test_suite_add_property(suite, "program", report->program) < 0)
        return -ENOMEM;
    for (size_t i = 0; report->argv != NULL && report->argv[i] != NULL; i++) {
        char name[32];
        snprintf(name, sizeof(name), "argv.%zu", i);
        if (test_suite_add_property(suite, name, report->argv[i]) < 0)
            return -ENOMEM;
    }
    if (test_suite_add_property(suite, "exit", end) < 0)
        return -ENOMEM;
    for (size_t i = 0; i < report->check_count; i++)
        if (test_suite_add_property(suite, "check", report->checks[i]) < 0)
            return -ENOMEM;
    return 0;
}

/* What ran and how it ended, above Gradescope's tests. */
static char *overview(const struct report *report, const char *end)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    fputs("forklab check", out);
    for (size_t i = 0; report->argv != NULL && report->argv[i] != NULL; i++)
        fprintf(out, " %s", report->argv[i]);
    fprintf(out, "\nMain program: %s; %zu finding%s.\n", end, report->finding_count,
            report->finding_count == 1 ? "" : "s");
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int check_report_to_test_suite(const struct report *report, struct test_suite *suite)
{
    test_suite_init(suite);
    char end[PROCESS_END_SIZE];
    report_main_end_describe(report, end);
    suite->name = test_suite_printf(
        "forklab check %s", report->argv != NULL && report->argv[0] != NULL ? report->argv[0] : "");
    suite->classname = strdup("forklab.check");
    suite->duration_ms = report->duration_ms;
    suite->overview = overview(report, end);
    suite->summary =
        test_suite_printf("main program: %s; %zu finding%s", end, report->finding_count,
                          report->finding_count == 1 ? "" : "s");
    suite->out = &report->out;
    suite->err = &report->err;
    suite->facts_lost = report->facts_lost;
    int error = add_properties(suite, report, end);
    for (int kind = 0; error == 0 && kind < FINDING_KIND_COUNT; kind++)
        error = add_kind_case(suite, report, kind);
    if (error == 0 && !test_suite_complete(suite))
        error = -ENOMEM;
    if (error < 0)
        test_suite_free(suite);
    return error;
}

/* `forklab check --format NAME` for the three test-suite formats. */
static int render_as_suite(const struct report *report, FILE *out,
                           int (*render)(const struct test_suite *suite, FILE *out))
{
    struct test_suite suite;
    int error = check_report_to_test_suite(report, &suite);
    if (error < 0)
        return error;
    error = render(&suite, out);
    test_suite_free(&suite);
    return error;
}

int render_tap(const struct report *report, FILE *out)
{
    return render_as_suite(report, out, test_suite_render_tap);
}

int render_junit(const struct report *report, FILE *out)
{
    return render_as_suite(report, out, test_suite_render_junit);
}

int render_gradescope(const struct report *report, FILE *out)
{
    return render_as_suite(report, out, test_suite_render_gradescope);
}
