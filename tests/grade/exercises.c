/* Grading the kit's own programs: every fixed program (solutions/) earns
 * full marks, and every broken one (pitfalls/) exactly the partial marks the
 * manifest gives it (broken.score), failing just the checks of its kinds, the
 * stdout check where its output is what shows the pitfall, and the
 * no_copying_spawn check where how it starts its children shows it. The
 * fixes with raw system calls (solutions/raw/) earn full marks too. */
#include "grade_test.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

/* broken.score of a pitfall: read from the manifest's JSON, as the loader
 * does not need it. */
static int broken_score(const char *name)
{
    json_error_t error;
    json_t *root = json_load_file(FORKLAB_SOURCE_DIR "/" MANIFEST_PATH, 0, &error);
    cr_assert_not_null(root, "manifest: %s", error.text);
    size_t index;
    json_t *pitfall;
    int score = -1;
    json_array_foreach(json_object_get(root, "pitfalls"), index, pitfall)
    {
        if (strcmp(json_string_value(json_object_get(pitfall, "name")), name) == 0) {
            json_t *value = json_object_get(json_object_get(pitfall, "broken"), "score");
            cr_assert(json_is_integer(value), "%s: broken.score is missing", name);
            score = (int)json_integer_value(value);
        }
    }
    json_decref(root);
    cr_assert_geq(score, 0, "%s is not in the manifest", name);
    return score;
}

Test(exercises, every_solution_gets_full_marks)
{
    test_deadline(300);
    struct kit kit;
    struct manifest manifest;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    for (size_t i = 0; i < manifest.count; i++) {
        const struct manifest_pitfall *exercise = &manifest.pitfalls[i];
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", FORKLAB_SOURCE_DIR, exercise->fixed);
        struct grade_result result;
        grade_test_run(&kit, exercise, path, 0, &result);
        cr_expect_eq(result.status, GRADE_GRADED, "%s: %s", exercise->name, result.explanation);
        cr_expect(result.compile.ok, "%s: %s", exercise->name, result.compile.output);
        cr_expect_eq(result.max_score, grade_max_score(exercise, NULL));
        cr_expect_eq(result.score, result.max_score, "%s: %d of %d: %s", exercise->name,
                     result.score, result.max_score, result.explanation);
        for (size_t c = 0; c < result.check_count; c++)
            cr_expect_eq(result.checks[c].score, result.checks[c].check->points, "%s %s: %s",
                         exercise->name, result.checks[c].check->id, result.checks[c].detail);
        grade_result_free(&result);
    }
    manifest_free(&manifest);
}

/* The fix with raw system calls (solutions/raw/NAME.c, where the fixed
 * program uses the wrapper) is the other answer a teacher accepts: full
 * marks too. Which exercises must have one is the pitfall tests' to say. */
Test(exercises, every_raw_fix_gets_full_marks)
{
    test_deadline(300);
    struct kit kit;
    struct manifest manifest;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    size_t graded = 0;
    for (size_t i = 0; i < manifest.count; i++) {
        const struct manifest_pitfall *exercise = &manifest.pitfalls[i];
        char path[512];
        snprintf(path, sizeof(path), "%s/solutions/raw/%s.c", FORKLAB_SOURCE_DIR, exercise->name);
        if (access(path, R_OK) != 0)
            continue;
        struct grade_result result;
        grade_test_run(&kit, exercise, path, 0, &result);
        cr_expect_eq(result.status, GRADE_GRADED, "%s: %s", exercise->name, result.explanation);
        cr_expect_eq(result.score, result.max_score, "%s raw fix: %d of %d: %s", exercise->name,
                     result.score, result.max_score, result.explanation);
        grade_result_free(&result);
        graded++;
    }
    cr_expect_gt(graded, 0, "no raw fix in solutions/raw/");
    manifest_free(&manifest);
}

Test(exercises, every_broken_program_gets_the_manifests_partial_marks)
{
    test_deadline(300);
    struct kit kit;
    struct manifest manifest;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    for (size_t i = 0; i < manifest.count; i++) {
        const struct manifest_pitfall *exercise = &manifest.pitfalls[i];
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", FORKLAB_SOURCE_DIR, exercise->broken);
        struct grade_result result;
        grade_test_run(&kit, exercise, path, 0, &result);
        cr_expect_eq(result.status, GRADE_GRADED, "%s: %s", exercise->name, result.explanation);
        cr_expect_eq(result.score, broken_score(exercise->name), "%s: %d of %d", exercise->name,
                     result.score, result.max_score);
        cr_expect_lt(result.score, result.max_score, "%s: a broken program passes", exercise->name);
        /* A kind the broken program shows costs its check; the others pass.
         * A pitfall that no finding shows passes the no-findings check, and
         * its output costs the stdout check instead, or its copying spawns
         * the no_copying_spawn check. */
        for (size_t c = 0; c < result.check_count; c++) {
            const struct grade_check_result *check = &result.checks[c];
            /* A check folded into the timeout's points keeps them when
             * its finding only follows from the hang. */
            bool folded = check->timeout_consequence && check->check->folded_after_timeout;
            if (check->check->test == MANIFEST_TEST_NO_FINDING)
                cr_expect_eq(check->score,
                             manifest_expects(exercise, check->check->kind) && !folded
                                 ? 0
                                 : check->check->points,
                             "%s %s: %s", exercise->name, check->check->id, check->detail);
            if (check->check->test == MANIFEST_TEST_NO_FINDINGS)
                cr_expect_eq(check->score, exercise->broken_kinds != 0 ? 0 : check->check->points,
                             "%s %s: %s", exercise->name, check->check->id, check->detail);
            if (check->check->test == MANIFEST_TEST_STDOUT &&
                exercise->broken_behaviour == MANIFEST_BEHAVIOUR_STDOUT_DIFFERS)
                cr_expect_eq(check->score, 0, "%s %s: the broken program's output passes: %s",
                             exercise->name, check->check->id, check->detail);
            if (check->check->test == MANIFEST_TEST_NO_COPYING_SPAWN)
                cr_expect_eq(check->score,
                             exercise->broken_behaviour == MANIFEST_BEHAVIOUR_COPYING_SPAWN
                                 ? 0
                                 : check->check->points,
                             "%s %s: %s", exercise->name, check->check->id, check->detail);
        }
        grade_result_free(&result);
    }
    manifest_free(&manifest);
}

Test(exercises, a_failed_kind_says_which_process_and_which_lesson)
{
    struct kit kit;
    struct manifest manifest;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    struct grade_result result;
    grade_test_run(&kit, grade_test_exercise(&manifest, "03-zombies"),
                   FORKLAB_SOURCE_DIR "/pitfalls/03-zombies.c", 0, &result);
    const struct grade_check_result *zombie = grade_test_check(&result, "no-zombie");
    cr_expect_eq(zombie->score, 0);
    cr_expect_not_null(strstr(zombie->detail, "1 zombie finding"), "%s", zombie->detail);
    cr_expect_not_null(strstr(zombie->detail, "pid "), "%s", zombie->detail);
    cr_expect_not_null(strstr(zombie->detail, "lessons/03-zombies.md"), "%s", zombie->detail);
    const struct grade_check_result *out = grade_test_check(&result, "stdout");
    cr_expect_eq(out->score, out->check->points, "%s", out->detail);
    grade_result_free(&result);
    manifest_free(&manifest);
}
