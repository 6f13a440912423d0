/* How the steered runs' findings join the natural run's (check/schedules.c),
 * on hand-built reports: a finding every steered run shows stays as the
 * natural run found it; one that depends on the schedule is reported as the
 * schedule made to force it found it, whatever the natural run showed. */
#include "check/schedules.h"
#include "run_builder.h"

#include <criterion/criterion.h>
#include <string.h>

static void add_process(struct report *report, pid_t pid, const char *program)
{
    struct process_record *record = report_add_process(report, pid, 1);
    cr_assert_not_null(record);
    cr_assert_eq(process_record_add_program(record, program), 0);
}

static void add_finding(struct report *report, enum finding_kind kind, pid_t pid,
                        const char *message)
{
    cr_assert_eq(
        report_add_finding(report, kind, pid, json_pack("{s:i}", "pid", (int)pid), "%s", message),
        0);
}

/* A steered run of ./pool (pid `pid`) with these findings; `held` says
 * whether it held anything (a SIGCHLD of the pool, for its evidence). */
static void steered(struct steered_run *run, enum schedule schedule, pid_t pid, bool held,
                    const enum finding_kind *kinds, size_t count)
{
    steered_run_init(run, schedule);
    add_process(&run->report, pid, "./pool");
    for (size_t i = 0; i < count; i++)
        add_finding(&run->report, kinds[i], pid, "steered");
    struct trace_run facts;
    built_run_init(&facts, pid, "./pool");
    if (held) {
        struct steering_fact fact = {.kind = HOLD_SIGCHLD,
                                     .pid = pid,
                                     .program = "./pool",
                                     .children_exited = 3,
                                     .all_exited = true,
                                     .end = HOLD_END_DONE};
        cr_assert_eq(trace_run_add_steering(&facts, &fact), 0);
    }
    cr_assert_eq(steered_run_describe(run, &facts), 0);
    trace_run_free(&facts);
}

static const struct finding *kind_in(const struct report *report, enum finding_kind kind)
{
    for (size_t i = 0; i < report->finding_count; i++)
        if (report->findings[i].kind == kind)
            return &report->findings[i];
    return NULL;
}

Test(merge, steady_racy_and_natural_only_findings)
{
    struct report natural;
    report_init(&natural);
    add_process(&natural, 100, "./pool");
    add_finding(&natural, FINDING_NESTED_FORK, 100, "natural nested_fork"); /* every run */
    add_finding(&natural, FINDING_ZOMBIE, 100, "natural zombie");           /* by luck */
    add_finding(&natural, FINDING_BAD_CLOSE, 100, "natural bad_close");     /* natural only */

    const enum finding_kind both[] = {FINDING_NESTED_FORK, FINDING_ZOMBIE};
    const enum finding_kind nested[] = {FINDING_NESTED_FORK};
    struct steered_run runs[3];
    steered(&runs[0], SCHEDULE_CHILD_FIRST, 200, true, nested, 1);
    steered(&runs[1], SCHEDULE_SIGCHLD_HELD, 300, true, both, 2);
    /* Held nothing: one more natural run, whatever it shows. */
    steered(&runs[2], SCHEDULE_READER_LATE, 400, false, both, 0);
    cr_assert_eq(check_merge_schedules(&natural, runs, 3), 0);

    cr_assert_eq(natural.finding_count, 3);
    const struct finding *nested_fork = kind_in(&natural, FINDING_NESTED_FORK);
    cr_assert_str_eq(nested_fork->message, "natural nested_fork");
    cr_assert_null(json_object_get(nested_fork->evidence, "schedule"));
    cr_assert_str_eq(kind_in(&natural, FINDING_BAD_CLOSE)->message, "natural bad_close");

    const struct finding *zombie = kind_in(&natural, FINDING_ZOMBIE);
    cr_assert_eq(zombie->pid, 300);
    cr_assert_str_eq(zombie->message, "With SIGCHLD held in pid 300 (./pool) until all 3 of its "
                                      "children had exited, then delivered once (schedule "
                                      "sigchld_held): steered. One SIGCHLD may stand for "
                                      "several exits: reap in a loop, waitpid(-1, &status, "
                                      "WNOHANG) until it returns 0.");
    json_t *schedule = json_object_get(zombie->evidence, "schedule");
    cr_assert_str_eq(json_string_value(json_object_get(schedule, "name")), "sigchld_held");
    for (size_t i = 0; i < 3; i++)
        steered_run_free(&runs[i]);
    report_free(&natural);
}

/* The same racy zombie whether or not the natural run showed it. */
Test(merge, a_race_reads_the_same_whatever_the_natural_run_did)
{
    char *messages[2];
    for (int lucky = 0; lucky <= 1; lucky++) {
        struct report natural;
        report_init(&natural);
        add_process(&natural, 100, "./pool");
        if (lucky)
            add_finding(&natural, FINDING_ZOMBIE, 100, "natural zombie");
        const enum finding_kind zombie[] = {FINDING_ZOMBIE};
        struct steered_run runs[2];
        steered(&runs[0], SCHEDULE_SIGCHLD_HELD, 300, true, zombie, 1);
        steered(&runs[1], SCHEDULE_CHILD_FIRST, 400, true, zombie, 0);
        cr_assert_eq(check_merge_schedules(&natural, runs, 2), 0);
        cr_assert_eq(natural.finding_count, 1);
        messages[lucky] = strdup(natural.findings[0].message);
        for (size_t i = 0; i < 2; i++)
            steered_run_free(&runs[i]);
        report_free(&natural);
    }
    cr_assert_str_eq(messages[0], messages[1]);
    free(messages[0]);
    free(messages[1]);
}

/* For a zombie, the run that holds exits last outranks one that only
 * happened to show it, whatever their order in the list. */
Test(merge, each_kind_asks_its_own_schedule_first)
{
    struct report natural;
    report_init(&natural);
    add_process(&natural, 100, "./pool");
    const enum finding_kind zombie[] = {FINDING_ZOMBIE};
    const enum finding_kind orphan[] = {FINDING_RUNAWAY_CHILD};
    struct steered_run runs[3];
    steered(&runs[0], SCHEDULE_CHILD_FIRST, 200, true, zombie, 1);
    steered(&runs[1], SCHEDULE_PARENT_FIRST, 300, true, orphan, 1);
    steered(&runs[2], SCHEDULE_EXIT_LAST, 400, true, zombie, 1);
    cr_assert_eq(check_merge_schedules(&natural, runs, 3), 0);
    cr_assert_eq(natural.finding_count, 2);
    cr_assert_eq(kind_in(&natural, FINDING_ZOMBIE)->pid, 400);
    cr_assert_eq(kind_in(&natural, FINDING_RUNAWAY_CHILD)->pid, 300);
    for (size_t i = 0; i < 3; i++)
        steered_run_free(&runs[i]);
    report_free(&natural);
}

Test(merge, when_steering_is_worth_it)
{
    struct report report;
    report_init(&report);
    add_process(&report, 100, "./alone");
    cr_assert(!check_worth_steering(&report), "one process: nothing to interleave");
    add_process(&report, 101, "./alone");
    cr_assert(check_worth_steering(&report));
    add_finding(&report, FINDING_TIMEOUT, 100, "hung");
    cr_assert(!check_worth_steering(&report), "a hang would cost the timeout again");
    cr_assert(check_steering_ends(&report));
    report_free(&report);
}
