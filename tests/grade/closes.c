/* The manifest check closes_what_it_opens: a course that grades "close what
 * you open" names it, and the grade then runs with strict descriptors:
 * every descriptor a process opened and still held at its exit costs the
 * check its points, with each one named; a result handed back by dprintf()
 * and _exit() does not. */
#include "grade_test.h"

#include <criterion/criterion.h>
#include <string.h>

/* Exercise 03, graded by closes_what_it_opens alone. */
static struct manifest_check closes_check = {
    .id = "closes", .test = MANIFEST_TEST_CLOSES_WHAT_IT_OPENS, .points = 2};

static void grade_closes(const char *source, struct grade_result *result)
{
    struct kit kit;
    struct manifest manifest;
    grade_test_manifest(&manifest);
    struct manifest_pitfall exercise = *grade_test_exercise(&manifest, "03-zombies");
    exercise.checks = &closes_check;
    exercise.check_count = 1;
    grade_test_kit(&kit);
    grade_test_run(&kit, &exercise, source, 0, result);
    /* The result points at the exercise: keep only what the test reads. */
    result->exercise = NULL;
    for (size_t i = 0; i < result->check_count; i++)
        result->checks[i].check = &closes_check;
    manifest_free(&manifest);
}

Test(closes_what_it_opens, the_name_in_the_manifest)
{
    cr_assert_str_eq(manifest_test_name(MANIFEST_TEST_CLOSES_WHAT_IT_OPENS),
                     "closes_what_it_opens");
}

Test(closes_what_it_opens, files_and_pipes_left_open_lose_the_points)
{
    test_deadline(120);
    struct grade_result result;
    grade_closes(FIXTURE_SOURCE("h-fd-open-file"), &result);
    cr_assert_eq(result.status, GRADE_GRADED, "%s", result.explanation);
    cr_assert_eq(result.check_count, 1);
    cr_assert_eq(result.checks[0].score, 0);
    const char *detail = result.checks[0].detail;
    cr_assert_not_null(strstr(detail, "descriptors still open at exit"), "%s", detail);
    cr_assert_not_null(strstr(detail, "/etc/hostname"), "%s", detail);
    cr_assert_not_null(strstr(detail, "write end of pipe:["), "%s", detail);
    grade_result_free(&result);
}

Test(closes_what_it_opens, a_result_by_dprintf_keeps_them)
{
    test_deadline(120);
    struct grade_result result;
    grade_closes(FIXTURE_SOURCE("h-fd-result-ok"), &result);
    cr_assert_eq(result.status, GRADE_GRADED, "%s", result.explanation);
    cr_assert_eq(result.checks[0].score, 2, "%s", result.checks[0].detail);
    cr_assert_str_eq(result.checks[0].detail, "every process closed what it opened");
    grade_result_free(&result);
}
