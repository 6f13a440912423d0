/* What the findings say: the evidence a student reads must name the right
 * process, descriptor, pipe end and cause. */
#include "harness_test.h"

#include <criterion/criterion.h>
#include <string.h>
#include <sys/wait.h>

Test(evidence, zombie_names_child_and_parent)
{
    char *argv[] = {FIXTURE("h-zombie"), NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    const struct finding *zombie = find_kind(&report, FINDING_ZOMBIE);
    cr_assert_not_null(zombie);
    cr_assert_eq(report.process_count, 2);
    pid_t child = report.processes[1].pid;
    cr_assert_eq(json_integer_value(json_object_get(zombie->evidence, "parent")), report.main_pid);
    cr_assert_eq(json_integer_value(json_object_get(zombie->evidence, "child")), child);
    cr_assert_eq(zombie->pid, report.main_pid);
    cr_assert(!report.processes[1].reaped_by_parent);
    cr_assert(report.processes[0].reaped_by_parent);
    report_free(&report);
}

Test(evidence, fd_leak_names_the_pipe_write_end_and_program)
{
    char *argv[] = {FIXTURE("h-fd-leak"), NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    const struct finding *leak = find_kind(&report, FINDING_FD_LEAK);
    cr_assert_not_null(leak);
    cr_assert_eq(json_integer_value(json_object_get(leak->evidence, "fd")), 4);
    cr_assert_str_eq(json_string_value(json_object_get(leak->evidence, "end")), "write end");
    cr_assert_str_eq(json_string_value(json_object_get(leak->evidence, "when")), "exec");
    cr_assert(strncmp(json_string_value(json_object_get(leak->evidence, "target")), "pipe:[", 6) ==
              0);
    const char *program = json_string_value(json_object_get(leak->evidence, "program"));
    cr_assert(strstr(program, "echo") != NULL, "program is %s", program);
    cr_assert_str_eq(report.out.data, "hello through the pipe\n");
    report_free(&report);
}

Test(evidence, allowed_fd_is_never_a_leak)
{
    char *argv[] = {FIXTURE("h-fd-leak"), NULL};
    int allowed[] = {4};
    struct check_options options;
    check_options_init(&options);
    options.allowed_fds = allowed;
    options.allowed_fd_count = 1;
    struct report report;
    run_check(&options, argv, &report);
    cr_assert_eq(kinds_of(&report), NO_KINDS);
    report_free(&report);
}

Test(evidence, bad_close_says_where_the_fd_was_closed_before)
{
    char *argv[] = {FIXTURE("h-bad-close"), "inherited", NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    const struct finding *bad = find_kind(&report, FINDING_BAD_CLOSE);
    cr_assert_not_null(bad);
    cr_assert_eq(report.process_count, 2);
    cr_assert_eq(bad->pid, report.processes[1].pid, "the child closed it");
    cr_assert_eq(json_integer_value(json_object_get(bad->evidence, "fd")), 3);
    cr_assert_eq(json_integer_value(json_object_get(bad->evidence, "last_closed_by")),
                 report.main_pid, "the parent closed it first");
    report_free(&report);
}

Test(evidence, bad_close_of_minus_one)
{
    char *argv[] = {FIXTURE("h-bad-close"), "minus-one", NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    const struct finding *bad = find_kind(&report, FINDING_BAD_CLOSE);
    cr_assert_not_null(bad);
    cr_assert_eq(json_integer_value(json_object_get(bad->evidence, "fd")), -1);
    cr_assert(strstr(bad->message, "close(-1)") != NULL, "%s", bad->message);
    report_free(&report);
}

Test(evidence, nested_fork_counts)
{
    char *argv[] = {FIXTURE("h-nested-fork"), NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    const struct finding *nested = find_kind(&report, FINDING_NESTED_FORK);
    cr_assert_not_null(nested);
    cr_assert_eq(json_integer_value(json_object_get(nested->evidence, "processes_created")), 7);
    cr_assert_eq(json_integer_value(json_object_get(nested->evidence, "main_forks")), 3);
    cr_assert(strstr(nested->message, "7 processes were created where the main program forked 3") !=
                  NULL,
              "%s", nested->message);
    cr_assert_eq(report.process_count, 8);
    report_free(&report);
}

Test(evidence, runaway_after_failed_exec_gives_the_errno)
{
    char *argv[] = {FIXTURE("h-runaway-exec"), "fork", NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    const struct finding *runaway = find_kind(&report, FINDING_RUNAWAY_CHILD);
    cr_assert_not_null(runaway);
    cr_assert_str_eq(json_string_value(json_object_get(runaway->evidence, "reason")),
                     "exec_failed");
    cr_assert_str_eq(json_string_value(json_object_get(runaway->evidence, "errno")), "ENOENT");
    cr_assert(strncmp(json_string_value(json_object_get(runaway->evidence, "then")), "forked", 6) ==
              0);
    report_free(&report);
}

Test(evidence, runaway_after_a_refused_exec_gives_eacces)
{
    /* The file exists, so only the syscall's exit says how it failed. */
    char *argv[] = {FIXTURE("h-runaway-exec"), "eacces", NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    const struct finding *runaway = find_kind(&report, FINDING_RUNAWAY_CHILD);
    cr_assert_not_null(runaway);
    cr_assert_str_eq(json_string_value(json_object_get(runaway->evidence, "errno")), "EACCES");
    cr_assert_str_eq(json_string_value(json_object_get(runaway->evidence, "failed_exec")),
                     "/etc/passwd");
    report_free(&report);
}

Test(evidence, crash_names_the_signal)
{
    char *argv[] = {FIXTURE("h-crash"), "child", NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    const struct finding *crash = find_kind(&report, FINDING_CRASH);
    cr_assert_not_null(crash);
    cr_assert_str_eq(json_string_value(json_object_get(crash->evidence, "signal")), "SIGSEGV");
    cr_assert_eq(report.processes[1].end, PROCESS_SIGNALED);
    cr_assert_eq(report.processes[1].code, SIGSEGV);
    cr_assert_eq(report.main_end, PROCESS_EXITED);
    report_free(&report);
}

Test(evidence, timeout_names_the_pipe_and_who_holds_its_write_end)
{
    char *argv[] = {FIXTURE("h-hang-pipe"), NULL};
    struct report report;
    run_program(argv, 1000, &report); /* long enough to be blocked by then */
    const struct finding *timeout = find_kind(&report, FINDING_TIMEOUT);
    cr_assert_not_null(timeout);
    cr_assert_eq(report.process_count, 2);
    pid_t parent = report.main_pid, child = report.processes[1].pid;
    json_t *processes = json_object_get(timeout->evidence, "processes");
    cr_assert_eq(json_array_size(processes), 2);
    json_t *reader = NULL;
    size_t index;
    json_t *item;
    json_array_foreach(processes, index,
                       item) if (json_integer_value(json_object_get(item, "pid")) == child) reader =
        item;
    cr_assert_not_null(reader);
    cr_assert_str_eq(json_string_value(json_object_get(reader, "syscall")), "read");
    cr_assert_str_eq(json_string_value(json_object_get(reader, "end")), "read end");
    json_t *holders = json_object_get(reader, "other_end_held_by");
    cr_assert_eq(json_array_size(holders), 1, "only the parent holds the write end");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(holders, 0), "pid")), parent);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(holders, 0), "fd")), 4);
    cr_assert(strstr(timeout->message, "still open in") != NULL, "%s", timeout->message);
    cr_assert_eq(report.main_end, PROCESS_STOPPED_BY_HARNESS);
    report_free(&report);
}

Test(evidence, processes_record_programs_and_ends)
{
    char *argv[] = {FIXTURE("h-fd-leak-ok"), NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    cr_assert_eq(report.process_count, 2);
    cr_assert_eq(report.processes[0].pid, report.main_pid);
    cr_assert_eq(report.processes[1].ppid, report.main_pid);
    cr_assert_eq(report.processes[1].program_count, 1);
    cr_assert(strstr(report.processes[1].programs[0], "echo") != NULL);
    cr_assert_eq(report.processes[1].end, PROCESS_EXITED);
    cr_assert(report.processes[1].reaped_by_parent);
    cr_assert_eq(report.main_end, PROCESS_EXITED);
    cr_assert_eq(report.main_code, 0);
    cr_assert_eq(report.check_count, 1);
    cr_assert_str_eq(report.checks[0], "trace");
    report_free(&report);
}

Test(evidence, threads_are_marked)
{
    char *argv[] = {FIXTURE("h-threads-ok"), NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    cr_assert_eq(report.process_count, 5);
    for (size_t i = 1; i < report.process_count; i++)
        cr_assert(report.processes[i].is_thread);
    cr_assert(!report.processes[0].is_thread);
    report_free(&report);
}
