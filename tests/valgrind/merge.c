/* Tests of merging valgrind's findings into a report the tracer filled (here
 * by hand): one problem appears once, confirmed by both; leaks are grouped. */
#include "helpers.h"
#include "valgrind/log.h"
#include "valgrind/merge.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static void parse_recorded(const char *name, struct valgrind_output *output)
{
    size_t length;
    char *text = read_recorded(name, &length);
    char why[256] = "";
    valgrind_output_init(output);
    cr_assert_eq(valgrind_log_parse(text, length, output, why, sizeof(why)), 0, "%s", why);
    free(text);
}

/* The pid of the process running `program` in a parsed log. */
static pid_t pid_of(const struct valgrind_output *output, const char *program)
{
    for (size_t i = 0; i < output->count; i++)
        if (output->processes[i].program != NULL &&
            strstr(output->processes[i].program, program) != NULL)
            return output->processes[i].pid;
    cr_assert_fail("no process runs %s", program);
    return 0;
}

/* A tracer finding about a pipe end, the way rules_fd_leak.c writes them. */
static void add_tracer_fd_leak(struct report *report, pid_t pid, int fd, const char *program,
                               const char *when)
{
    cr_assert_eq(report_add_finding(report, FINDING_FD_LEAK, pid,
                                    json_pack("{s:i, s:s, s:s, s:s, s:[i]}", "fd", fd, "target",
                                              "pipe:[777]", "program", program, "when", when,
                                              "pids", (int)pid),
                                    "fd %d leaked", fd),
                 0);
}

static struct valgrind_merge_options merge_options(const struct valgrind_output *output)
{
    return (struct valgrind_merge_options){
        .main_pid = pid_of(output, "vg-fd-leak"),
        .log_fd = 100,
        .output_dir = "/tmp/forklab-valgrind.recorded",
    };
}

Test(valgrind_merge, one_problem_appears_once_confirmed_by_both)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-tree.log", &output);
    struct report report;
    report_init(&report);
    /* The traced run (other pids): both pipe ends open at exit in vg-fd-leak,
     * and inherited by the vg-child-leak it exec'd. */
    add_tracer_fd_leak(&report, 500, 3, "/x/vg-fd-leak", "exit");
    add_tracer_fd_leak(&report, 500, 4, "/x/vg-fd-leak", "exit");
    add_tracer_fd_leak(&report, 501, 3, "/x/vg-child-leak", "exec");
    add_tracer_fd_leak(&report, 501, 4, "/x/vg-child-leak", "exec");
    struct valgrind_merge_options options = merge_options(&output);
    cr_assert_eq(valgrind_merge(&report, &output, &options), 0);

    cr_expect_eq(report_count_kind(&report, FINDING_FD_LEAK), 4, "no duplicate");
    for (size_t i = 0; i < 4; i++) {
        const struct finding *finding = nth_finding(&report, FINDING_FD_LEAK, i);
        cr_expect_str_eq(joined_strings(json_object_get(finding->evidence, "confirmed_by")),
                         "trace,valgrind", "finding %zu: %s", i, finding->message);
        cr_expect(json_is_integer(json_object_get(finding->evidence, "valgrind_pid")));
        cr_expect_eq(finding->pid, i < 2 ? 500 : 501, "the tracer's pid stays");
    }
    /* The leak of the forked child of vg-child-leak. */
    cr_expect_eq(report_count_kind(&report, FINDING_MEMORY_LEAK), 1);
    valgrind_output_free(&output);
    report_free(&report);
}

Test(valgrind_merge, what_only_valgrind_saw_is_added_once)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-tree.log", &output);
    struct report report;
    report_init(&report);
    cr_assert_eq(report_add_finding(&report, FINDING_FD_LEAK, 600,
                                    json_pack("{s:i, s:s}", "fd", 7, "target", "/etc/passwd"),
                                    "fd 7 leaked"),
                 0);
    struct valgrind_merge_options options = merge_options(&output);
    cr_assert_eq(valgrind_merge(&report, &output, &options), 0);

    const struct finding *tracer_only = &report.findings[0];
    cr_expect_str_eq(joined_strings(json_object_get(tracer_only->evidence, "confirmed_by")),
                     "trace");
    /* vg-child-leak: 3, 4 inherited across its exec. vg-fd-leak's fds 3 and 4
     * open at exit only confirm (valgrind cannot tell a pipe's read end from
     * its write end); the forked child's copies and valgrind's own log (fd
     * 100) add nothing. */
    cr_expect_eq(report_count_kind(&report, FINDING_FD_LEAK), 3);
    cr_expect_null(fd_finding(&report, FINDING_FD_LEAK, 3, "vg-fd-leak"),
                   "an end open at exit that only valgrind saw is no finding");
    cr_expect_null(fd_finding(&report, FINDING_FD_LEAK, 4, "vg-fd-leak"));

    const struct finding *inherited = fd_finding(&report, FINDING_FD_LEAK, 4, "vg-child-leak");
    cr_assert_not_null(inherited);
    cr_expect_str_eq(json_string_value(json_object_get(inherited->evidence, "when")), "exec");
    cr_expect_not_null(strstr(inherited->message, "leaked into vg-child-leak"), "%s",
                       inherited->message);
    cr_expect_str_eq(joined_strings(json_object_get(inherited->evidence, "confirmed_by")),
                     "valgrind");
    cr_expect_eq(inherited->pid, pid_of(&output, "vg-child-leak"), "a valgrind-run pid");
    valgrind_output_free(&output);
    report_free(&report);
}

Test(valgrind_merge, allowed_descriptors_are_never_leaks)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-tree.log", &output);
    struct report report;
    report_init(&report);
    static const int allowed[] = {3, 4};
    struct valgrind_merge_options options = merge_options(&output);
    options.allowed_fds = allowed;
    options.allowed_fd_count = 2;
    cr_assert_eq(valgrind_merge(&report, &output, &options), 0);
    cr_expect_eq(report_count_kind(&report, FINDING_FD_LEAK), 0);
    valgrind_output_free(&output);
    report_free(&report);
}

Test(valgrind_merge, a_forked_childs_leak_names_the_program_it_ran)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-tree.log", &output);
    struct report report;
    report_init(&report);
    struct valgrind_merge_options options = merge_options(&output);
    cr_assert_eq(valgrind_merge(&report, &output, &options), 0);
    const struct finding *leak = nth_finding(&report, FINDING_MEMORY_LEAK, 0);
    cr_assert_not_null(leak);
    json_t *evidence = leak->evidence;
    cr_expect_eq(json_integer_value(json_object_get(evidence, "bytes")), 100);
    cr_expect_eq(json_integer_value(json_object_get(evidence, "blocks")), 1);
    cr_expect_str_eq(json_string_value(json_object_get(evidence, "loss")), "definitely lost");
    cr_expect_str_eq(json_base_name(json_object_get(evidence, "program")), "vg-child-leak");
    cr_expect(json_is_true(json_object_get(evidence, "program_inferred")),
              "two programs ran: the log does not say which one the child forked from");
    json_t *stack = json_object_get(evidence, "stack");
    cr_assert_eq(json_array_size(stack), 2, "child_work and main, without malloc");
    json_t *top = json_array_get(stack, 0);
    cr_expect_str_eq(json_string_value(json_object_get(top, "function")), "child_work");
    cr_expect_str_eq(json_base_name(json_object_get(top, "file")), "vg-child-leak.c");
    cr_expect_eq(json_integer_value(json_object_get(top, "line")), 12);
    cr_expect_not_null(strstr(leak->message, "100 bytes in 1 block definitely lost in "
                                             "vg-child-leak, allocated at child_work "
                                             "(vg-child-leak.c:12)"),
                       "%s", leak->message);
    valgrind_output_free(&output);
    report_free(&report);
}

Test(valgrind_merge, a_bad_close_is_confirmed_not_repeated)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-bad-close.log", &output);
    struct report report;
    report_init(&report);
    cr_assert_eq(report_add_finding(&report, FINDING_BAD_CLOSE, 900,
                                    json_pack("{s:i, s:s}", "fd", -1, "program", "/x/vg-bad-close"),
                                    "close(-1)"),
                 0);
    struct valgrind_merge_options options = {.main_pid = output.processes[0].pid, .log_fd = 100};
    cr_assert_eq(valgrind_merge(&report, &output, &options), 0);
    cr_expect_eq(report_count_kind(&report, FINDING_BAD_CLOSE), 1);
    cr_expect_str_eq(joined_strings(json_object_get(report.findings[0].evidence, "confirmed_by")),
                     "trace,valgrind");
    valgrind_output_free(&output);
    report_free(&report);
}

Test(valgrind_merge, a_bad_close_only_valgrind_saw)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-bad-close.log", &output);
    struct report report;
    report_init(&report);
    struct valgrind_merge_options options = {.main_pid = output.processes[0].pid, .log_fd = 100};
    cr_assert_eq(valgrind_merge(&report, &output, &options), 0);
    const struct finding *bad_close = nth_finding(&report, FINDING_BAD_CLOSE, 0);
    cr_assert_not_null(bad_close);
    cr_expect_eq(json_integer_value(json_object_get(bad_close->evidence, "fd")), -1);
    cr_expect_str_eq(json_string_value(json_object_get(bad_close->evidence, "how")),
                     "invalid_number");
    cr_expect_str_eq(bad_close->message,
                     "vg-bad-close called close(-1): -1 is not a descriptor number");
    valgrind_output_free(&output);
    report_free(&report);
}

/* The same allocation site leaking in several processes is one finding. */
Test(valgrind_merge, the_same_leak_in_several_processes_is_one_finding)
{
    struct valgrind_output output;
    valgrind_output_init(&output);
    for (pid_t pid = 10; pid <= 12; pid++) {
        struct valgrind_process *process = valgrind_output_process(&output, pid);
        cr_assert_not_null(process);
        if (pid == 10) {
            process->program = strdup("/home/student/worker");
            process->started_program = true;
        }
        struct valgrind_leak *leak = valgrind_process_add_leak(process);
        cr_assert_not_null(leak);
        leak->loss = VALGRIND_DEFINITELY_LOST;
        leak->bytes = 10;
        leak->blocks = 1;
        cr_assert_eq(valgrind_stack_add(&leak->stack, "malloc", NULL, 0,
                                        "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"),
                     0);
        cr_assert_eq(valgrind_stack_add(&leak->stack, "work", "/home/student/worker.c", 5, NULL),
                     0);
    }
    struct report report;
    report_init(&report);
    struct valgrind_merge_options options = {.main_pid = 10, .log_fd = -1};
    cr_assert_eq(valgrind_merge(&report, &output, &options), 0);
    cr_assert_eq(report_count_kind(&report, FINDING_MEMORY_LEAK), 1);
    json_t *evidence = report.findings[0].evidence;
    cr_expect_eq(json_integer_value(json_object_get(evidence, "bytes")), 30);
    cr_expect_eq(json_array_size(json_object_get(evidence, "valgrind_pids")), 3);
    cr_expect_null(json_object_get(evidence, "program_inferred"), "only one program ran");
    cr_expect_not_null(strstr(report.findings[0].message, "(in 3 processes)"));
    valgrind_output_free(&output);
    report_free(&report);
}

Test(valgrind_merge, normalizes_inode_numbers_away)
{
    char buffer[64];
    cr_expect_str_eq(valgrind_normalize_target("pipe:[123456]", buffer, sizeof(buffer)), "pipe");
    cr_expect_str_eq(valgrind_normalize_target("socket:[9]", buffer, sizeof(buffer)), "socket");
    cr_expect_str_eq(valgrind_normalize_target("/etc/passwd", buffer, sizeof(buffer)),
                     "/etc/passwd");
}

/* The same fd open at exit in one program and carried into another by exec
 * are two problems: a tracer "exec" finding does not absorb the "exit" one,
 * even when the tracer's process record lists both programs. */
Test(valgrind_merge, exit_and_exec_leaks_stay_apart)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-tree.log", &output);
    struct report report;
    report_init(&report);
    struct process_record *forked = report_add_process(&report, 501, 500);
    cr_assert_not_null(forked);
    cr_assert_eq(process_record_add_program(forked, "/x/vg-fd-leak"), 0);
    cr_assert_eq(process_record_add_program(forked, "/x/vg-child-leak"), 0);
    add_tracer_fd_leak(&report, 501, 3, "/x/vg-child-leak", "exec");
    add_tracer_fd_leak(&report, 500, 4, "/x/vg-fd-leak", "exit");
    struct valgrind_merge_options options = merge_options(&output);
    cr_assert_eq(valgrind_merge(&report, &output, &options), 0);
    /* Each observation confirms its own kind of leak, never the other. */
    cr_expect_str_eq(joined_strings(json_object_get(report.findings[0].evidence, "confirmed_by")),
                     "trace,valgrind");
    cr_expect_str_eq(joined_strings(json_object_get(report.findings[1].evidence, "confirmed_by")),
                     "trace,valgrind");
    cr_expect_null(fd_finding(&report, FINDING_FD_LEAK, 3, "vg-fd-leak"),
                   "the exit observation of fd 3 is not folded into the exec leak");
    valgrind_output_free(&output);
    report_free(&report);
}

/* The traced run's tree (other pids): vg-fd-leak exec'd vg-child-leak in a
 * child, whose forked child leaked. */
Test(valgrind_merge, findings_carry_the_traced_pid_when_certain)
{
    struct valgrind_output output;
    parse_recorded("log-3.19-tree.log", &output);
    struct report report;
    report_init(&report);
    report.main_pid = 500;
    struct process_record *main = report_add_process(&report, 500, 1);
    cr_assert_not_null(main);
    cr_assert_eq(process_record_add_program(main, "/x/vg-fd-leak"), 0);
    struct process_record *exec = report_add_process(&report, 501, 500);
    cr_assert_not_null(exec);
    cr_assert_eq(process_record_add_program(exec, "/x/vg-child-leak"), 0);
    cr_assert_not_null(report_add_process(&report, 502, 501));
    struct valgrind_merge_options options = merge_options(&output);
    cr_assert_eq(valgrind_merge(&report, &output, &options), 0);

    const struct finding *leak = nth_finding(&report, FINDING_MEMORY_LEAK, 0);
    cr_assert_not_null(leak);
    cr_expect_eq(leak->pid, 502, "the forked child of vg-child-leak in the traced run");
    cr_expect_neq(json_integer_value(json_object_get(leak->evidence, "valgrind_pid")), 502);
    const struct finding *inherited = fd_finding(&report, FINDING_FD_LEAK, 3, "vg-child-leak");
    cr_assert_not_null(inherited);
    cr_expect_eq(inherited->pid, 501, "the process that exec'd vg-child-leak in the traced run");
    valgrind_output_free(&output);
    report_free(&report);
}
