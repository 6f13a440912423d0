/* zombie, on hand-built facts: a child the kernel handed to the subreaper
 * after its parent's exit is the parent's zombie; a child the kernel reaped
 * (the parent waited, or ignored SIGCHLD: no second collection) is not. */
#include "run_builder.h"

#include <criterion/criterion.h>
#include <string.h>
#include <sys/wait.h>

Test(zombie, unreaped_children_make_one_finding_per_parent)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./pool");
    struct traced_process *first = built_fork(&run, parent, 101);
    struct traced_process *second = built_fork(&run, parent, 102);
    struct traced_process *reaped = built_fork(&run, parent, 103);
    built_exit(&run, first, W_EXITCODE(0, 0), NULL, 0);
    built_exit(&run, second, W_EXITCODE(3, 0), NULL, 0);
    built_exit(&run, reaped, W_EXITCODE(0, 0), NULL, 0);
    built_exit(&run, parent, W_EXITCODE(0, 0), NULL, 0);
    built_zombie_handed_over(first);
    built_zombie_handed_over(second);

    struct report report;
    built_apply(rule_zombie, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 1);
    const struct finding *zombie = &report.findings[0];
    cr_assert_eq(zombie->kind, FINDING_ZOMBIE);
    cr_assert_eq(zombie->pid, 100);
    cr_assert_eq(evidence_integer(zombie, "count"), 2);
    cr_assert_eq(evidence_integer(zombie, "child"), 101);
    cr_assert_str_eq(evidence_string(zombie, "parent_end"), "exited");
    json_t *children = json_object_get(zombie->evidence, "children");
    cr_assert_eq(json_array_size(children), 2);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(children, 1), "exit_code")), 3);
    cr_assert_not_null(strstr(zombie->message, "(and 1 more children)"), "%s", zombie->message);
    report_free(&report);
    trace_run_free(&run);
}

/* SIG_IGN or SA_NOCLDWAIT: the kernel reaped every child at its exit, so
 * the tracer never collected one a second time. Whatever order the exits
 * were read in, nothing is a zombie. */
Test(zombie, children_the_kernel_reaped_are_not_zombies)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./pool");
    for (pid_t pid = 101; pid <= 103; pid++)
        built_exit(&run, built_fork(&run, parent, pid), W_EXITCODE(0, 0), NULL, 0);
    built_exit(&run, parent, W_EXITCODE(0, 0), NULL, 0);
    struct report report;
    built_apply(rule_zombie, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 0);
    report_free(&report);
    trace_run_free(&run);
}

Test(zombie, a_parent_killed_by_a_signal_is_not_blamed)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./crash");
    struct traced_process *child = built_fork(&run, parent, 101);
    built_exit(&run, child, W_EXITCODE(0, 0), NULL, 0);
    built_exit(&run, parent, SIGSEGV, NULL, 0);
    built_zombie_handed_over(child);
    struct report report;
    built_apply(rule_zombie, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 0);
    report_free(&report);
    trace_run_free(&run);
}

Test(zombie, a_parent_still_running_when_the_run_ended)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./server");
    struct traced_process *child = built_fork(&run, parent, 101);
    built_exit(&run, child, W_EXITCODE(0, 0), NULL, 0);
    built_killed(&run, parent);
    built_zombie_handed_over(child);
    struct report report;
    built_apply(rule_zombie, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 1);
    cr_assert_str_eq(evidence_string(&report.findings[0], "parent_end"),
                     "still running when the run ended");
    cr_assert_not_null(strstr(report.findings[0].message, "before the run ended"));
    report_free(&report);
    trace_run_free(&run);
}

/* A child that was still running when its parent exited was the
 * subreaper's from then on: not the parent's zombie, even if it was handed
 * over later. */
Test(zombie, an_orphan_is_not_its_parents_zombie)
{
    struct trace_run run;
    struct traced_process *parent = built_run_init(&run, 100, "./daemonize");
    struct traced_process *child = built_fork(&run, parent, 101);
    built_exit(&run, parent, W_EXITCODE(0, 0), NULL, 0);
    built_exit(&run, child, W_EXITCODE(0, 0), NULL, 0);
    cr_assert_eq(child->parent_at_exit, BUILT_HARNESS_PID);
    struct report report;
    built_apply(rule_zombie, &run, NULL, &report);
    cr_assert_eq(report.finding_count, 0);
    report_free(&report);
    trace_run_free(&run);
}
