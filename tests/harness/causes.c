/* The cause behind a timeout or an orphan, and the lesson it points to, read
 * back from the JSON report as a grader reads it: a fork from a threaded
 * parent (06), a cycle of pipes (08), a child polled by pid but never
 * reaped (09), a signal blocked or ignored across exec (12), an orphan (13);
 * each with a twin that must not claim it. */
#include "harness_test.h"
#include "render/render.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Far above the few seconds a run takes: a test that hangs fails. */
#define TEST_ALARM_S 30

/* The run's JSON report, parsed back, and the first finding of `kind` in it. */
struct json_run {
    struct report report;
    json_t *root;
    json_t *finding;
    json_t *evidence;
};

static void run_json(char *const *argv, long timeout_ms, enum finding_kind kind,
                     struct json_run *run)
{
    alarm(TEST_ALARM_S);
    run_program(argv, timeout_ms, &run->report);
    run->root = rendered_json(&run->report);
    run->finding = NULL;
    size_t index;
    json_t *finding;
    json_array_foreach(json_object_get(run->root, "findings"), index, finding)
    {
        if (run->finding == NULL && strcmp(json_string_value(json_object_get(finding, "kind")),
                                           finding_kind_name(kind)) == 0)
            run->finding = finding;
    }
    cr_assert_not_null(run->finding, "%s: no %s finding", argv[0], finding_kind_name(kind));
    run->evidence = json_object_get(run->finding, "evidence");
    cr_assert(json_is_object(run->evidence));
}

static void json_run_free(struct json_run *run)
{
    assert_nothing_left(&run->report);
    json_decref(run->root);
    report_free(&run->report);
    alarm(0);
}

static const char *string_at(const json_t *object, const char *key)
{
    const json_t *value = json_object_get(object, key);
    cr_assert(json_is_string(value), "\"%s\" is not a string", key);
    return json_string_value(value);
}

static json_int_t integer_at(const json_t *object, const char *key)
{
    const json_t *value = json_object_get(object, key);
    cr_assert(json_is_integer(value), "\"%s\" is not an integer", key);
    return json_integer_value(value);
}

static void expect_lesson(const struct json_run *run, const char *lesson)
{
    cr_expect_str_eq(string_at(run->finding, "lesson"), lesson, "message: %s",
                     string_at(run->finding, "message"));
}

static void expect_message_has(const struct json_run *run, const char *words)
{
    const char *message = string_at(run->finding, "message");
    cr_expect(strstr(message, words) != NULL, "\"%s\" not in: %s", words, message);
}

/* The evidence entry of one process in the timeout's "processes". */
static json_t *process_entry(const struct json_run *run, pid_t pid)
{
    size_t index;
    json_t *item;
    json_array_foreach(json_object_get(run->evidence, "processes"), index, item)
    {
        if (json_integer_value(json_object_get(item, "pid")) == pid)
            return item;
    }
    cr_assert_fail("pid %d is not in the timeout's processes", (int)pid);
    return NULL;
}

static bool ends_with(const char *text, const char *end)
{
    size_t length = strlen(text), end_length = strlen(end);
    return length >= end_length && strcmp(text + length - end_length, end) == 0;
}

/* ---- fork in a multithreaded program (lesson 06) ------------------------ */

Test(causes, fork_from_a_threaded_parent_waiting_in_futex_points_to_lesson_06)
{
    char *argv[] = {FIXTURE("h-fork-threads"), "threads", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    cr_assert_eq(kinds_of(&run.report), KIND(FINDING_TIMEOUT));
    pid_t parent = run.report.main_pid;
    pid_t child = 0;
    for (size_t i = 0; i < run.report.process_count; i++)
        if (!run.report.processes[i].is_thread && run.report.processes[i].pid != parent)
            child = run.report.processes[i].pid;
    cr_assert_neq(child, 0);

    expect_lesson(&run, "lessons/06-fork-with-threads.md");
    cr_expect_str_eq(string_at(run.evidence, "reason"), "fork_with_threads");
    json_t *forked = json_object_get(run.evidence, "forked_with_threads");
    cr_assert(json_is_object(forked));
    cr_expect_eq(integer_at(forked, "pid"), child);
    cr_expect_eq(integer_at(forked, "parent"), parent);
    cr_expect_eq(integer_at(forked, "parent_threads"), 2);
    json_t *entry = process_entry(&run, child);
    cr_expect_str_eq(string_at(entry, "syscall"), "futex");
    cr_expect_eq(integer_at(entry, "parent_threads_at_fork"), 2);
    expect_message_has(&run, "was forked while its parent ran 2 threads");
    expect_message_has(&run, "it waits on a lock (futex) that a thread which does not exist in "
                             "the child held at the fork");
    json_run_free(&run);
}

Test(causes, fork_from_a_single_threaded_parent_has_no_thread_evidence)
{
    /* The child waits in futex just the same (it locks a mutex twice), but
     * no thread was lost in the fork: the usual timeout, lesson 04. */
    char *argv[] = {FIXTURE("h-fork-threads"), "single", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    cr_assert_eq(kinds_of(&run.report), KIND(FINDING_TIMEOUT));
    expect_lesson(&run, "lessons/04-leaked-fds.md");
    cr_expect_null(json_object_get(run.evidence, "reason"));
    cr_expect_null(json_object_get(run.evidence, "forked_with_threads"));
    size_t index;
    json_t *item;
    bool futex_seen = false;
    json_array_foreach(json_object_get(run.evidence, "processes"), index, item)
    {
        cr_expect_null(json_object_get(item, "parent_threads_at_fork"));
        const char *syscall = json_string_value(json_object_get(item, "syscall"));
        futex_seen |= syscall != NULL && strcmp(syscall, "futex") == 0;
    }
    cr_expect(futex_seen, "the child should wait in futex");
    json_run_free(&run);
}

/* ---- a cycle of pipes (lesson 08) ---------------------------------------- */

static void expect_cycle_of_main_and_child(const struct json_run *run)
{
    json_t *cycle = json_object_get(run->evidence, "cycle");
    cr_assert(json_is_array(cycle));
    cr_assert_eq(json_array_size(cycle), 2);
    cr_expect_eq(json_integer_value(json_array_get(cycle, 0)), run->report.main_pid,
                 "the cycle starts with the process created first");
    cr_expect_eq(json_integer_value(json_array_get(cycle, 1)), run->report.processes[1].pid);
}

Test(causes, two_processes_blocked_writing_to_each_other_point_to_lesson_08)
{
    char *argv[] = {FIXTURE("h-pipe-cycle"), "write", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    cr_assert_eq(kinds_of(&run.report), KIND(FINDING_TIMEOUT));
    expect_lesson(&run, "lessons/08-pipe-deadlock.md");
    cr_expect_str_eq(string_at(run.evidence, "reason"), "pipe_cycle");
    expect_cycle_of_main_and_child(&run);
    /* The evidence each process had before stays. */
    json_t *main_entry = process_entry(&run, run.report.main_pid);
    cr_expect_str_eq(string_at(main_entry, "syscall"), "write");
    cr_expect_eq(json_array_size(json_object_get(main_entry, "other_end_held_by")), 1);
    expect_message_has(&run, "a pipe deadlock");
    expect_message_has(&run, "waits to write to pipe:[");
    json_run_free(&run);
}

Test(causes, a_reader_in_the_cycle_points_to_lesson_08)
{
    char *argv[] = {FIXTURE("h-pipe-cycle"), "read", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    expect_lesson(&run, "lessons/08-pipe-deadlock.md");
    expect_cycle_of_main_and_child(&run);
    expect_message_has(&run, "waits to read from pipe:[");
    json_run_free(&run);
}

Test(causes, a_writer_whose_reader_waits_elsewhere_is_no_cycle)
{
    char *argv[] = {FIXTURE("h-pipe-cycle"), "one-way", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    expect_lesson(&run, "lessons/04-leaked-fds.md");
    cr_expect_null(json_object_get(run.evidence, "cycle"));
    cr_expect_null(json_object_get(run.evidence, "reason"));
    json_run_free(&run);
}

Test(causes, a_timeout_on_a_plain_read_still_points_to_lesson_04)
{
    /* The child reads a pipe whose write end its parent never closed, and
     * the parent waits for the child: a leak, not a cycle of pipes. */
    char *argv[] = {FIXTURE("h-hang-pipe"), NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    expect_lesson(&run, "lessons/04-leaked-fds.md");
    cr_expect_null(json_object_get(run.evidence, "reason"));
    cr_expect_null(json_object_get(run.evidence, "cycle"));
    cr_expect_null(json_object_get(run.evidence, "signal"));
    expect_message_has(&run, "still open in");
    json_run_free(&run);
}

/* ---- waiting for a child by its pid (lesson 09) ------------------------ */

Test(causes, polling_the_pid_of_an_unreaped_child_points_to_lesson_09)
{
    char *argv[] = {FIXTURE("h-poll-child"), NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    expect_lesson(&run, "lessons/09-stale-pids.md");
    cr_expect_str_eq(string_at(run.evidence, "reason"), "unreaped_child");
    json_t *unreaped = json_object_get(run.evidence, "unreaped_child");
    cr_assert(json_is_object(unreaped), "no unreaped_child evidence");
    cr_expect_eq(integer_at(unreaped, "pid"), run.report.processes[0].pid);
    cr_expect_eq(integer_at(unreaped, "child"), run.report.processes[1].pid);
    /* Seen where it waits, asleep between two polls: never caught running,
     * which a single look at the deadline does now and then. */
    json_t *polling = json_array_get(json_object_get(run.evidence, "processes"), 0);
    cr_expect_str_eq(string_at(polling, "blocked_on"), "in clock_nanosleep");
    expect_message_has(&run, "never reaped");
    json_run_free(&run);
}

Test(causes, a_hang_after_reaping_the_child_does_not_claim_lesson_09)
{
    char *argv[] = {FIXTURE("h-poll-child"), "reap", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    expect_lesson(&run, "lessons/04-leaked-fds.md");
    cr_expect_null(json_object_get(run.evidence, "reason"));
    cr_expect_null(json_object_get(run.evidence, "unreaped_child"));
    json_run_free(&run);
}

/* ---- signals blocked or ignored across exec (lesson 12) ----------------- */

static void expect_signal(const struct json_run *run, const char *how)
{
    json_t *signal = json_object_get(run->evidence, "signal");
    cr_assert(json_is_object(signal), "no signal evidence");
    cr_expect_eq(integer_at(signal, "pid"), run->report.processes[1].pid);
    cr_expect_str_eq(string_at(signal, "signal"), "SIGTERM");
    cr_expect_str_eq(string_at(signal, "how"), how);
    cr_expect(json_is_true(json_object_get(signal, "since_exec")), "not seen at the exec");
    const char *exec_by = string_at(signal, "exec_by");
    cr_expect(ends_with(exec_by, "/h-signal-mask"), "exec_by %s", exec_by);
}

Test(causes, sigterm_blocked_across_exec_points_to_lesson_12)
{
    char *argv[] = {FIXTURE("h-signal-mask"), "blocked", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    cr_assert_eq(kinds_of(&run.report), KIND(FINDING_TIMEOUT));
    expect_lesson(&run, "lessons/12-inherited-signals.md");
    cr_expect_str_eq(string_at(run.evidence, "reason"), "signal_blocked");
    expect_signal(&run, "blocked");
    expect_message_has(&run, "was sent SIGTERM and runs on: it blocks SIGTERM");
    expect_message_has(&run, "already blocked when");
    json_run_free(&run);
}

Test(causes, sigterm_ignored_across_exec_names_its_sender)
{
    char *argv[] = {FIXTURE("h-signal-mask"), "ignored", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    expect_lesson(&run, "lessons/12-inherited-signals.md");
    cr_expect_str_eq(string_at(run.evidence, "reason"), "signal_ignored");
    expect_signal(&run, "ignored");
    cr_expect_eq(integer_at(json_object_get(run.evidence, "signal"), "sent_by"),
                 run.report.main_pid);
    expect_message_has(&run, "it ignores SIGTERM");
    json_run_free(&run);
}

Test(causes, an_orphan_that_blocked_its_sigterm_points_to_lesson_12)
{
    char *argv[] = {FIXTURE("h-signal-mask"), "orphan", NULL};
    struct json_run run;
    run_json(argv, CHECK_DEFAULT_TIMEOUT_MS, FINDING_RUNAWAY_CHILD, &run);
    cr_assert_eq(kinds_of(&run.report), KIND(FINDING_RUNAWAY_CHILD));
    expect_lesson(&run, "lessons/12-inherited-signals.md");
    cr_expect_str_eq(string_at(run.evidence, "reason"), "orphan");
    expect_signal(&run, "blocked");
    expect_message_has(&run, "an orphan nobody waited for");
    expect_message_has(&run, "it was sent SIGTERM");
    json_run_free(&run);
}

Test(causes, a_blocked_signal_nobody_sent_explains_nothing)
{
    char *argv[] = {FIXTURE("h-signal-mask"), "not-sent", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    expect_lesson(&run, "lessons/04-leaked-fds.md");
    cr_expect_null(json_object_get(run.evidence, "signal"));
    cr_expect_null(json_object_get(run.evidence, "reason"));
    json_run_free(&run);
}

Test(causes, a_signal_a_process_sends_itself_explains_nothing)
{
    /* raise(SIGTERM) with SIGTERM ignored: delivered, and seen by the
     * tracer, but nobody else asked the process to stop. */
    char *argv[] = {FIXTURE("h-signal-mask"), "self", NULL};
    struct json_run run;
    run_json(argv, 1000, FINDING_TIMEOUT, &run);
    expect_lesson(&run, "lessons/04-leaked-fds.md");
    cr_expect_null(json_object_get(run.evidence, "signal"));
    json_run_free(&run);
}

Test(causes, a_mask_emptied_before_exec_lets_sigterm_end_the_child)
{
    char *argv[] = {FIXTURE("h-signal-mask"), "unblocked", NULL};
    struct report report;
    alarm(TEST_ALARM_S);
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    cr_expect_eq(kinds_of(&report), NO_KINDS);
    cr_expect_eq(report.main_end, PROCESS_EXITED);
    cr_expect_eq(report.main_code, 0, "the child did not die of SIGTERM");
    assert_nothing_left(&report);
    report_free(&report);
    alarm(0);
}

/* ---- runaway children: orphans (13) and failed execs (02) --------------- */

Test(causes, an_orphan_points_to_lesson_13)
{
    char *argv[] = {FIXTURE("h-orphan"), NULL};
    struct json_run run;
    run_json(argv, CHECK_DEFAULT_TIMEOUT_MS, FINDING_RUNAWAY_CHILD, &run);
    expect_lesson(&run, "lessons/13-orphans.md");
    cr_expect_str_eq(string_at(run.evidence, "reason"), "orphan");
    cr_expect_null(json_object_get(run.evidence, "signal"));
    json_run_free(&run);
}

Test(causes, a_failed_exec_that_runs_on_stays_on_lesson_02)
{
    char *argv[] = {FIXTURE("h-runaway-exec"), "fork", NULL};
    struct json_run run;
    run_json(argv, CHECK_DEFAULT_TIMEOUT_MS, FINDING_RUNAWAY_CHILD, &run);
    expect_lesson(&run, "lessons/02-runaway-children.md");
    cr_expect_str_eq(string_at(run.evidence, "reason"), "exec_failed");
    json_run_free(&run);
}
