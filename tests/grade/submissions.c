/* Submissions that go wrong before they run (a compile error, a warning, no
 * main, an empty folder, not C) each get 0 with the reason, never a crash;
 * a folder of several files and a plain C fix go right. */
#include "grade_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Every check of a submission that never ran: 0 points, and why. */
static void expect_not_run(const struct grade_result *result, const char *why)
{
    cr_expect_eq(result->score, 0);
    cr_expect_gt(result->max_score, 0);
    cr_expect_not(result->ran);
    cr_expect_eq(result->check_count, result->exercise->check_count);
    for (size_t i = 0; i < result->check_count; i++) {
        cr_expect_eq(result->checks[i].score, 0);
        cr_expect_not_null(strstr(result->checks[i].detail, why), "%s: %s",
                           result->checks[i].check->id, result->checks[i].detail);
    }
}

static void grade_fixture(const char *exercise_name, const char *submission,
                          struct grade_result *result, struct manifest *manifest)
{
    struct kit kit;
    grade_test_kit(&kit);
    grade_test_manifest(manifest);
    grade_test_run(&kit, grade_test_exercise(manifest, exercise_name), submission, 0, result);
}

Test(submissions, a_compile_error_scores_zero_with_the_compilers_message)
{
    struct manifest manifest;
    struct grade_result result;
    grade_fixture("03", SUBMISSION("compile-error.c"), &result, &manifest);
    cr_expect_eq(result.status, GRADE_COMPILE_FAILED);
    cr_expect_not(result.compile.ok);
    cr_expect_not_null(strstr(result.compile.output, "compile-error.c:7"), "%s",
                       result.compile.output);
    cr_expect_not_null(strstr(result.compile.output, "error"), "%s", result.compile.output);
    cr_expect_not_null(strstr(result.explanation, "did not compile"), "%s", result.explanation);
    expect_not_run(&result, "did not compile");
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* The text a student reads: the compiler's message once, then one line
 * that says no check ran, not a "not run" line per check. */
Test(submissions, a_compile_error_is_shown_once_and_said_in_one_line)
{
    struct manifest manifest;
    struct grade_result result;
    grade_fixture("03", SUBMISSION("compile-error.c"), &result, &manifest);
    char *text = grade_test_render_text(grade_render_text, &result);
    const char *message = strstr(text, "compile-error.c:7");
    cr_assert_not_null(message, "%s", text);
    cr_expect_null(strstr(message + 1, "compile-error.c:7:42: error"), "twice:\n%s", text);
    const char *said = "no check ran: the program did not compile";
    const char *line = strstr(text, said);
    cr_assert_not_null(line, "%s", text);
    cr_expect_null(strstr(line + strlen(said), "did not compile"), "more than once:\n%s", text);
    cr_expect_null(strstr(text, "not run"), "%s", text);
    cr_expect_null(strstr(text, "  FAIL "), "a check listed:\n%s", text);
    free(text);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(submissions, a_warning_is_an_error_as_in_the_project)
{
    struct manifest manifest;
    struct grade_result result;
    grade_fixture("03", SUBMISSION("warning.c"), &result, &manifest);
    cr_expect_eq(result.status, GRADE_COMPILE_FAILED);
    cr_expect_not_null(strstr(result.compile.output, "unused"), "%s", result.compile.output);
    /* The command line shown is the project's. */
    const char *expected[] = {"cc",      "-std=c17", "-D_GNU_SOURCE", "-Wall",
                              "-Wextra", "-Werror",  "-O2",           "-g"};
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
        cr_expect_str_eq(result.compile.argv[i], expected[i]);
    expect_not_run(&result, "did not compile");
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(submissions, a_file_with_no_main_does_not_link)
{
    struct manifest manifest;
    struct grade_result result;
    grade_fixture("03", SUBMISSION("no-main.c"), &result, &manifest);
    cr_expect_eq(result.status, GRADE_COMPILE_FAILED);
    cr_expect_not_null(strstr(result.compile.output, "main"), "%s", result.compile.output);
    expect_not_run(&result, "did not compile");
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(submissions, an_empty_folder_has_nothing_to_grade)
{
    char folder[64];
    grade_test_tmpdir(folder, sizeof(folder));
    struct manifest manifest;
    struct grade_result result;
    grade_fixture("03", folder, &result, &manifest);
    cr_expect_eq(result.status, GRADE_NO_SOURCE);
    cr_expect_null(result.compile.argv, "nothing should have been compiled");
    cr_expect_not_null(strstr(result.explanation, "holds no .c file"), "%s", result.explanation);
    expect_not_run(&result, "nothing to compile");
    grade_result_free(&result);
    manifest_free(&manifest);
    grade_test_rmdir(folder);
}

Test(submissions, a_file_that_is_not_c_has_nothing_to_grade)
{
    struct manifest manifest;
    struct grade_result result;
    grade_fixture("03", SUBMISSION("notes.txt"), &result, &manifest);
    cr_expect_eq(result.status, GRADE_NO_SOURCE);
    cr_expect_not_null(strstr(result.explanation, "not a C source file"), "%s", result.explanation);
    expect_not_run(&result, "nothing to compile");
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(submissions, a_folder_of_files_and_a_header_builds_as_one_program)
{
    struct manifest manifest;
    struct grade_result result;
    grade_fixture("03", SUBMISSION("multi-file"), &result, &manifest);
    cr_expect_eq(result.status, GRADE_GRADED, "%s", result.compile.output);
    cr_expect_eq(result.score, result.max_score, "%s", result.explanation);
    /* Both sources, in name order, named as in the folder the compiler runs
     * in, and that folder for its header. */
    char *const *argv = result.compile.argv;
    size_t count = 0;
    while (argv[count] != NULL)
        count++;
    cr_assert_geq(count, 4);
    cr_expect_str_eq(argv[count - 3], "main.c");
    cr_expect_str_eq(argv[count - 2], "sum.c");
    cr_expect_str_eq(argv[count - 1], "-pthread");
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(submissions, a_plain_c_fix_without_the_wrapper_passes)
{
    struct manifest manifest;
    struct grade_result result;
    grade_fixture("zombies", SUBMISSION("zombies-fixed.c"), &result, &manifest);
    cr_expect_eq(result.score, result.max_score, "%s", result.explanation);
    /* No forklab.h: no wrapper on the command line. */
    for (size_t i = 0; result.compile.argv[i] != NULL; i++)
        cr_expect_null(strstr(result.compile.argv[i], "libforklab"), "%s", result.compile.argv[i]);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(submissions, a_missing_submission_is_an_error_not_a_grade)
{
    struct kit kit;
    struct manifest manifest;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    struct grade_options options;
    grade_options_init(&options);
    options.kit = &kit;
    options.exercise = grade_test_exercise(&manifest, "03");
    options.submission = SUBMISSION("no-such-file.c");
    struct grade_result result;
    char why[256] = "";
    cr_expect_eq(grade_submission(&options, &result, why, sizeof(why)), -ENOENT);
    cr_expect_not_null(strstr(why, "no-such-file.c"), "%s", why);
    grade_result_free(&result);

    options.submission = SUBMISSION("zombies-fixed.c");
    options.only_check = "no-such-check";
    cr_expect_eq(grade_submission(&options, &result, why, sizeof(why)), -EINVAL);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(submissions, only_one_check_is_scored_with_only_check)
{
    struct kit kit;
    struct manifest manifest;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    struct grade_options options;
    grade_options_init(&options);
    options.kit = &kit;
    options.exercise = grade_test_exercise(&manifest, "03");
    options.submission = FORKLAB_SOURCE_DIR "/pitfalls/03-zombies.c";
    options.only_check = "stdout";
    struct grade_result result;
    char why[256] = "";
    cr_assert_eq(grade_submission(&options, &result, why, sizeof(why)), 0, "%s", why);
    cr_expect_eq(result.check_count, 1);
    cr_expect_str_eq(result.checks[0].check->id, "stdout");
    cr_expect_eq(result.score, 2);
    cr_expect_eq(result.max_score, 2);
    grade_result_free(&result);

    options.only_check = "no-zombie";
    cr_assert_eq(grade_submission(&options, &result, why, sizeof(why)), 0, "%s", why);
    cr_expect_eq(result.score, 0);
    cr_expect_eq(result.max_score, 4);
    grade_result_free(&result);
    manifest_free(&manifest);
}
