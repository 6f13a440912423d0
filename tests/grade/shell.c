/* The shell lab (14-shell) graded as a teacher grades it: both reference
 * solutions earn full marks with no finding in any session, the skeleton
 * and three broken variants of the raw solution (a pipe end left open, the
 * stages of a pipeline not waited for, no _exit after a failed exec) lose
 * exactly the points of what they break, and each of them gives the same
 * checks, finding kinds and score on every one of its runs. */
#include "grade/sessions.h"
#include "grade_test.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <forklab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define REPEATS 1 /* the grader's code is what the sanitizers look at */
#else
#define REPEATS 10
#endif

#define RAW           FORKLAB_SOURCE_DIR "/solutions/raw/14-shell.c"
#define VARIANT(name) FORKLAB_SOURCE_DIR "/tests/fixtures/submissions/14-shell/" name ".diff"

/* A submission, the checks it fails (every other passes), and the finding
 * kinds of each session ("pipes:zombie,fd_leak"; a session not listed has
 * none). Criterion copies the parameters: an index into this table. */
static const struct shell_submission {
    const char *name;
    const char *source;
    const char *diff; /* applied to `source` first; NULL: none */
    const char *failed[8];
    const char *findings[6];
} submissions[] = {
    {"the wrapper solution", FORKLAB_SOURCE_DIR "/solutions/14-shell.c", NULL, {NULL}, {NULL}},
    {"the raw solution", RAW, NULL, {NULL}, {NULL}},
    {"the skeleton",
     FORKLAB_SOURCE_DIR "/pitfalls/14-shell.c",
     NULL,
     {"pipes-no-fd_leak", "pipes-children", "pipes-no-zombie", "redirects-no-fd_leak",
      "errors-stdout", "errors-no-runaway_child"},
     {"pipes:zombie,fd_leak", "redirects:fd_leak", "background:fd_leak", "errors:runaway_child"}},
    {"a pipe left without O_CLOEXEC",
     RAW,
     VARIANT("leaky-pipes"),
     {"pipes-no-fd_leak"},
     {"pipes:fd_leak"}},
    {"only the last stage waited for",
     RAW,
     VARIANT("zombies"),
     {"pipes-children", "pipes-no-zombie"},
     {"pipes:zombie"}},
    {"no _exit after a failed exec",
     RAW,
     VARIANT("runaway"),
     {"errors-stdout", "errors-no-runaway_child"},
     {"errors:runaway_child"}},
};
#define SUBMISSIONS (sizeof(submissions) / sizeof(submissions[0]))

static bool listed(const char *const *names, size_t capacity, const char *name)
{
    for (size_t i = 0; i < capacity && names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

/* "fd_leak,zombie": the kinds found, in the order of enum finding_kind. */
static void kinds_text(const struct report *report, char *text, size_t size)
{
    size_t used = 0;
    text[0] = '\0';
    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++)
        if (report_count_kind(report, (enum finding_kind)kind) > 0 && used < size)
            used += (size_t)snprintf(text + used, size - used, "%s%s", used ? "," : "",
                                     finding_kind_name((enum finding_kind)kind));
}

/* The kinds `submission` must show in `session` ("" for none). */
static const char *expected_kinds(const struct shell_submission *submission, const char *session)
{
    size_t length = strlen(session);
    for (size_t i = 0; i < 6 && submission->findings[i] != NULL; i++)
        if (strncmp(submission->findings[i], session, length) == 0 &&
            submission->findings[i][length] == ':')
            return submission->findings[i] + length + 1;
    return "";
}

/* Applies the variant's diff to its source with patch(1), into `folder`. */
static void apply_diff(const struct shell_submission *submission, const char *folder, char *path,
                       size_t size)
{
    snprintf(path, size, "%s/14-shell.c", folder);
    struct fl_command *patch = fl_command_new("patch");
    cr_assert_not_null(patch);
    const char *args[] = {"--silent", "--output", path, submission->source, submission->diff, NULL};
    fl_command_args(patch, args);
    struct fl_output output;
    cr_assert_eq(fl_command_output(patch, &output), 0, "%s", fl_command_strerror(patch));
    cr_assert(fl_status_success(output.status), "%s does not apply: %s", submission->diff,
              output.err);
    fl_output_free(&output);
    fl_command_free(&patch);
}

ParameterizedTestParameters(shell, each_submission_loses_exactly_the_points_of_what_it_breaks)
{
    static size_t runs[SUBMISSIONS * REPEATS];
    for (size_t i = 0; i < SUBMISSIONS * REPEATS; i++)
        runs[i] = i;
    return cr_make_param_array(size_t, runs, SUBMISSIONS * REPEATS);
}
ParameterizedTest(size_t *run, shell, each_submission_loses_exactly_the_points_of_what_it_breaks)
{
    test_deadline(240);
    const struct shell_submission *submission = &submissions[*run / REPEATS];
    struct kit kit;
    struct manifest manifest;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    const struct manifest_pitfall *exercise = grade_test_exercise(&manifest, "14-shell");
    char folder[PATH_MAX] = "", source[PATH_MAX];
    snprintf(source, sizeof(source), "%s", submission->source);
    if (submission->diff != NULL) {
        grade_test_tmpdir(folder, sizeof(folder));
        apply_diff(submission, folder, source, sizeof(source));
    }

    struct grade_result result;
    grade_test_run(&kit, exercise, source, 0, &result);
    const char *who = submission->name;
    int run_number = (int)(*run % REPEATS) + 1;
    cr_assert_eq(result.status, GRADE_GRADED, "%s: %s\n%s", who, result.explanation,
                 result.compile.output);
    int lost = 0;
    for (size_t i = 0; i < result.check_count; i++) {
        const struct grade_check_result *check = &result.checks[i];
        bool fails = listed(submission->failed, 8, check->check->id);
        lost += fails ? check->check->points : 0;
        cr_expect_eq(check->score, fails ? 0 : check->check->points, "%s, run %d: %s scored %d: %s",
                     who, run_number, check->check->id, check->score, check->detail);
    }
    cr_expect_eq(result.max_score, grade_max_score(exercise, NULL));
    cr_expect_eq(result.score, result.max_score - lost, "%s, run %d: %d of %d", who, run_number,
                 result.score, result.max_score);
    cr_expect_eq(result.session_count, exercise->session_count);
    for (size_t i = 0; i < result.session_count; i++) {
        const struct grade_session_run *session = &result.sessions[i];
        char kinds[160];
        kinds_text(&session->report, kinds, sizeof(kinds));
        cr_expect_str_eq(kinds, expected_kinds(submission, session->session->name),
                         "%s, run %d, session %s: finding kinds %s", who, run_number,
                         session->session->name, kinds);
        cr_expect_not(report_is_incomplete(&session->report), "%s, session %s: facts were lost",
                      who, session->session->name);
    }
    grade_result_free(&result);
    manifest_free(&manifest);
    if (folder[0] != '\0')
        grade_test_rmdir(folder);
}

/* ---- the checks only a session has, on known inputs ---------------------------- */

static struct manifest_session two_probes = {
    .name = "s",
    .about = "two commands",
    .script = "echo one\n@children\ncat a | sort\n@children\n",
    .probe_count = 2,
};

static bool children_pass(const char *log, char **detail)
{
    struct grade_session_run run = {.session = &two_probes};
    run.probe_log.content = (char *)log;
    run.probe_log.length = strlen(log);
    size_t size = 0;
    FILE *why = open_memstream(detail, &size);
    bool passed = grade_children_pass(&run, why);
    fclose(why);
    return passed;
}

Test(shell, the_children_check_passes_only_with_no_child_at_each_probe)
{
    char *detail;
    cr_expect(
        children_pass("pid 9 (sh) has no child left\npid 9 (sh) has no child left\n", &detail));
    cr_expect(strstr(detail, "each of the 2 probe lines") != NULL, "%s", detail);
    free(detail);

    cr_expect_not(children_pass("pid 9 (sh) has no child left\npid 9 (sh) has 1 child left: pid "
                                "12 (cat, a zombie)\n",
                                &detail));
    cr_expect(strstr(detail, "after `cat a | sort`: pid 9 (sh) has 1 child left: pid 12 (cat, a "
                             "zombie)") != NULL,
              "%s", detail);
    free(detail);

    cr_expect_not(children_pass("pid 9 (sh) has no child left\n", &detail));
    cr_expect(strstr(detail, "ran 1 time for 2 probe lines") != NULL, "%s", detail);
    free(detail);

    cr_expect_not(children_pass("", &detail));
    cr_expect(strstr(detail, "ran 0 times") != NULL, "%s", detail);
    free(detail);

    /* A second shell (a child whose exec failed) runs the probes again. */
    cr_expect_not(children_pass("pid 9 (sh) has no child left\npid 9 (sh) has no child left\n"
                                "pid 10 (sh) has no child left\n",
                                &detail));
    cr_expect(strstr(detail, "more than one process ran the script") != NULL, "%s", detail);
    free(detail);
}

Test(shell, the_files_check_names_each_file_missing_or_different)
{
    struct manifest_file outputs[] = {
        {.name = "out.txt", .content = "second\n", .length = 7},
        {.name = "count.txt", .content = "3\n", .length = 2},
    };
    struct manifest_session session = {
        .name = "r", .about = "redirects", .script = "x\n", .outputs = outputs, .output_count = 2};
    struct session_file written[2] = {{.content = "first\n", .length = 6}, {NULL, 0, false}};
    struct grade_session_run run = {.session = &session, .written = written};
    char *detail = NULL;
    size_t size = 0;
    FILE *why = open_memstream(&detail, &size);
    cr_expect_not(grade_files_pass(&run, why));
    fclose(why);
    cr_expect(strstr(detail, "out.txt differs from the expected output: line 1: expected "
                             "\"second\", got \"first\"") != NULL,
              "%s", detail);
    cr_expect(strstr(detail, "count.txt was not written") != NULL, "%s", detail);
    free(detail);

    written[0] = (struct session_file){.content = "second\n", .length = 7};
    written[1] = (struct session_file){.content = "3\n", .length = 2};
    why = open_memstream(&detail, &size);
    cr_expect(grade_files_pass(&run, why));
    fclose(why);
    free(detail);
}

/* ---- the probe itself, on real processes ------------------------------------------ */

/* `forklab children` run by this process: its line and exit status. */
static int children_of_us(char **line)
{
    struct fl_command *probe = fl_command_new(FORKLAB_CLI);
    cr_assert_not_null(probe);
    fl_command_arg(probe, "children");
    struct fl_output output;
    cr_assert_eq(fl_command_output(probe, &output), 0, "%s", fl_command_strerror(probe));
    *line = strdup(output.out);
    int code = fl_status_code(output.status);
    fl_output_free(&output);
    fl_command_free(&probe);
    return code;
}

Test(shell, forklab_children_lists_a_zombie_until_it_is_reaped)
{
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0)
        _exit(0);
    /* Ended but not reaped: WNOWAIT leaves it a zombie. */
    siginfo_t info;
    cr_assert_eq(waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT), 0);

    char *line, expected[128];
    cr_expect_eq(children_of_us(&line), 1, "%s", line);
    snprintf(expected, sizeof(expected), "has 1 child left: pid %d (", (int)child);
    cr_expect(strstr(line, expected) != NULL && strstr(line, ", a zombie)\n") != NULL, "%s", line);
    free(line);

    cr_assert_eq(waitpid(child, NULL, 0), child);
    cr_expect_eq(children_of_us(&line), 0, "%s", line);
    snprintf(expected, sizeof(expected), "pid %d (", (int)getpid());
    cr_expect(strncmp(line, expected, strlen(expected)) == 0, "%s", line);
    cr_expect(strstr(line, ") has no child left\n") != NULL, "%s", line);
    free(line);
}
