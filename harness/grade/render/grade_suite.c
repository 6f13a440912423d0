/* A grade as a test suite (render/suite/test_suite.h), for `forklab grade --format
 * tap|junit|gradescope`: one case per check of the manifest, worth its
 * points, passed when it earned them all; the score is the grade's. The
 * compiler's messages go with the first failure when the compile failed,
 * where a reader looks, and before the program's stderr in JUnit. */
#include "grade/render/grade_render.h"

#include "core/write/json_document.h"
#include "grade/sessions.h"
#include "render/render.h"
#include "render/suite/test_suite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A failed check's YAML diagnostics for TAP: the reason and the points. */
static json_t *check_diagnostics(const struct grade_result *result,
                                 const struct grade_check_result *check, bool with_compiler)
{
    json_t *yaml = json_pack("{s:o, s:i, s:i}", "message",
                             json_string_repaired(check->detail, strlen(check->detail)), "points",
                             check->score, "max_points", check->check->points);
    if (yaml != NULL && with_compiler &&
        json_object_set_new(
            yaml, "compiler",
            json_string_repaired(result->compile.output, result->compile.output_length)) < 0) {
        json_decref(yaml);
        return NULL;
    }
    return yaml;
}

static int add_check_cases(struct test_suite *suite, const struct grade_result *result)
{
    bool compiler_shown = result->status != GRADE_COMPILE_FAILED;
    for (size_t i = 0; i < result->check_count; i++) {
        const struct grade_check_result *check = &result->checks[i];
        bool passed = check->score == check->check->points;
        char name[GRADE_CHECK_NAME_SIZE];
        struct test_case *test =
            test_suite_add_case(suite, grade_check_name(result, check, name), check->check->id,
                                passed ? TEST_CASE_PASSED : TEST_CASE_FAILED);
        if (test == NULL)
            return -ENOMEM;
        test->score = check->score;
        test->max_score = check->check->points;
        test->message = test_suite_printf("%d of %d points", check->score, check->check->points);
        test->detail = strdup(check->detail);
        /* A failed leak or hang check is explained by who held which
         * descriptor in the run. */
        const struct manifest_check *manifest = check->check;
        if (!passed && result->ran && manifest->test == MANIFEST_TEST_NO_FINDING &&
            (manifest->kind == FINDING_FD_LEAK || manifest->kind == FINDING_TIMEOUT)) {
            const struct grade_session_run *session = grade_session_run_of(result, manifest);
            test->markdown =
                fds_markdown(check->detail, session != NULL ? &session->report : &result->report);
        }
        if (!passed) {
            test->diagnostics = check_diagnostics(result, check, !compiler_shown);
            compiler_shown = true;
        }
    }
    return 0;
}

static int add_properties(struct test_suite *suite, const struct grade_result *result)
{
    char score[32], max_score[32];
    snprintf(score, sizeof(score), "%d", result->score);
    snprintf(max_score, sizeof(max_score), "%d", result->max_score);
    if (test_suite_add_property(suite, "submission", result->submission) < 0 ||
        test_suite_add_property(suite, "status", grade_status_name(result->status)) < 0 ||
        test_suite_add_property(suite, "score", score) < 0 ||
        test_suite_add_property(suite, "max_score", max_score) < 0 ||
        test_suite_add_property(suite, "explanation",
                                result->explanation != NULL ? result->explanation : "") < 0)
        return -ENOMEM;
    return 0;
}

/* The exercise, the grade in one line, the compile step and the run. */
static char *overview(const struct grade_result *result)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    fprintf(out, "forklab grade %s: %s\n%s\n\n", result->exercise->name, result->exercise->title,
            result->explanation != NULL ? result->explanation : "");
    grade_put_compile(result, out, false);
    grade_put_run(result, out);
    grade_put_sessions(result, out, false); /* a shell's: its output is theirs */
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int grade_result_to_test_suite(const struct grade_result *result, struct test_suite *suite)
{
    test_suite_init(suite);
    suite->name = test_suite_printf("forklab grade %s", result->exercise->name);
    suite->classname = test_suite_printf("forklab.grade.%s", result->exercise->name);
    suite->points_in_names = true;
    suite->score = result->score;
    suite->duration_ms = result->duration_ms;
    suite->overview = overview(result);
    suite->summary = test_suite_printf("score %d/%d: %s", result->score, result->max_score,
                                       result->explanation != NULL ? result->explanation : "");
    suite->log = result->compile.output;
    suite->log_length = result->compile.output != NULL ? result->compile.output_length : 0;
    if (result->ran && result->session_count == 0) {
        suite->out = &result->report.out;
        suite->err = &result->report.err;
        suite->facts_lost = result->report.facts_lost;
    }
    for (size_t i = 0; i < result->session_count; i++) /* their output is in the overview */
        suite->facts_lost += result->sessions[i].report.facts_lost;
    int error = add_properties(suite, result);
    if (error == 0)
        error = add_check_cases(suite, result);
    if (error == 0 && !test_suite_complete(suite))
        error = -ENOMEM;
    if (error < 0)
        test_suite_free(suite);
    return error;
}

static int render_as_suite(const struct grade_result *result, FILE *out,
                           int (*render)(const struct test_suite *suite, FILE *out))
{
    struct test_suite suite;
    int error = grade_result_to_test_suite(result, &suite);
    if (error < 0)
        return error;
    error = render(&suite, out);
    test_suite_free(&suite);
    return error;
}

int grade_render_tap(const struct grade_result *result, FILE *out)
{
    return render_as_suite(result, out, test_suite_render_tap);
}

int grade_render_junit(const struct grade_result *result, FILE *out)
{
    return render_as_suite(result, out, test_suite_render_junit);
}

int grade_render_gradescope(const struct grade_result *result, FILE *out)
{
    return render_as_suite(result, out, test_suite_render_gradescope);
}
