/* test_pipeline.c: a | b | c with each stage's status; every pipe end closed
 * in every process, so EOF and SIGPIPE travel along the pipeline. A broken
 * rule shows up as a hang, which hang_guard turns into a failure. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static struct fl_command *shell(const char *script)
{
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, script);
    return cmd;
}

static void free_all(struct fl_command **cmds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fl_command_free(&cmds[i]);
}

Test(pipeline, output_of_the_last_stage)
{
    hang_guard(120);
    struct fl_command *stages[3] = {shell("printf 'b\\na\\nc\\n'"), fl_command_new("sort"),
                                    fl_command_new("head")};
    fl_command_arg(stages[2], "-n");
    fl_command_arg(stages[2], "2");
    fl_command_stdio(stages[2], FL_STDOUT, FL_PIPE);
    struct fl_child *children[3];
    cr_assert_eq(fl_pipeline_spawn(stages, 3, children, NULL), 0);
    struct fl_output out;
    cr_assert_eq(fl_child_wait_with_output(children[2], &out), 0);
    cr_assert_str_eq(out.out, "a\nb\n");
    for (int i = 0; i < 3; i++) {
        struct fl_status status;
        cr_assert_eq(fl_child_wait(children[i], &status), 0);
        cr_assert(fl_status_success(status), "stage %d", i);
        fl_child_free(&children[i]);
    }
    fl_output_free(&out);
    free_all(stages, 3);
}

Test(pipeline, status_of_each_stage)
{
    hang_guard(120);
    struct fl_command *stages[3] = {shell("exit 3"), fl_command_new("cat"), shell("cat; exit 4")};
    struct fl_status statuses[3];
    cr_assert_eq(fl_pipeline_status(stages, 3, statuses, NULL), 0);
    cr_assert_eq(fl_status_code(statuses[0]), 3);
    cr_assert_eq(fl_status_code(statuses[1]), 0);
    cr_assert_eq(fl_status_code(statuses[2]), 4);
    free_all(stages, 3);
}

Test(pipeline, eof_reaches_the_end)
{
    hang_guard(120);
    /* If any copy of a write end survived in another stage or in the
     * parent, one of the cats would wait for EOF forever. */
    struct fl_command *stages[4] = {fl_command_new("cat"), fl_command_new("cat"),
                                    fl_command_new("cat"), fl_command_new("cat")};
    fl_command_stdio(stages[0], FL_STDIN, FL_PIPE);
    fl_command_stdio(stages[3], FL_STDOUT, FL_PIPE);
    struct fl_child *children[4];
    cr_assert_eq(fl_pipeline_spawn(stages, 4, children, NULL), 0);
    struct fl_output out;
    cr_assert_eq(fl_child_communicate(children[0], "through four cats\n", 18, &out), 0);
    fl_output_free(&out);
    cr_assert_eq(fl_child_wait_with_output(children[3], &out), 0);
    cr_assert_str_eq(out.out, "through four cats\n");
    fl_output_free(&out);
    for (int i = 0; i < 4; i++) {
        struct fl_status status;
        cr_assert_eq(fl_child_wait_timeout(children[i], 60000, &status), 0,
                     "stage %d never saw EOF", i);
        cr_assert(fl_status_success(status));
        fl_child_free(&children[i]);
    }
    free_all(stages, 4);
}

Test(pipeline, sigpipe_reaches_the_start)
{
    hang_guard(120);
    /* head exits after one line; yes must then die of SIGPIPE, which needs
     * the parent to have dropped its copy of the read end. */
    struct fl_command *stages[2] = {fl_command_new("yes"), fl_command_new("head")};
    fl_command_arg(stages[1], "-n");
    fl_command_arg(stages[1], "1");
    fl_command_stdio(stages[1], FL_STDOUT, FL_NULL);
    struct fl_status statuses[2];
    cr_assert_eq(fl_pipeline_status(stages, 2, statuses, NULL), 0);
    cr_assert_eq(fl_status_signal(statuses[0]), SIGPIPE);
    cr_assert(fl_status_success(statuses[1]));
    free_all(stages, 2);
}

Test(pipeline, middle_stage_gets_only_its_two_ends)
{
    hang_guard(120);
    struct fl_command *stages[3] = {fl_command_new("true"), fl_command_new(FIXTURE("lib-probe")),
                                    fl_command_new("cat")};
    fl_command_stdio(stages[2], FL_STDOUT, FL_PIPE);
    struct fl_child *children[3];
    cr_assert_eq(fl_pipeline_spawn(stages, 3, children, NULL), 0);
    struct fl_output out;
    cr_assert_eq(fl_child_wait_with_output(children[2], &out), 0);
    char fds[128];
    cr_assert_str_eq(probe_field(out.out, "fds", fds, sizeof fds), "0 1 2");
    fl_output_free(&out);
    for (int i = 0; i < 3; i++)
        fl_child_free(&children[i]);
    free_all(stages, 3);
}

Test(pipeline, failing_stage_leaves_nothing_behind)
{
    int before[256], after[256];
    int n_before = fds_snapshot(before, 256);
    struct fl_command *stages[3] = {
        fl_command_new("yes"), fl_command_new("forklab-no-such-program"), fl_command_new("cat")};
    struct fl_child *children[3];
    struct fl_error error;
    cr_assert_eq(fl_pipeline_spawn(stages, 3, children, &error), -ENOENT);
    /* Which stage, where and why, without looking at every stage. */
    cr_assert_eq(error.stage, 2, "the second stage failed");
    cr_assert_eq(error.code, ENOENT);
    cr_assert_eq(error.step, FL_STEP_LOOKUP);
    char text[128];
    cr_assert_str_eq(fl_error_text(&error, text, sizeof text),
                     "pipeline stage 2: PATH lookup: No such file or directory");
    cr_assert_eq(fl_command_error(stages[error.stage - 1])->step, FL_STEP_LOOKUP);
    cr_assert_str_eq(fl_command_strerror(stages[1]),
                     "cannot run forklab-no-such-program (pipeline stage 2 of 3): PATH lookup "
                     "\"forklab-no-such-program\": No such file or directory");
    for (int i = 0; i < 3; i++)
        cr_assert_null(children[i]);
    int zombies;
    cr_assert_eq(children_of_self(&zombies), 0, "the first stage must be stopped and reaped");
    int n_after = fds_snapshot(after, 256);
    cr_assert_eq(n_before, n_after);
    cr_assert_arr_eq(before, after, (size_t)n_before * sizeof(int));
    free_all(stages, 3);
}

Test(pipeline, bad_arguments)
{
    struct fl_child *children[1];
    struct fl_error error;
    cr_assert_eq(fl_pipeline_spawn(NULL, 1, children, &error), -EINVAL);
    cr_assert_eq(error.step, FL_STEP_ARGS);
    cr_assert_eq(error.stage, 0, "no stage is to blame");
    struct fl_command *none[1] = {NULL};
    cr_assert_eq(fl_pipeline_spawn(none, 1, children, NULL), -EINVAL);
    cr_assert_eq(fl_pipeline_spawn(none, 0, children, &error), -EINVAL);
    cr_assert_eq(fl_pipeline_status(none, 1, NULL, &error), -EINVAL);
}

/* With SIGCHLD ignored the kernel reaps every child itself, so the waits
 * fail with ECHILD: the error names the stage, and so does its command. */
Test(pipeline, failed_wait_names_its_stage)
{
    hang_guard(120);
    signal(SIGCHLD, SIG_IGN);
    struct fl_command *stages[2] = {fl_command_new("true"), fl_command_new("true")};
    struct fl_status statuses[2];
    struct fl_error error;
    cr_assert_eq(fl_pipeline_status(stages, 2, statuses, &error), -ECHILD);
    cr_assert_eq(error.stage, 1);
    cr_assert_eq(error.step, FL_STEP_WAIT);
    cr_assert_eq(fl_command_error(stages[0])->step, FL_STEP_WAIT);
    cr_assert_str_eq(fl_command_strerror(stages[0]),
                     "cannot run true (pipeline stage 1 of 2): wait: No child processes");
    free_all(stages, 2);
}
