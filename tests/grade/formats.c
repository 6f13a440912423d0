/* The grade formats read back by parsers (jansson, expat, TAP line by line),
 * field by field; and a submission printing fake results (fake-results.c)
 * changes nothing: its output is data inside the format, never a result. */
#include "grade/render/grade_render.h"
#include "grade_test.h"

#include <criterion/criterion.h>
#include <expat.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void grade_named(const char *exercise, const char *submission, struct grade_result *result,
                        struct manifest *manifest)
{
    struct kit kit;
    grade_test_kit(&kit);
    grade_test_manifest(manifest);
    grade_test_run(&kit, grade_test_exercise(manifest, exercise), submission, 0, result);
}

/* Gradescope's results.json, every field the specification asks for. */
static void expect_gradescope(json_t *root, const struct grade_result *result)
{
    cr_expect(json_is_integer(json_object_get(root, "score")));
    cr_expect_eq(json_integer_value(json_object_get(root, "score")), result->score);
    cr_expect(json_is_number(json_object_get(root, "execution_time")));
    cr_expect_str_eq(json_string_value(json_object_get(root, "visibility")), "visible");
    cr_expect(json_is_string(json_object_get(root, "output")));
    json_t *tests = json_object_get(root, "tests");
    cr_assert(json_is_array(tests));
    cr_assert_eq(json_array_size(tests), result->exercise->check_count);
    long total = 0;
    size_t index;
    json_t *test;
    json_array_foreach(tests, index, test)
    {
        const struct manifest_check *check = &result->exercise->checks[index];
        const char *name = json_string_value(json_object_get(test, "name"));
        cr_assert_not_null(name);
        cr_expect_eq(strncmp(name, check->id, strlen(check->id)), 0, "%s for %s", name, check->id);
        json_t *score = json_object_get(test, "score"), *max = json_object_get(test, "max_score");
        cr_assert(json_is_integer(score) && json_is_integer(max));
        cr_expect_eq(json_integer_value(max), check->points);
        cr_expect_eq(json_integer_value(score), result->checks[index].score);
        const char *status = json_string_value(json_object_get(test, "status"));
        cr_assert_not_null(status);
        cr_expect_str_eq(status, json_integer_value(score) == json_integer_value(max) ? "passed"
                                                                                      : "failed");
        const char *output = json_string_value(json_object_get(test, "output"));
        cr_expect(output != NULL && output[0] != '\0', "test %s explains nothing", name);
        cr_expect_str_eq(json_string_value(json_object_get(test, "visibility")), "visible");
        total += json_integer_value(score);
    }
    cr_expect_eq(total, json_integer_value(json_object_get(root, "score")),
                 "the tests do not add up to the score");
}

Test(formats, gradescope_results_of_a_broken_program)
{
    struct manifest manifest;
    struct grade_result result;
    grade_named("03", FORKLAB_SOURCE_DIR "/pitfalls/03-zombies.c", &result, &manifest);
    json_t *root = grade_test_render_json(grade_render_gradescope, &result);
    expect_gradescope(root, &result);
    cr_expect_eq(json_integer_value(json_object_get(root, "score")), 3);
    json_t *zombie = json_array_get(json_object_get(root, "tests"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(zombie, "status")), "failed");
    cr_expect_not_null(
        strstr(json_string_value(json_object_get(zombie, "output")), "lessons/03-zombies.md"));
    const char *output = json_string_value(json_object_get(root, "output"));
    cr_expect_not_null(strstr(output, "compile: ok"), "%s", output);
    cr_expect_not_null(strstr(output, "sum of 1..300 = 45150"), "%s", output);
    json_decref(root);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(formats, gradescope_results_of_a_compile_failure)
{
    struct manifest manifest;
    struct grade_result result;
    grade_named("03", SUBMISSION("compile-error.c"), &result, &manifest);
    json_t *root = grade_test_render_json(grade_render_gradescope, &result);
    expect_gradescope(root, &result);
    cr_expect_eq(json_integer_value(json_object_get(root, "score")), 0);
    const char *output = json_string_value(json_object_get(root, "output"));
    cr_expect_not_null(strstr(output, "compile: FAILED"), "%s", output);
    cr_expect_not_null(strstr(output, "error"), "the compiler's message is missing: %s", output);
    size_t index;
    json_t *test;
    json_array_foreach(json_object_get(root, "tests"), index, test) cr_expect_not_null(
        strstr(json_string_value(json_object_get(test, "output")), "did not compile"));
    json_decref(root);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(formats, json_grade_holds_the_checks_and_the_run)
{
    struct manifest manifest;
    struct grade_result result;
    grade_named("03", FORKLAB_SOURCE_DIR "/pitfalls/03-zombies.c", &result, &manifest);
    json_t *root = grade_test_render_json(grade_render_json, &result);
    cr_expect_eq(json_integer_value(json_object_get(root, "forklab_grade")), 1);
    cr_expect_str_eq(json_string_value(json_object_get(root, "exercise")), "03-zombies");
    cr_expect_str_eq(json_string_value(json_object_get(root, "status")), "graded");
    cr_expect_eq(json_integer_value(json_object_get(root, "score")), 3);
    cr_expect_eq(json_integer_value(json_object_get(root, "max_score")), 8);
    cr_expect(json_is_false(json_object_get(root, "passed")));
    json_t *compile = json_object_get(root, "compile");
    cr_expect(json_is_true(json_object_get(compile, "ok")));
    cr_expect_str_eq(json_string_value(json_array_get(json_object_get(compile, "argv"), 0)), "cc");
    json_t *checks = json_object_get(root, "checks");
    cr_assert_eq(json_array_size(checks), 4);
    json_t *first = json_array_get(checks, 0);
    cr_expect_str_eq(json_string_value(json_object_get(first, "id")), "no-zombie");
    cr_expect_str_eq(json_string_value(json_object_get(first, "test")), "no_finding");
    cr_expect_str_eq(json_string_value(json_object_get(first, "kind")), "zombie");
    cr_expect(json_is_false(json_object_get(first, "passed")));
    json_t *report = json_object_get(root, "report");
    cr_expect_eq(json_integer_value(json_object_get(report, "forklab_report")), 1);
    cr_expect_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(report, "findings"), 0), "kind")),
                     "zombie");
    json_decref(root);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* ---- integrity: fake results printed by the submission --------------------- */

Test(formats, printed_fake_results_change_no_format)
{
    struct manifest manifest;
    struct grade_result result;
    grade_named("03", SUBMISSION("fake-results.c"), &result, &manifest);
    /* 4 + 1 + 0 + 1: its stdout is not the expected one, the rest is clean. */
    cr_assert_eq(result.score, 6, "%s", result.explanation);

    json_t *gradescope = grade_test_render_json(grade_render_gradescope, &result);
    expect_gradescope(gradescope, &result);
    cr_expect_eq(json_integer_value(json_object_get(gradescope, "score")), 6);
    /* The fake document is there, as text inside the output. */
    cr_expect_not_null(
        strstr(json_string_value(json_object_get(gradescope, "output")), "\"score\": 1000"));
    json_decref(gradescope);

    json_t *grade = grade_test_render_json(grade_render_json, &result);
    cr_expect_eq(json_integer_value(json_object_get(grade, "score")), 6);
    json_decref(grade);

    /* TAP: the plan and exactly four test lines, whatever the program printed. */
    char *tap = grade_test_render_text(grade_render_tap, &result);
    int tests = 0;
    bool plan = false;
    for (char *line = strtok(tap, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        plan |= strcmp(line, "1..4") == 0;
        tests += strncmp(line, "ok ", 3) == 0 || strncmp(line, "not ok ", 7) == 0;
        if (strncmp(line, "# score", 7) == 0)
            cr_expect_eq(strncmp(line, "# score 6/8", 11), 0, "%s", line);
    }
    cr_expect(plan);
    cr_expect_eq(tests, 4);
    free(tap);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* ---- JUnit through expat ----------------------------------------------------- */

struct junit_count {
    int suites, testcases, failures;
    char *system_out;
    size_t system_out_length;
    bool in_system_out;
};

static void junit_start(void *data, const XML_Char *name, const XML_Char **attributes)
{
    struct junit_count *count = data;
    (void)attributes;
    count->suites += strcmp(name, "testsuite") == 0;
    count->testcases += strcmp(name, "testcase") == 0;
    count->failures += strcmp(name, "failure") == 0;
    count->in_system_out = strcmp(name, "system-out") == 0;
}

static void junit_end(void *data, const XML_Char *name)
{
    struct junit_count *count = data;
    if (strcmp(name, "system-out") == 0)
        count->in_system_out = false;
}

static void junit_text(void *data, const XML_Char *text, int length)
{
    struct junit_count *count = data;
    if (!count->in_system_out)
        return;
    count->system_out = realloc(count->system_out, count->system_out_length + (size_t)length + 1);
    memcpy(count->system_out + count->system_out_length, text, (size_t)length);
    count->system_out_length += (size_t)length;
    count->system_out[count->system_out_length] = '\0';
}

Test(formats, junit_parses_and_keeps_the_programs_output_as_text)
{
    struct manifest manifest;
    struct grade_result result;
    grade_named("03", SUBMISSION("fake-results.c"), &result, &manifest);
    char *xml = grade_test_render_text(grade_render_junit, &result);
    struct junit_count count = {0};
    XML_Parser parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser, &count);
    XML_SetElementHandler(parser, junit_start, junit_end);
    XML_SetCharacterDataHandler(parser, junit_text);
    cr_assert_eq(XML_Parse(parser, xml, (int)strlen(xml), 1), XML_STATUS_OK, "%s: %s",
                 XML_ErrorString(XML_GetErrorCode(parser)), xml);
    XML_ParserFree(parser);
    cr_expect_eq(count.suites, 1);
    cr_expect_eq(count.testcases, 4);
    cr_expect_eq(count.failures, 1, "only stdout fails");
    /* The program's stdout comes back byte for byte, fake XML included. */
    cr_assert_not_null(count.system_out);
    cr_expect_eq(count.system_out_length, result.report.out.length);
    cr_expect_eq(memcmp(count.system_out, result.report.out.data, result.report.out.length), 0);
    free(count.system_out);
    free(xml);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* ---- the pictures: Markdown per test for Gradescope, the HTML page -------- */

/* Pitfall 04 fails no-fd_leak and no-timeout: those tests carry the run's
 * descriptor view in Markdown, every text fenced; the others stay text. */
Test(formats, gradescope_shows_the_descriptor_view_where_it_explains)
{
    struct manifest manifest;
    struct grade_result result;
    grade_named("04", FORKLAB_SOURCE_DIR "/pitfalls/04-leaked-fds.c", &result, &manifest);
    json_t *root = grade_test_render_json(grade_render_gradescope, &result);
    expect_gradescope(root, &result);
    size_t index, markdown = 0;
    json_t *test;
    json_array_foreach(json_object_get(root, "tests"), index, test)
    {
        const struct manifest_check *check = &result.exercise->checks[index];
        const char *format = json_string_value(json_object_get(test, "output_format"));
        const char *output = json_string_value(json_object_get(test, "output"));
        cr_assert_not_null(format);
        bool explained = check->test == MANIFEST_TEST_NO_FINDING &&
                         (check->kind == FINDING_FD_LEAK || check->kind == FINDING_TIMEOUT) &&
                         result.checks[index].score < check->points;
        cr_expect_str_eq(format, explained ? "md" : "text", "check %s", check->id);
        if (!explained)
            continue;
        markdown++;
        cr_expect_eq(strncmp(output, "```text\n", 8), 0, "%s", output);
        cr_expect_not_null(strstr(output, "\n```text\nDescriptors ("), "%s", output);
        cr_expect_not_null(strstr(output, "<- blocked here"), "%s", output);
        cr_expect_not_null(strstr(output, "<- held open"), "%s", output);
    }
    cr_expect_eq(markdown, 2, "%zu tests in Markdown", markdown);
    json_decref(root);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* The grade as one HTML page: the score, a row per check, and the run's
 * report with the JSON record it was drawn from. */
Test(formats, html_grade_holds_the_checks_and_the_run)
{
    struct manifest manifest;
    struct grade_result result;
    grade_named("03", FORKLAB_SOURCE_DIR "/pitfalls/03-zombies.c", &result, &manifest);
    char *page = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&page, &size);
    cr_assert_eq(grade_render_html(&result, out), 0);
    fclose(out);
    cr_expect_eq(strncmp(page, "<!DOCTYPE html>", 15), 0);
    cr_expect_not_null(strstr(page, "score 3/8"), "no score");
    const char *table = strstr(page, "id=\"checks\""),
               *end = table ? strstr(table, "</table>") : NULL;
    cr_assert(table != NULL && end != NULL, "no table of checks");
    size_t rows = 0;
    for (const char *at = table; (at = strstr(at, "<th scope=\"row\">")) != NULL && at < end; at++)
        rows++;
    cr_expect_eq(rows, result.check_count, "%zu check rows", rows);
    cr_expect_not_null(strstr(page, "<h2 id=\"run\">"));
    cr_expect_not_null(strstr(page, "id=\"forklab-report\""));
    cr_expect_not_null(strstr(page, "</html>\n"));
    free(page);
    grade_result_free(&result);
    manifest_free(&manifest);
}
