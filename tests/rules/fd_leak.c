/* fd_leak, on hand-built facts: what crosses an exec is always a finding;
 * at exit, by default, only a write end held after the last write while a
 * reader waited on its pipe; with strict descriptors, everything a process
 * opened itself. */
#include "run_builder.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static struct fd_entry write_end(int fd)
{
    return built_fd(fd, "pipe:[4242]", O_WRONLY);
}

Test(fd_leak, a_descriptor_across_an_exec)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./spawner");
    struct traced_process *child = built_fork(&run, parent, 101);
    struct fd_entry crossing = write_end(4);
    built_exec(&run, child, "/usr/bin/cat", &crossing, 1);
    struct report report;
    built_apply(rule_fd_leak, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 1);
    const struct finding *leak = &report.findings[0];
    cr_assert_str_eq(evidence_string(leak, "when"), "exec");
    cr_assert_eq(evidence_integer(leak, "fd"), 4);
    cr_assert_str_eq(evidence_string(leak, "end"), "write end");
    cr_assert_not_null(strstr(leak->message, "O_CLOEXEC"));
    report_free(&report);
    trace_run_free(&run);
}

Test(fd_leak, an_allowed_descriptor_is_passed_on_purpose)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./spawner");
    struct fd_entry crossing = write_end(4);
    built_exec(&run, built_fork(&run, parent, 101), "/usr/bin/cat", &crossing, 1);
    const int allowed[] = {4};
    struct rule_options options = {.allowed_fds = allowed, .allowed_fd_count = 1};
    struct report report;
    built_apply(rule_fd_leak, &run, &options, &report);
    cr_assert_eq(report.finding_count, 0);
    report_free(&report);
    trace_run_free(&run);
}

/* A worker writes its result and exits: the end is open at exit, and a
 * reader may even wait on it then, but the worker never went idle with it
 * after writing. Not a leak. */
Test(fd_leak, a_result_handed_back_at_exit_is_no_leak)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./pool");
    struct traced_process *worker = built_fork(&run, parent, 101);
    struct fd_entry end = write_end(4);
    built_exit(&run, worker, W_EXITCODE(0, 0), &end, 1);
    struct report report;
    built_apply(rule_fd_leak, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 0);
    report_free(&report);
    trace_run_free(&run);
}

static void went_idle_holding(struct traced_process *process, struct fd_entry end)
{
    struct fd_fact *ends = calloc(1, sizeof(*ends));
    cr_assert_not_null(ends);
    ends[0] = (struct fd_fact){.entry = end, .program = process->program, .seq = 1};
    traced_process_set_idle(process, "nanosleep", 1, 15, ends, 1);
    process->written_at_exit = 15;
}

Test(fd_leak, a_write_end_held_while_a_reader_waited)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./main");
    struct traced_process *worker = built_fork(&run, parent, 101);
    struct fd_entry end = write_end(4);
    went_idle_holding(worker, end);
    struct pipe_reader_fact reader = {
        .fd = 4, .reader = 100, .reader_fd = 3, .reader_program = parent->program};
    cr_assert_eq(traced_process_add_waiting_reader(worker, &reader), 0);
    built_exit(&run, worker, W_EXITCODE(0, 0), &end, 1);
    struct report report;
    built_apply(rule_fd_leak, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 1);
    const struct finding *leak = &report.findings[0];
    cr_assert_eq(leak->pid, 101);
    cr_assert_str_eq(evidence_string(leak, "when"), "exit");
    cr_assert_str_eq(evidence_string(leak, "reason"), "held_after_writing");
    cr_assert_str_eq(evidence_string(leak, "idle"), "nanosleep");
    json_t *waiting = json_array_get(json_object_get(leak->evidence, "kept_waiting"), 0);
    cr_assert_eq(json_integer_value(json_object_get(waiting, "pid")), 100);
    cr_assert_eq(json_integer_value(json_object_get(waiting, "fd")), 3);
    cr_assert_not_null(strstr(leak->message, "close(4) as soon as the writing is done"), "%s",
                       leak->message);
    report_free(&report);
    trace_run_free(&run);
}

/* Written after the idle call: the end was still needed then. No reader
 * fact is recorded for it (the tracer does not look), and none reported. */
Test(fd_leak, an_end_still_written_after_the_wait_is_no_harm)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./main");
    struct traced_process *worker = built_fork(&run, parent, 101);
    struct fd_entry end = write_end(4);
    went_idle_holding(worker, end);
    worker->written_at_exit = 30; /* it wrote after the sleep */
    built_exit(&run, worker, W_EXITCODE(0, 0), &end, 1);
    struct report report;
    built_apply(rule_fd_leak, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 0);
    report_free(&report);
    trace_run_free(&run);
}

static struct rule_options strict_options(void)
{
    return (struct rule_options){.strict_fds = true};
}

Test(fd_leak, strict_reports_what_a_process_opened_itself)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./reader");
    struct fd_entry open_fds[] = {built_fd(3, "/etc/hostname", O_RDONLY),
                                  built_fd(5, "pipe:[77]", O_RDONLY)};
    built_exit(&run, parent, W_EXITCODE(0, 0), open_fds, 2);
    struct rule_options options = strict_options();
    struct report report;
    built_apply(rule_fd_leak, &run, &options, &report);
    cr_assert_eq(report.finding_count, 2);
    for (size_t i = 0; i < report.finding_count; i++) {
        cr_assert(json_is_true(json_object_get(report.findings[i].evidence, "strict")));
        cr_assert_not_null(strstr(report.findings[i].message, "never closed it"));
    }
    cr_assert_str_eq(evidence_string(&report.findings[0], "target"), "/etc/hostname");
    report_free(&report);

    built_apply(rule_fd_leak, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 0, "not without strict descriptors");
    report_free(&report);
    trace_run_free(&run);
}

/* A forked child's copy of its parent's descriptor is not one it opened;
 * one that crossed its exec is the exec finding's, reported once. */
Test(fd_leak, strict_leaves_what_a_process_had_from_its_start)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./main");
    struct traced_process *worker = built_fork(&run, parent, 101);
    struct fd_entry inherited = write_end(4);
    cr_assert_eq(traced_process_add_fd(&worker->fds_at_start, &worker->fds_at_start_count,
                                       &inherited, worker->program, worker->created_seq),
                 0);
    worker->fds_at_start_read = true;
    built_exit(&run, worker, W_EXITCODE(0, 0), &inherited, 1);
    struct traced_process *helper = built_fork(&run, parent, 102);
    struct fd_entry crossing = built_fd(5, "/tmp/log", O_WRONLY);
    built_exec(&run, helper, "/usr/bin/helper", &crossing, 1);
    built_exit(&run, helper, W_EXITCODE(0, 0), &crossing, 1);
    struct rule_options options = strict_options();
    struct report report;
    built_apply(rule_fd_leak, &run, &options, &report);
    cr_assert_eq(report.finding_count, 1);
    cr_assert_eq(report.findings[0].pid, 102);
    cr_assert_str_eq(evidence_string(&report.findings[0], "when"), "exec");
    report_free(&report);
    trace_run_free(&run);
}

Test(fd_leak, interpreters_are_exempt_at_exit)
{
    struct trace_run run;
    struct traced_process *shell = built_run_init(&run, 100, "/bin/sh");
    struct fd_entry script = built_fd(255, "/tmp/script.sh", O_RDONLY);
    built_exit(&run, shell, W_EXITCODE(0, 0), &script, 1);
    struct rule_options options = strict_options();
    struct report report;
    built_apply(rule_fd_leak, &run, &options, &report);
    cr_assert_eq(report.finding_count, 0);
    report_free(&report);
    trace_run_free(&run);
}

Test(fd_leak, the_same_leak_in_several_processes_is_one_finding)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./spawner");
    struct fd_entry crossing = write_end(4);
    for (pid_t pid = 101; pid <= 103; pid++)
        built_exec(&run, built_fork(&run, parent, pid), "/usr/bin/wc", &crossing, 1);
    struct report report;
    built_apply(rule_fd_leak, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 1);
    cr_assert_eq(json_array_size(json_object_get(report.findings[0].evidence, "pids")), 3);
    cr_assert_not_null(strstr(report.findings[0].message, "(and in 2 more processes)"));
    report_free(&report);
    trace_run_free(&run);
}
