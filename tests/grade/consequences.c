/* A hang is charged once: the checks that fail only because the run timed
 * out say so and send the student to the hang's cause; a zombie the hang
 * itself comes from is not one of them; and a grade whose report lost facts
 * says so instead of scoring silently. */
#include "grade_test.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* Grades with the exercise's time limit, or `timeout_ms` when not 0. */
static void grade(const char *exercise, const char *submission, long timeout_ms,
                  struct grade_result *result, struct manifest *manifest)
{
    struct kit kit;
    grade_test_kit(&kit);
    grade_test_manifest(manifest);
    grade_test_run(&kit, grade_test_exercise(manifest, exercise), submission, timeout_ms, result);
}

Test(consequences, a_hang_costs_its_own_points_and_the_zombie_it_left_is_folded)
{
    struct manifest manifest;
    struct grade_result result;
    grade("04", FORKLAB_SOURCE_DIR "/pitfalls/04-leaked-fds.c", 0, &result, &manifest);
    cr_assert_not_null(grade_timeout(&result.report), "the broken program no longer hangs?");
    /* The cause first, in the one line on the whole grade. */
    cr_expect_eq(strncmp(result.explanation,
                         "the program hung and was stopped at its time limit of 2.0 s (the cause: "
                         "lessons/04-leaked-fds.md)",
                         strlen("the program hung")),
                 0, "%s", result.explanation);
    cr_expect_not_null(strstr(result.explanation, "the cause: lessons/04-leaked-fds.md"), "%s",
                       result.explanation);
    cr_expect_not_null(strstr(result.explanation, "2 of them only because of the hang"), "%s",
                       result.explanation);
    cr_expect_not_null(strstr(result.explanation, "1 check folded into the timeout's points"), "%s",
                       result.explanation);

    const struct grade_check_result *zombie = grade_test_check(&result, "no-zombie");
    cr_expect(zombie->timeout_consequence);
    cr_expect_eq(zombie->score, zombie->check->points, "folded: %s", zombie->detail);
    cr_expect_not_null(strstr(zombie->detail, "(this follows from the timeout)"), "%s",
                       zombie->detail);
    cr_expect_not_null(strstr(zombie->detail, "check no-timeout"), "%s", zombie->detail);
    cr_expect_null(strstr(zombie->detail, "03-zombies.md"), "the wrong fix: %s", zombie->detail);
    for (const char *id = "stdout"; id != NULL; id = strcmp(id, "stdout") == 0 ? "exit" : NULL) {
        const struct grade_check_result *check = grade_test_check(&result, id);
        cr_expect(check->timeout_consequence, "%s: %s", id, check->detail);
        cr_expect_eq(check->score, 0, "%s: a hang never prints or exits: %s", id, check->detail);
        cr_expect_not_null(strstr(check->detail, "Fix the hang first"), "%s", check->detail);
    }
    const struct grade_check_result *leak = grade_test_check(&result, "no-fd_leak");
    cr_expect_not(leak->timeout_consequence, "%s", leak->detail);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* In 09 the zombie is why the program hangs: kill(pid, 0) finds a zombie's
 * pid. It is charged as a mistake of its own, with its own lesson. */
Test(consequences, a_zombie_that_causes_the_hang_is_no_consequence)
{
    struct manifest manifest;
    struct grade_result result;
    grade("09", FORKLAB_SOURCE_DIR "/pitfalls/09-stale-pids.c", 0, &result, &manifest);
    const struct grade_check_result *zombie = grade_test_check(&result, "no-zombie");
    cr_expect_not(zombie->timeout_consequence, "%s", zombie->detail);
    cr_expect_eq(zombie->score, 0);
    cr_expect_not_null(strstr(zombie->detail, "Read lessons/03-zombies.md"), "%s", zombie->detail);
    cr_expect_null(strstr(zombie->detail, "follows from the timeout"), "%s", zombie->detail);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* Exercise 03 does not fold: a zombie left by a hang scores 0 there, and
 * still says where it comes from. */
Test(consequences, an_unfolded_consequence_scores_zero_and_says_why)
{
    struct manifest manifest;
    struct grade_result result;
    /* 03 allows 30 s; this one would hang for all of them. */
    grade("03", SUBMISSION("03/hangs-before-reaping.c"), 2000, &result, &manifest);
    cr_assert_not_null(grade_timeout(&result.report), "%s", result.explanation);
    const struct grade_check_result *zombie = grade_test_check(&result, "no-zombie");
    cr_expect(zombie->timeout_consequence, "%s", zombie->detail);
    cr_expect_eq(zombie->score, 0);
    /* No timeout check in 03: the pointer names the timeout itself. */
    cr_expect_not_null(strstr(zombie->detail, "the timeout: the program did not finish"), "%s",
                       zombie->detail);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* A report that lost facts: built by hand, as no real run can be made to
 * lose them on purpose. Every check is still scored from what was recorded,
 * and the grade says it is incomplete. */
Test(consequences, an_incomplete_report_is_said_not_scored_silently)
{
    struct kit kit;
    struct manifest manifest;
    struct grade_options options;
    grade_test_manifest(&manifest);
    const struct manifest_pitfall *exercise = grade_test_exercise(&manifest, "03");
    grade_test_options(&options, &kit, exercise, "zombies.c");
    struct grade_result result;
    grade_result_init(&result);
    result.exercise = exercise;
    result.ran = true;
    result.report.main_end = PROCESS_EXITED;
    result.report.main_code = 0;
    result.report.out.data = strdup(exercise->expected_stdout);
    result.report.out.length = result.report.out.total = exercise->expected_stdout_length;
    cr_assert_eq(report_add_check(&result.report, "trace"), 0);
    result.report.facts_lost = 2;
    cr_assert_eq(grade_score(&options, &result), 0);
    cr_expect_eq(result.status, GRADE_INCOMPLETE);
    cr_expect_str_eq(grade_status_name(result.status), "incomplete");
    cr_expect_eq(strncmp(result.explanation,
                         "the report of the run is incomplete (2 facts could not be recorded)",
                         strlen("the report of the run is incomplete (2 facts")),
                 0, "%s", result.explanation);
    const struct grade_check_result *zombie = grade_test_check(&result, "no-zombie");
    cr_expect_eq(zombie->score, zombie->check->points);
    cr_expect_not_null(strstr(zombie->detail, "a finding may be missing"), "%s", zombie->detail);
    grade_result_free(&result);
    manifest_free(&manifest);
}
