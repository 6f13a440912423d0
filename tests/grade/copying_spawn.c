/* The no_copying_spawn check of exercise 10-fork-cost, on the harness
 * fixtures graded as submissions: fork+exec from a big parent fails it with
 * the numbers, and a forked worker, a small parent and posix_spawn pass;
 * every grade format carries the verdict (JSON read back with jansson). */
#include "grade/render/grade_render.h"
#include "grade_test.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_ID "no-copying_spawn"

/* Grades `source` for 10-fork-cost on the copying-spawn check alone. */
static void grade_copying_spawn(const char *source, struct manifest *manifest,
                                struct grade_result *result)
{
    struct kit kit;
    grade_test_manifest(manifest);
    struct grade_options options;
    grade_test_options(&options, &kit, grade_test_exercise(manifest, "10-fork-cost"), source);
    options.only_check = CHECK_ID;
    char why[512] = "";
    cr_assert_eq(grade_submission(&options, result, why, sizeof(why)), 0, "grading %s: %s", source,
                 why);
    cr_assert_eq(result->status, GRADE_GRADED, "%s: %s", source, result->compile.output);
    cr_assert_eq(result->check_count, 1);
}

Test(copying_spawn, fork_then_exec_from_a_big_parent_fails_with_the_numbers)
{
    test_deadline(120);
    struct manifest manifest;
    struct grade_result result;
    grade_copying_spawn(FIXTURE_SOURCE("h-big-fork-exec"), &manifest, &result);
    const struct grade_check_result *check = grade_test_check(&result, CHECK_ID);
    cr_expect_eq(check->score, 0, "%s", check->detail);
    cr_expect_eq(result.score, 0);
    cr_expect_eq(result.max_score, 4);

    /* The child's pid, from the run, is the one the detail names. */
    pid_t child = 0;
    for (size_t i = 0; i < result.report.process_count; i++)
        if (process_record_is_copying_spawn(&result.report.processes[i]))
            child = result.report.processes[i].pid;
    cr_assert_gt(child, 0, "the run recorded no copying spawn");
    char wanted[128];
    snprintf(wanted, sizeof(wanted), "pid %d was created by fork() from a parent holding ",
             (int)child);
    cr_expect_not_null(strstr(check->detail, wanted), "%s", check->detail);
    cr_expect_not_null(strstr(check->detail, "1 process was created by fork() only to exec"), "%s",
                       check->detail);
    cr_expect_not_null(strstr(check->detail, "MiB, and only ran exec (/bin/true)"), "%s",
                       check->detail);
    cr_expect_not_null(strstr(check->detail, "just to discard them"), "%s", check->detail);
    cr_expect_not_null(strstr(check->detail, "posix_spawn"), "%s", check->detail);
    cr_expect_not_null(strstr(check->detail, "fl_command"), "%s", check->detail);
    cr_expect_not_null(strstr(check->detail, "lessons/10-fork-cost.md"), "%s", check->detail);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* Each passes, and says why in words. */
static void expect_passes(const char *fixture, const char *wanted)
{
    struct manifest manifest;
    struct grade_result result;
    grade_copying_spawn(fixture, &manifest, &result);
    const struct grade_check_result *check = grade_test_check(&result, CHECK_ID);
    cr_expect_eq(check->score, check->check->points, "%s: %s", fixture, check->detail);
    cr_expect_not_null(strstr(check->detail, "no process was created by fork() from a parent "
                                             "holding 64 MiB or more only to exec"),
                       "%s: %s", fixture, check->detail);
    if (wanted != NULL)
        cr_expect_not_null(strstr(check->detail, wanted), "%s: %s", fixture, check->detail);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(copying_spawn, a_forked_worker_of_a_big_parent_passes)
{
    test_deadline(120);
    expect_passes(FIXTURE_SOURCE("h-big-fork-worker-ok"), NULL);
}

Test(copying_spawn, fork_then_exec_from_a_small_parent_passes)
{
    test_deadline(120);
    expect_passes(FIXTURE_SOURCE("h-small-fork-exec-ok"), NULL);
}

Test(copying_spawn, posix_spawn_from_a_big_parent_passes)
{
    test_deadline(120);
    expect_passes(FIXTURE_SOURCE("h-big-spawn-ok"), "1 was spawned without a copy");
}

Test(copying_spawn, every_grade_format_carries_the_failure)
{
    test_deadline(120);
    struct manifest manifest;
    struct grade_result result;
    grade_copying_spawn(FIXTURE_SOURCE("h-big-fork-exec"), &manifest, &result);

    json_t *root = grade_test_render_json(grade_render_json, &result);
    json_t *check = json_array_get(json_object_get(root, "checks"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(check, "id")), CHECK_ID);
    cr_expect_str_eq(json_string_value(json_object_get(check, "test")), "no_copying_spawn");
    cr_expect(json_is_false(json_object_get(check, "passed")));
    cr_expect_eq(json_integer_value(json_object_get(check, "max_score")), 4);
    cr_expect_not_null(
        strstr(json_string_value(json_object_get(check, "detail")), "only ran exec"));
    /* The run's processes say how the child was made, and from how much. */
    json_t *processes = json_object_get(json_object_get(root, "report"), "processes");
    cr_assert_eq(json_array_size(processes), 2);
    json_t *child = json_array_get(processes, 1);
    cr_expect_str_eq(json_string_value(json_object_get(child, "created_by")), "fork");
    cr_expect_geq(json_integer_value(json_object_get(child, "parent_rss_kib")),
                  COPYING_SPAWN_MIN_PARENT_KIB);
    json_decref(root);

    root = grade_test_render_json(grade_render_gradescope, &result);
    json_t *test = json_array_get(json_object_get(root, "tests"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(test, "status")), "failed");
    cr_expect_eq(json_integer_value(json_object_get(test, "max_score")), 4);
    cr_expect_not_null(strstr(json_string_value(json_object_get(test, "output")), "only ran exec"));
    json_decref(root);

    char *text = grade_test_render_text(grade_render_tap, &result);
    cr_expect_not_null(strstr(text, "not ok 1 - " CHECK_ID), "%s", text);
    free(text);
    text = grade_test_render_text(grade_render_junit, &result);
    cr_expect_not_null(strstr(text, "<failure"), "%s", text);
    cr_expect_not_null(strstr(text, "only ran exec"), "%s", text);
    free(text);
    text = grade_test_render_text(grade_render_text, &result);
    cr_expect_not_null(strstr(text, "FAIL  0/4  " CHECK_ID), "%s", text);
    free(text);

    grade_result_free(&result);
    manifest_free(&manifest);
}
