/* Grading as root with run_as: the submission's program runs as an
 * unprivileged user (it sees that uid), under the valgrind pass too, and
 * still earns what it should; it cannot reach the grader's copy of its own
 * source; without run_as, it runs as the caller. Skipped unless the tests
 * run as root. */
#include "grade_test.h"
#include "../copy_executable.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* `forklab`: the binary the shell's probe copies (NULL: the kit's). */
static void grade_as_with(const char *exercise, const char *submission, const struct passwd *user,
                          bool valgrind, const char *forklab, struct grade_result *result,
                          struct manifest *manifest)
{
    struct kit kit;
    grade_test_manifest(manifest);
    struct grade_options options;
    grade_test_options(&options, &kit, grade_test_exercise(manifest, exercise), submission);
    options.valgrind = valgrind;
    if (forklab != NULL)
        snprintf(kit.forklab, sizeof(kit.forklab), "%s", forklab);
    if (user != NULL) {
        options.run_as = true;
        options.run_uid = user->pw_uid;
        options.run_gid = user->pw_gid;
    }
    char why[512] = "";
    cr_assert_eq(grade_submission(&options, result, why, sizeof(why)), 0, "%s", why);
    cr_assert(result->ran, "%s", result->compile.output);
}

static void grade_as(const char *exercise, const char *submission, const struct passwd *user,
                     struct grade_result *result, struct manifest *manifest)
{
    grade_as_with(exercise, submission, user, false, NULL, result, manifest);
}

static const struct passwd *nobody(void)
{
    if (geteuid() != 0)
        cr_skip_test("only root can run a program as another user");
    const struct passwd *user = getpwnam("nobody");
    if (user == NULL || user->pw_uid == 0)
        cr_skip_test("no user nobody on this machine");
    return user;
}

Test(run_as, the_program_runs_as_the_user_given)
{
    const struct passwd *user = nobody();
    char expected[32];
    snprintf(expected, sizeof(expected), "uid %d\n", (int)user->pw_uid);
    struct manifest manifest;
    struct grade_result result;
    grade_as("03", SUBMISSION("whoami.c"), user, &result, &manifest);
    cr_expect_str_eq(result.report.out.data, expected);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(run_as, without_it_the_program_runs_as_the_caller)
{
    nobody();
    struct manifest manifest;
    struct grade_result result;
    grade_as("03", SUBMISSION("whoami.c"), NULL, &result, &manifest);
    cr_expect_str_eq(result.report.out.data, "uid 0\n");
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* The harness still sees everything (root traces another user's program),
 * and a fixed program with the wrapper still earns full marks. */
Test(run_as, a_fixed_program_run_as_another_user_earns_full_marks)
{
    const struct passwd *user = nobody();
    struct manifest manifest;
    struct grade_result result;
    grade_as("03", FORKLAB_SOURCE_DIR "/solutions/03-zombies.c", user, &result, &manifest);
    cr_expect_eq(result.score, result.max_score, "%s", result.explanation);
    grade_result_free(&result);
    manifest_free(&manifest);
    /* And a broken one still shows its zombie. */
    grade_as("03", FORKLAB_SOURCE_DIR "/pitfalls/03-zombies.c", user, &result, &manifest);
    cr_expect_gt(report_count_kind(&result.report, FINDING_ZOMBIE), 0);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* The program leaks only as root: the valgrind pass ran it as the user. */
Test(run_as, the_valgrind_pass_runs_the_program_as_that_user_too)
{
    const struct passwd *user = nobody();
    struct manifest manifest;
    struct grade_result result;
    grade_as_with("03", SUBMISSION("leaks-as-root.c"), user, true, NULL, &result, &manifest);
    cr_assert(report_kind_checked(&result.report, FINDING_MEMORY_LEAK), "the valgrind pass ran");
    cr_expect_eq(report_count_kind(&result.report, FINDING_MEMORY_LEAK), 0);
    cr_expect_eq(result.score, result.max_score, "%s", result.explanation);
    grade_result_free(&result);
    manifest_free(&manifest);
    /* As root, the same program leaks: the test can fail. */
    grade_as_with("03", SUBMISSION("leaks-as-root.c"), NULL, true, NULL, &result, &manifest);
    cr_expect_gt(report_count_kind(&result.report, FINDING_MEMORY_LEAK), 0);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* The copy of the submission the grader compiles is in a 0700 folder next
 * to the program: the program, as another user, cannot even list it. */
Test(run_as, the_program_cannot_reach_the_copy_of_its_source)
{
    const struct passwd *user = nobody();
    struct manifest manifest;
    struct grade_result result;
    grade_as("03", SUBMISSION("reads-own-copy.c"), user, &result, &manifest);
    cr_expect_str_eq(result.report.out.data, "src: Permission denied\n");
    grade_result_free(&result);
    manifest_free(&manifest);
    /* As root it can: the copy is there to be found. */
    grade_as("03", SUBMISSION("reads-own-copy.c"), NULL, &result, &manifest);
    cr_expect_str_eq(result.report.out.data, "src: reads-own-copy.c\n");
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* A shell's sessions run as the user too: each session's folder is theirs
 * to write in, and the probe between commands still reads their children. */
Test(run_as, a_shell_run_as_another_user_is_graded_session_by_session)
{
    const struct passwd *user = nobody();
    struct manifest manifest;
    struct grade_result result;
    grade_as("14", FORKLAB_SOURCE_DIR "/solutions/raw/14-shell.c", user, &result, &manifest);
    cr_expect_eq(result.score, result.max_score, "%s", result.explanation);
    for (size_t i = 0; i < result.check_count; i++)
        cr_expect_eq(result.checks[i].score, result.checks[i].check->points, "%s: %s",
                     result.checks[i].check->id, result.checks[i].detail);
    grade_result_free(&result);
    manifest_free(&manifest);
    grade_as("14", FORKLAB_SOURCE_DIR "/pitfalls/14-shell.c", user, &result, &manifest);
    cr_expect_eq(grade_test_check(&result, "pipes-children")->score, 0);
    cr_expect_eq(grade_test_check(&result, "redirects-files")->score, 2);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* The probe the sessions run is the grader's forklab: it must serve a shell
 * running as another user even where that binary lies in a folder closed to
 * the user (a home of mode 0700, a clone under mktemp -d). */
Test(run_as, the_probe_runs_where_forklab_lies_in_a_folder_closed_to_the_user)
{
    const struct passwd *user = nobody();
    char closed[PATH_MAX], forklab[PATH_MAX + 16];
    grade_test_tmpdir(closed, sizeof(closed)); /* mkdtemp: mode 0700 */
    snprintf(forklab, sizeof(forklab), "%s/forklab", closed);
    copy_executable(FORKLAB_CLI, forklab);
    struct manifest manifest;
    struct grade_result result;
    grade_as_with("14", FORKLAB_SOURCE_DIR "/solutions/raw/14-shell.c", user, false, forklab,
                  &result, &manifest);
    cr_expect_eq(result.score, result.max_score, "%s", result.explanation);
    grade_result_free(&result);
    manifest_free(&manifest);
    grade_test_rmdir(closed);
}
