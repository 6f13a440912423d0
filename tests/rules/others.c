/* bad_close, nested_fork, runaway_child, process_limit, timeout and crash,
 * each on the facts that make it and on the near miss that does not. */
#include "run_builder.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static size_t count_of(int (*rule)(const struct rule_input *, struct report *),
                       const struct trace_run *run, struct report *report)
{
    built_apply(rule, run, NULL, report);
    return report->finding_count;
}

Test(bad_close, a_double_close_names_the_first_close)
{
    struct trace_run run;
    struct traced_process *main_process = built_run_init(&run, 100, "./sorter");
    struct bad_close_fact fact = {.fd = 3,
                                  .tid = 100,
                                  .program = main_process->program,
                                  .seq = ++run.seq,
                                  .last_closed_by = 100,
                                  .last_closed_seq = 5,
                                  .last_closed_program = main_process->program};
    cr_assert_eq(traced_process_add_bad_close(main_process, &fact), 0);
    struct report report;
    cr_assert_eq(count_of(rule_bad_close, &run, &report), 1);
    json_t *close = json_array_get(json_object_get(report.findings[0].evidence, "closes"), 0);
    cr_assert_eq(json_integer_value(json_object_get(close, "fd")), 3);
    cr_assert_eq(json_integer_value(json_object_get(close, "last_closed_by")), 100);
    report_free(&report);
    trace_run_free(&run);
}

Test(bad_close, a_shell_is_exempt)
{
    struct trace_run run;
    struct traced_process *shell = built_run_init(&run, 100, "/bin/dash");
    struct bad_close_fact fact = {.fd = -1, .tid = 100, .program = shell->program, .seq = 9};
    cr_assert_eq(traced_process_add_bad_close(shell, &fact), 0);
    struct report report;
    cr_assert_eq(count_of(rule_bad_close, &run, &report), 0);
    report_free(&report);
    trace_run_free(&run);
}

/* for (i = 0; i < 2; i++) fork(); the first child forks once more, as its
 * parent does after creating it. */
Test(nested_fork, a_child_that_runs_the_rest_of_the_loop)
{
    struct trace_run run;
    struct traced_process *main_process = built_run_init(&run, 100, "./loop");
    struct traced_process *first = built_fork(&run, main_process, 101);
    built_fork(&run, main_process, 102);
    built_fork(&run, first, 103);
    struct report report;
    cr_assert_eq(count_of(rule_nested_fork, &run, &report), 1);
    cr_assert_eq(report.findings[0].pid, 101);
    cr_assert_eq(evidence_integer(&report.findings[0], "main_forks"), 2);
    cr_assert_eq(evidence_integer(&report.findings[0], "processes_created"), 3);
    report_free(&report);
    trace_run_free(&run);
}

/* A merge sort's child forks two where its parent forks no more. */
Test(nested_fork, a_tree_by_design)
{
    struct trace_run run;
    struct traced_process *main_process = built_run_init(&run, 100, "./mergesort");
    struct traced_process *child = built_fork(&run, main_process, 101);
    built_fork(&run, child, 102);
    built_fork(&run, child, 103);
    struct report report;
    cr_assert_eq(count_of(rule_nested_fork, &run, &report), 0);
    report_free(&report);
    trace_run_free(&run);
}

Test(runaway_child, an_orphan_still_running_at_mains_exit)
{
    struct trace_run run;
    struct traced_process *main_process = built_run_init(&run, 100, "./launcher");
    struct traced_process *child = built_fork(&run, main_process, 101);
    built_exit(&run, main_process, W_EXITCODE(0, 0), NULL, 0);
    child->running_at_main_exit = true;
    built_killed(&run, child);
    struct report report;
    cr_assert_eq(count_of(rule_runaway_child, &run, &report), 1);
    cr_assert_str_eq(evidence_string(&report.findings[0], "reason"), "orphan");
    cr_assert_eq(evidence_integer(&report.findings[0], "parent"), 100);
    report_free(&report);
    trace_run_free(&run);
}

Test(runaway_child, a_failed_exec_that_goes_on_forking)
{
    struct trace_run run;
    struct traced_process *main_process = built_run_init(&run, 100, "./shell");
    struct traced_process *child = built_fork(&run, main_process, 101);
    built_failed_exec(&run, child, "/usr/local/bin/lss", "lss -l", ENOENT);
    built_failed_exec(&run, child, "/usr/bin/lss", "lss -l", ENOENT);
    built_fork(&run, child, 102);
    struct report report;
    cr_assert_eq(count_of(rule_runaway_child, &run, &report), 1);
    const struct finding *runaway = &report.findings[0];
    cr_assert_str_eq(evidence_string(runaway, "reason"), "exec_failed");
    cr_assert_eq(evidence_integer(runaway, "paths_tried"), 2);
    cr_assert_str_eq(evidence_string(runaway, "errno"), "ENOENT");
    cr_assert_str_eq(evidence_string(runaway, "then"), "forked pid 102");
    report_free(&report);
    trace_run_free(&run);
}

/* execvp's PATH search: failures, then the exec that works. */
Test(runaway_child, a_path_search_is_not_a_failure)
{
    struct trace_run run;
    struct traced_process *main_process = built_run_init(&run, 100, "./spawner");
    struct traced_process *child = built_fork(&run, main_process, 101);
    built_failed_exec(&run, child, "/usr/local/bin/ls", "ls -l", ENOENT);
    built_exec_argv(&run, child, "/usr/bin/ls", "ls -l", NULL, 0);
    struct report report;
    cr_assert_eq(count_of(rule_runaway_child, &run, &report), 0);
    report_free(&report);
    trace_run_free(&run);
}

Test(process_limit, the_counts_of_the_limit)
{
    struct trace_run run;
    built_run_init(&run, 100, "./bomb");
    run.limit_hit = true;
    run.peak_alive = 101;
    run.processes_created = 130;
    struct report report;
    cr_assert_eq(count_of(rule_process_limit, &run, &report), 1);
    cr_assert_eq(evidence_integer(&report.findings[0], "processes_at_once"), 101);
    cr_assert_eq(evidence_integer(&report.findings[0], "processes_created"), 130);
    report_free(&report);
    trace_run_free(&run);
    built_run_init(&run, 100, "./fine");
    cr_assert_eq(count_of(rule_process_limit, &run, &report), 0);
    report_free(&report);
    trace_run_free(&run);
}

/* The hang of lesson 08's kind: the reader waits on a pipe whose write
 * end its parent still holds. */
Test(timeout, names_the_holder_of_the_other_end)
{
    struct trace_run run;
    struct traced_process *main_process = built_run_init(&run, 100, "./feeder");
    struct traced_process *reader = built_fork(&run, main_process, 101);
    run.timed_out = true;
    run.timeout_ms = 2000;
    reader->blocked = (struct blocked_on){.valid = true,
                                          .state = 'S',
                                          .syscall = 0,
                                          .syscall_name = "read",
                                          .fd = 0,
                                          .target = built_fd(0, "pipe:[99]", O_RDONLY),
                                          .holders = {{.pid = 100, .fd = 4}},
                                          .holder_count = 1};
    main_process->blocked = (struct blocked_on){.valid = true,
                                                .state = 'S',
                                                .syscall = 61,
                                                .syscall_name = "wait4",
                                                .fd = -1,
                                                .waited_pid = 101};
    built_killed(&run, reader);
    built_killed(&run, main_process);
    struct report report;
    cr_assert_eq(count_of(rule_timeout, &run, &report), 1);
    const struct finding *timeout = &report.findings[0];
    cr_assert_eq(evidence_integer(timeout, "timeout_ms"), 2000);
    cr_assert_eq(json_array_size(json_object_get(timeout->evidence, "processes")), 2);
    cr_assert_not_null(strstr(timeout->message, "the other end of that pipe is still open in pid "
                                                "100"),
                       "%s", timeout->message);
    report_free(&report);
    trace_run_free(&run);
}

Test(crash, a_fault_in_a_child_and_a_signal_sent_on_purpose)
{
    struct trace_run run;
    struct traced_process *main_process = built_run_init(&run, 100, "./parser");
    struct traced_process *faulty = built_fork(&run, main_process, 101);
    struct traced_process *stopped = built_fork(&run, main_process, 102);
    faulty->last_signal = (struct signal_fact){.signo = SIGSEGV, .code = 1, .address = 0x10};
    built_exit(&run, faulty, SIGSEGV | 0x80, NULL, 0);
    stopped->last_signal = (struct signal_fact){.signo = SIGTERM, .code = 0, .sender = 100};
    built_exit(&run, stopped, SIGTERM, NULL, 0);
    built_exit(&run, main_process, W_EXITCODE(0, 0), NULL, 0);
    struct report report;
    cr_assert_eq(count_of(rule_crash, &run, &report), 1);
    const struct finding *crash = &report.findings[0];
    cr_assert_eq(crash->pid, 101);
    cr_assert_str_eq(evidence_string(crash, "signal"), "SIGSEGV");
    cr_assert_str_eq(evidence_string(crash, "address"), "0x10");
    cr_assert(json_is_true(json_object_get(crash->evidence, "core_dumped")));
    report_free(&report);
    trace_run_free(&run);
}

Test(crash, the_harness_kill_is_not_a_crash)
{
    struct trace_run run;
    struct traced_process *main_process = built_run_init(&run, 100, "./spin");
    built_killed(&run, main_process);
    struct report report;
    cr_assert_eq(count_of(rule_crash, &run, &report), 0);
    report_free(&report);
    trace_run_free(&run);
}
