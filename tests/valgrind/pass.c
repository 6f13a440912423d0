/* Tests of the valgrind pass on real valgrind runs of the fixtures: leaks in
 * the parent, in a forked child and in an exec'd program, each with a clean
 * twin; descriptors merged with the tracer's findings; containment. */
#include "helpers.h"
#include "valgrind/valgrind.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs the pass on argv and fills `report`; asserts that the pass ran. */
static void run_pass(char *const *argv, struct report *report)
{
    struct check_options options = test_options(argv);
    struct valgrind_target target = test_target(&options);
    char why[256] = "";
    cr_assert_eq(valgrind_pass(&target, report, why, sizeof(why)), 0, "%s", why);
}

/* Nothing the run started may be left: the test process is the subreaper. */
static void expect_no_process_left(void)
{
    errno = 0;
    cr_expect_eq(waitpid(-1, NULL, WNOHANG), -1, "a process of the run is still there");
    cr_expect_eq(errno, ECHILD);
}

Test(valgrind_pass, finds_a_leak_in_the_parent)
{
    char *argv[] = {(char *)fixture_path("vg-leak"), NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_expect(report_has_check(&report, "valgrind-memcheck"));
    cr_expect(report_has_check(&report, "valgrind-fds(log)"));
    cr_expect(report_kind_checked(&report, FINDING_MEMORY_LEAK));
    cr_assert_eq(report_count_kind(&report, FINDING_MEMORY_LEAK), 2);
    const struct finding *definite = nth_finding(&report, FINDING_MEMORY_LEAK, 1);
    json_t *evidence = definite->evidence;
    cr_expect_str_eq(json_string_value(json_object_get(evidence, "loss")), "definitely lost");
    cr_expect_eq(json_integer_value(json_object_get(evidence, "bytes")), 64);
    cr_expect_str_eq(json_base_name(json_object_get(evidence, "program")), "vg-leak");
    json_t *top = json_array_get(json_object_get(evidence, "stack"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(top, "function")), "make_list");
    cr_expect_str_eq(json_base_name(json_object_get(top, "file")), "vg-leak.c");
    cr_expect_eq(report_count_kind(&report, FINDING_FD_LEAK), 0);
    cr_expect_eq(report.finding_count, 2);
    expect_no_process_left();
    report_free(&report);
}

Test(valgrind_pass, a_parent_that_frees_stays_clean)
{
    char *argv[] = {(char *)fixture_path("vg-leak"), "--clean", NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_expect(report_has_check(&report, "valgrind-memcheck"));
    cr_expect_eq(report.finding_count, 0, "first: %s",
                 report.finding_count ? report.findings[0].message : "");
    report_free(&report);
}

Test(valgrind_pass, finds_a_leak_in_a_forked_child)
{
    char *argv[] = {(char *)fixture_path("vg-child-leak"), NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_assert_eq(report_count_kind(&report, FINDING_MEMORY_LEAK), 1);
    const struct finding *leak = nth_finding(&report, FINDING_MEMORY_LEAK, 0);
    json_t *evidence = leak->evidence;
    cr_expect_eq(json_integer_value(json_object_get(evidence, "bytes")), 100);
    cr_expect_str_eq(json_base_name(json_object_get(evidence, "program")), "vg-child-leak");
    cr_expect_null(json_object_get(evidence, "program_inferred"), "one program ran: certain");
    json_t *top = json_array_get(json_object_get(evidence, "stack"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(top, "function")), "child_work");
    cr_expect_eq(report.finding_count, 1);
    expect_no_process_left();
    report_free(&report);
}

Test(valgrind_pass, a_forked_child_that_frees_stays_clean)
{
    char *argv[] = {(char *)fixture_path("vg-child-leak"), "--clean", NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_expect(report_has_check(&report, "valgrind-memcheck"));
    cr_expect_eq(report.finding_count, 0);
    report_free(&report);
}

/* vg-exec runs vg-leak, a user program, so valgrind instruments it too. */
Test(valgrind_pass, finds_a_leak_in_an_execd_program)
{
    char leak[4096];
    snprintf(leak, sizeof(leak), "%s", fixture_path("vg-leak"));
    char *argv[] = {(char *)fixture_path("vg-exec"), leak, NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_assert_eq(report_count_kind(&report, FINDING_MEMORY_LEAK), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *evidence = nth_finding(&report, FINDING_MEMORY_LEAK, i)->evidence;
        cr_expect_str_eq(json_base_name(json_object_get(evidence, "program")), "vg-leak");
    }
    cr_expect_eq(report.finding_count, 2);
    report_free(&report);
}

Test(valgrind_pass, an_execd_program_that_frees_stays_clean)
{
    char leak[4096];
    snprintf(leak, sizeof(leak), "%s", fixture_path("vg-leak"));
    char *argv[] = {(char *)fixture_path("vg-exec"), leak, "--clean", NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_expect(report_has_check(&report, "valgrind-memcheck"));
    cr_expect_eq(report.finding_count, 0);
    report_free(&report);
}

/* The whole check: the tracer's fd_leaks (the pipe's write end open at exit
 * of vg-fd-leak, both ends carried across exec into vg-leak) each become one
 * finding confirmed by both runs. Valgrind also sees the read end open at
 * exit, but cannot tell the ends apart: that only confirms, it adds nothing. */
Test(valgrind_pass, check_run_merges_the_tracers_findings_without_duplicates)
{
    char leak[4096];
    snprintf(leak, sizeof(leak), "%s", fixture_path("vg-leak"));
    char *argv[] = {(char *)fixture_path("vg-fd-leak"), leak, "--clean", NULL};
    struct check_options options = test_options(argv);
    struct report report;
    report_init(&report);
    char why[256] = "";
    cr_assert_eq(check_run(&options, &report, why, sizeof(why)), 0, "%s", why);
    cr_expect(report_has_check(&report, "trace"));
    cr_expect(report_has_check(&report, "valgrind-fds(log)"));
    cr_expect_eq(report_count_kind(&report, FINDING_FD_LEAK), 3,
                 "fd 4 at exit, fds 3 and 4 at exec");
    const struct finding *found[] = {
        fd_finding(&report, FINDING_FD_LEAK, 4, "vg-fd-leak"),
        fd_finding(&report, FINDING_FD_LEAK, 3, "vg-leak"),
        fd_finding(&report, FINDING_FD_LEAK, 4, "vg-leak"),
    };
    for (size_t i = 0; i < sizeof(found) / sizeof(found[0]); i++) {
        cr_assert(found[i] != NULL, "finding %zu", i);
        cr_expect_str_eq(joined_strings(json_object_get(found[i]->evidence, "confirmed_by")),
                         "trace,valgrind", "%s", found[i]->message);
    }
    cr_expect_null(fd_finding(&report, FINDING_FD_LEAK, 3, "vg-fd-leak"),
                   "the read end at exit is no finding");
    cr_expect_eq(report.finding_count, 3, "and nothing else (vg-leak --clean frees)");
    report_free(&report);
}

Test(valgrind_pass, check_run_confirms_a_bad_close_once)
{
    char *argv[] = {(char *)fixture_path("vg-bad-close"), "/nonexistent/list.txt", NULL};
    struct check_options options = test_options(argv);
    struct report report;
    report_init(&report);
    char why[256] = "";
    cr_assert_eq(check_run(&options, &report, why, sizeof(why)), 0, "%s", why);
    cr_assert_eq(report_count_kind(&report, FINDING_BAD_CLOSE), 1);
    const struct finding *bad_close = nth_finding(&report, FINDING_BAD_CLOSE, 0);
    cr_expect_str_eq(joined_strings(json_object_get(bad_close->evidence, "confirmed_by")),
                     "trace,valgrind");
    report_free(&report);
}

Test(valgrind_pass, a_pipe_closed_on_exec_stays_clean)
{
    char leak[4096];
    snprintf(leak, sizeof(leak), "%s", fixture_path("vg-leak"));
    char *argv[] = {(char *)fixture_path("vg-fd-leak"), "--clean", leak, "--clean", NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_expect(report_has_check(&report, "valgrind-fds(log)"));
    cr_expect_eq(report.finding_count, 0, "first: %s",
                 report.finding_count ? report.findings[0].message : "");
    report_free(&report);
}

Test(valgrind_pass, finds_a_bad_close)
{
    char *argv[] = {(char *)fixture_path("vg-bad-close"), "/nonexistent/list.txt", NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_assert_eq(report_count_kind(&report, FINDING_BAD_CLOSE), 1);
    const struct finding *bad_close = nth_finding(&report, FINDING_BAD_CLOSE, 0);
    cr_expect_eq(json_integer_value(json_object_get(bad_close->evidence, "fd")), -1);
    cr_expect_eq(report.finding_count, 1);
    report_free(&report);
}

Test(valgrind_pass, a_checked_close_stays_clean)
{
    char *argv[] = {(char *)fixture_path("vg-bad-close"), "--clean", "/nonexistent/list.txt", NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_expect_eq(report.finding_count, 0);
    report_free(&report);
}

/* The harness's own descriptors (a CI runner's, a terminal's) never reach the
 * program: valgrind starts with 0-2 and its log only. */
Test(valgrind_pass, inherited_descriptors_are_not_the_programs_leaks)
{
    int fd = open("/dev/null", O_RDONLY); /* not close-on-exec, on purpose */
    cr_assert_geq(fd, 0);
    cr_assert_geq(dup2(fd, 40), 0);
    char *argv[] = {(char *)fixture_path("vg-leak"), "--clean", NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_expect(report_has_check(&report, "valgrind-fds(log)"));
    cr_expect_eq(report_count_kind(&report, FINDING_FD_LEAK), 0);
    report_free(&report);
    close(40);
    close(fd);
}

/* The traced run's result (here a timeout finding put in by hand) must survive. */
/* A hang fails through alarm(), not criterion's .timeout: criterion 2.4.1's
 * runner can leak the timeout record, which fails the LeakSanitizer run. */
Test(valgrind_pass, a_timeout_keeps_the_traced_result)
{
    alarm(60);
    char *argv[] = {(char *)fixture_path("vg-hang"), NULL};
    struct report report;
    report_init(&report);
    cr_assert_eq(report_add_check(&report, "trace"), 0);
    cr_assert_eq(report_add_finding(&report, FINDING_TIMEOUT, 800, json_object(), "timed out"), 0);
    struct check_options options = test_options(argv);
    options.timeout_ms = 1500;
    struct valgrind_target target = test_target(&options);
    char why[256] = "";
    cr_assert_eq(valgrind_pass(&target, &report, why, sizeof(why)), 0, "%s", why);
    cr_expect_eq(report.finding_count, 1);
    cr_expect_eq(report.findings[0].kind, FINDING_TIMEOUT);
    cr_expect(report_has_check(&report, "trace"));
    cr_expect(report_has_check_prefix(&report, "valgrind-incomplete: timed out after 1500 ms"));
    cr_expect_not(report_has_check(&report, "valgrind-memcheck"),
                  "memcheck did not get to check the program");
    cr_expect_not(report_kind_checked(&report, FINDING_MEMORY_LEAK));
    expect_no_process_left();
    report_free(&report);
}

Test(valgrind_pass, survives_a_crash_under_valgrind)
{
    char *argv[] = {(char *)fixture_path("vg-crash"), NULL};
    struct report report;
    report_init(&report);
    cr_assert_eq(report_add_finding(&report, FINDING_CRASH, 900, NULL, "SIGSEGV"), 0);
    run_pass(argv, &report);
    cr_expect_eq(report.findings[0].kind, FINDING_CRASH);
    cr_expect(report_has_check_prefix(&report,
                                      "valgrind-incomplete: the program was killed by signal 11"));
    /* valgrind still checks leaks after a fatal signal. */
    cr_expect(report_has_check(&report, "valgrind-memcheck"));
    cr_expect_eq(report_count_kind(&report, FINDING_MEMORY_LEAK), 1);
    expect_no_process_left();
    report_free(&report);
}

/* The XML path, forced on valgrind 3.19: one XML file per process, and the
 * forked child's program comes from its own file. */
Test(valgrind_pass, reads_xml_when_asked)
{
    char *argv[] = {(char *)fixture_path("vg-child-leak"), NULL};
    struct report report;
    report_init(&report);
    struct check_options options = test_options(argv);
    struct valgrind_target target = test_target(&options);
    char why[256] = "";
    cr_assert_eq(valgrind_pass_reading(&target, VALGRIND_READ_XML, &report, why, sizeof(why)), 0,
                 "%s", why);
    cr_expect(report_has_check(&report, "valgrind-memcheck"));
    cr_expect_not(report_has_check_prefix(&report, "valgrind-fds"),
                  "valgrind 3.19 has no descriptor errors in its XML");
    cr_expect_not(report_has_check_prefix(&report, "valgrind-incomplete"), "%s",
                  report.check_count ? report.checks[report.check_count - 1] : "");
    cr_assert_eq(report_count_kind(&report, FINDING_MEMORY_LEAK), 1);
    json_t *evidence = nth_finding(&report, FINDING_MEMORY_LEAK, 0)->evidence;
    cr_expect_eq(json_integer_value(json_object_get(evidence, "bytes")), 100);
    cr_expect_str_eq(json_base_name(json_object_get(evidence, "program")), "vg-child-leak");
    report_free(&report);
}

Test(valgrind_pass, leaves_no_temporary_folder)
{
    char dir[] = "/tmp/forklab-vgtest.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(setenv("TMPDIR", dir, 1), 0);
    char *argv[] = {(char *)fixture_path("vg-leak"), NULL};
    struct report report;
    report_init(&report);
    run_pass(argv, &report);
    cr_expect_eq(rmdir(dir), 0, "the pass left something in %s", dir);
    report_free(&report);
}
