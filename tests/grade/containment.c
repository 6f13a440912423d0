/* Submissions that attack the grader: a fork bomb, an output flood and an
 * endless loop each get a correct, explained score, graded inside a pids
 * cgroup so that even a grader bug could not hurt the machine. */
#include "grade_test.h"

#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#define MAX_CHECKS  8
#define DETAIL_SIZE 512

/* What the cgroup worker reports about one grade. */
struct summary {
    int error; /* grade_submission's */
    int score, max_score;
    int check_count;
    int check_scores[MAX_CHECKS];
    char details[MAX_CHECKS][DETAIL_SIZE];
    bool timeout_finding, process_limit_finding;
    size_t stdout_total, stdout_kept;
};

struct job {
    const char *exercise;
    const char *submission;
    long timeout_ms;
};

static void grade_in_cgroup(void *context, int result_fd)
{
    const struct job *job = context;
    struct summary summary;
    memset(&summary, 0, sizeof(summary));
    struct kit kit;
    struct manifest manifest;
    kit_at(&kit, FORKLAB_SOURCE_DIR, FORKLAB_PLAIN_DIR);
    summary.error = manifest_load(FORKLAB_SOURCE_DIR "/" MANIFEST_PATH, &manifest, NULL, 0);
    struct grade_result result;
    grade_result_init(&result);
    if (summary.error == 0) {
        struct grade_options options;
        grade_options_init(&options);
        options.kit = &kit;
        options.exercise = manifest_find(&manifest, job->exercise);
        options.submission = job->submission;
        options.timeout_ms = job->timeout_ms;
        summary.error = grade_submission(&options, &result, NULL, 0);
    }
    summary.score = result.score;
    summary.max_score = result.max_score;
    summary.check_count = (int)result.check_count;
    for (size_t i = 0; i < result.check_count && i < MAX_CHECKS; i++) {
        summary.check_scores[i] = result.checks[i].score;
        snprintf(summary.details[i], DETAIL_SIZE, "%s", result.checks[i].detail);
    }
    summary.timeout_finding = report_count_kind(&result.report, FINDING_TIMEOUT) > 0;
    summary.process_limit_finding = report_count_kind(&result.report, FINDING_PROCESS_LIMIT) > 0;
    summary.stdout_total = result.report.out.total;
    summary.stdout_kept = result.report.out.length;
    write(result_fd, &summary, sizeof(summary));
}

static void grade_contained(const struct job *job, struct summary *summary)
{
    if (!pids_cgroup_available())
        cr_skip_test("no writable pids cgroup at /sys/fs/cgroup/pids");
    run_in_pids_cgroup(200, grade_in_cgroup, (void *)job, summary, sizeof(*summary));
    cr_assert_eq(summary->error, 0, "grading failed: %d", summary->error);
}

/* Exercise 01's checks are no-nested_fork (4), no-findings (1), stdout (2)
 * and exit (1): each attack below fails a known set of them. */

Test(containment, a_fork_bomb_scores_zero_for_its_process_limit)
{
    test_deadline(120);
    struct job job = {"01", FIXTURE_SOURCE("h-fork-bomb"), 0};
    struct summary summary;
    grade_contained(&job, &summary);
    cr_expect(summary.process_limit_finding, "the harness did not stop the bomb at its limit");
    cr_expect_eq(summary.score, 0);
    cr_expect_eq(summary.max_score, 8);
    cr_expect_not_null(strstr(summary.details[0], "nested_fork"), "%s", summary.details[0]);
    cr_expect_not_null(strstr(summary.details[1], "process_limit"), "%s", summary.details[1]);
    cr_expect_not_null(strstr(summary.details[3], "stopped by forklab"), "%s", summary.details[3]);
}

Test(containment, an_output_flood_is_cut_and_stopped_at_the_time_limit)
{
    test_deadline(120);
    struct job job = {"01", SUBMISSION("flood.c"), 1000};
    struct summary summary;
    grade_contained(&job, &summary);
    cr_expect(summary.timeout_finding);
    cr_expect_eq(summary.stdout_kept, GRADE_OUTPUT_CAP, "kept %zu bytes", summary.stdout_kept);
    cr_expect_gt(summary.stdout_total, summary.stdout_kept);
    /* No nested fork (4 points); every other check fails. */
    int expected[] = {4, 0, 0, 0};
    for (int i = 0; i < 4; i++)
        cr_expect_eq(summary.check_scores[i], expected[i], "check %d: %s", i, summary.details[i]);
    cr_expect_not_null(strstr(summary.details[1], "timeout"), "%s", summary.details[1]);
    cr_expect_not_null(strstr(summary.details[2], "forklab kept the first 65536"), "%s",
                       summary.details[2]);
    cr_expect_eq(summary.score, 4);
}

Test(containment, an_endless_loop_is_a_timeout)
{
    test_deadline(120);
    struct job job = {"01", SUBMISSION("endless.c"), 500};
    struct summary summary;
    grade_contained(&job, &summary);
    cr_expect(summary.timeout_finding);
    cr_expect_eq(summary.score, 4, "no nested fork is all it earns");
    cr_expect_not_null(strstr(summary.details[2], "it is empty"), "%s", summary.details[2]);
    cr_expect_not_null(strstr(summary.details[2], "follows from the timeout"), "%s",
                       summary.details[2]);
    cr_expect_not_null(strstr(summary.details[3], "stopped by forklab"), "%s", summary.details[3]);
}
