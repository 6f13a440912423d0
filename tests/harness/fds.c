/* fd_leak at exit: harm by default, every descriptor with --strict-fds.
 * A write end held after the last write while a reader waited is reported
 * with both processes named; a result handed back with dprintf() and
 * _exit() is not a leak; files and pipes left open count only in strict
 * mode, and only those a process opened itself. */
#include "harness_test.h"

#include <criterion/criterion.h>
#include <string.h>

static void check_fds(bool strict, const char *fixture, struct report *report)
{
    char *argv[] = {(char *)fixture, NULL};
    struct check_options options;
    check_options_init(&options);
    options.strict_fds = strict;
    run_check(&options, argv, report);
}

Test(fds, held_after_writing_names_holder_and_reader)
{
    struct report report;
    check_fds(false, FIXTURE("h-fd-leak-exit"), &report);
    cr_assert_eq(kinds_of(&report), KIND(FINDING_FD_LEAK));
    const struct finding *leak = find_kind(&report, FINDING_FD_LEAK);
    json_t *evidence = leak->evidence;
    cr_assert_str_eq(json_string_value(json_object_get(evidence, "when")), "exit");
    cr_assert_str_eq(json_string_value(json_object_get(evidence, "reason")), "held_after_writing");
    cr_assert_str_eq(json_string_value(json_object_get(evidence, "end")), "write end");
    cr_assert_not_null(strstr(json_string_value(json_object_get(evidence, "idle")), "sleep"));
    /* The holder is the child; the one kept waiting, the main program. */
    cr_assert_neq(leak->pid, report.main_pid);
    json_t *waiting = json_array_get(json_object_get(evidence, "kept_waiting"), 0);
    cr_assert_eq(json_integer_value(json_object_get(waiting, "pid")), report.main_pid);
    cr_assert_not_null(strstr(leak->message, "as soon as the writing is done"), "%s",
                       leak->message);
    report_free(&report);
}

Test(fds, result_by_dprintf_and_exit_is_no_leak)
{
    for (int strict = 0; strict <= 1; strict++) {
        struct report report;
        check_fds(strict, FIXTURE("h-fd-result-ok"), &report);
        cr_assert_eq(report.finding_count, 0, "strict %d: %s", strict,
                     report.finding_count ? report.findings[0].message : "");
        report_free(&report);
    }
}

Test(fds, files_left_open_count_only_when_strict)
{
    struct report report;
    check_fds(false, FIXTURE("h-fd-open-file"), &report);
    cr_assert_eq(report.finding_count, 0, "default: %s",
                 report.finding_count ? report.findings[0].message : "");
    report_free(&report);

    check_fds(true, FIXTURE("h-fd-open-file"), &report);
    cr_assert_eq(report_count_kind(&report, FINDING_FD_LEAK), 2, "the file and the write end");
    bool file = false, pipe_end = false;
    for (size_t i = 0; i < report.finding_count; i++) {
        json_t *evidence = report.findings[i].evidence;
        cr_assert(json_is_true(json_object_get(evidence, "strict")));
        const char *target = json_string_value(json_object_get(evidence, "target"));
        file |= strcmp(target, "/etc/hostname") == 0;
        pipe_end |= strncmp(target, "pipe:[", 6) == 0;
    }
    cr_assert(file && pipe_end);
    report_free(&report);
}

/* Strict counts what a process opened: the parent of h-fd-leak-exit-ok
 * keeps its read end (it made the pipe); the child inherited its copy. */
Test(fds, strict_blames_who_opened_it)
{
    struct report report;
    check_fds(true, FIXTURE("h-fd-leak-exit-ok"), &report);
    cr_assert_eq(report_count_kind(&report, FINDING_FD_LEAK), 1);
    cr_assert_eq(report.findings[0].pid, report.main_pid);
    cr_assert_str_eq(json_string_value(json_object_get(report.findings[0].evidence, "end")),
                     "read end");
    report_free(&report);
}

Test(fds, strict_verdicts_are_stable)
{
    char *argv[] = {FIXTURE("h-fd-open-file"), NULL};
    char *first = NULL;
    for (int run = 0; run < STABILITY_RUNS; run++) {
        struct report report;
        check_fds(true, argv[0], &report);
        char *signature = verdict_signature(&report);
        if (first == NULL)
            first = signature;
        else {
            cr_assert_str_eq(signature, first, "run %d", run + 1);
            free(signature);
        }
        report_free(&report);
    }
    free(first);
}
