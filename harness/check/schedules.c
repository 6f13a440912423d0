/* The steered runs of a check and the merge of their findings into the
 * natural run's report, so that a race shows the same way on every check:
 * a steered schedule that forces it always shows it, and its version of the
 * finding is the one reported, whether the natural run was lucky or not. */
#include "check/schedules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void steered_run_init(struct steered_run *run, enum schedule schedule)
{
    memset(run, 0, sizeof(*run));
    run->schedule = schedule;
    report_init(&run->report);
}

void steered_run_free(struct steered_run *run)
{
    for (size_t i = 0; run->held != NULL && i < run->report.finding_count; i++)
        free(run->held[i]);
    free(run->held);
    report_free(&run->report);
    run->held = NULL;
}

/* The hold that concerns a finding of process `pid`: one of that process,
 * one naming it (its parent held after forking it, ...), one of its
 * parent; NULL when none does (the schedule's summary then says it). */
static const struct steering_fact *fact_for(const struct trace_run *facts, pid_t pid)
{
    for (size_t i = 0; i < facts->steering_count; i++)
        if (facts->steering[i].pid == pid)
            return &facts->steering[i];
    for (size_t i = 0; i < facts->steering_count; i++)
        if (facts->steering[i].other == pid)
            return &facts->steering[i];
    const struct traced_process *process = trace_run_find(facts, pid);
    for (size_t i = 0; process != NULL && i < facts->steering_count; i++)
        if (facts->steering[i].pid == process->parent)
            return &facts->steering[i];
    return NULL;
}

int steered_run_describe(struct steered_run *run, const struct trace_run *facts)
{
    run->steered = facts->steering_count > 0;
    run->held = calloc(run->report.finding_count + 1, sizeof(*run->held));
    if (run->held == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < run->report.finding_count; i++) {
        char text[600];
        const struct steering_fact *fact = fact_for(facts, run->report.findings[i].pid);
        if (fact != NULL)
            steering_fact_describe(fact, text, sizeof(text));
        else
            snprintf(text, sizeof(text), "%s", schedule_summary(run->schedule));
        run->held[i] = strdup(text);
        if (run->held[i] == NULL)
            return -ENOMEM;
    }
    return 0;
}

bool check_worth_steering(const struct report *natural)
{
    size_t processes = 0;
    for (size_t i = 0; i < natural->process_count; i++)
        processes += !natural->processes[i].is_thread;
    return processes > 1 && !check_steering_ends(natural);
}

bool check_steering_ends(const struct report *steered)
{
    return report_count_kind(steered, FINDING_TIMEOUT) > 0 ||
           report_count_kind(steered, FINDING_PROCESS_LIMIT) > 0;
}

/* The program a process of the report ran last ("" when unknown). */
static const char *program_of(const struct report *report, pid_t pid)
{
    for (size_t i = report->process_count; i-- > 0;) {
        const struct process_record *process = &report->processes[i];
        if (process->pid == pid)
            return process->program_count > 0 ? process->programs[process->program_count - 1] : "";
    }
    return "";
}

static bool shows(const struct report *report, enum finding_kind kind, const char *program)
{
    for (size_t i = 0; i < report->finding_count; i++)
        if (report->findings[i].kind == kind &&
            strcmp(program_of(report, report->findings[i].pid), program) == 0)
            return true;
    return false;
}

/* Where the findings of a key come from: the natural run (-1) or a steered
 * run (its index); and whether they name their schedule. A key every
 * steered run that held something shows does not depend on the schedule:
 * it is reported plainly, as the natural run found it (or, if that run
 * happened not to, as the first steered run did). Any other key depends on
 * the schedule: it is reported as the first steered run that shows it (in
 * the kind's order, rank_for) found it, naming that schedule, whatever the natural run showed; so a
 * race reads the same on every check. A key no steered run shows stays as
 * the natural run found it. */
struct source {
    int run;
    bool named;
};

/* The schedules in the order they are asked for a kind's finding: the one
 * made to force that kind's race first (a zombie by signals that coalesce
 * or a parent that exits last, an orphan by a parent that runs first, a
 * leaked end by a late reader), so that a schedule which shows it only by
 * luck never comes before one that always does. */
static int rank_for(enum finding_kind kind, enum schedule schedule)
{
    static const enum schedule zombie[] = {SCHEDULE_SIGCHLD_HELD, SCHEDULE_EXIT_LAST,
                                           SCHEDULE_CHILD_FIRST, SCHEDULE_PARENT_FIRST,
                                           SCHEDULE_READER_LATE};
    static const enum schedule orphan[] = {SCHEDULE_PARENT_FIRST, SCHEDULE_SIGCHLD_HELD,
                                           SCHEDULE_EXIT_LAST, SCHEDULE_CHILD_FIRST,
                                           SCHEDULE_READER_LATE};
    static const enum schedule leak[] = {SCHEDULE_READER_LATE, SCHEDULE_PARENT_FIRST,
                                         SCHEDULE_CHILD_FIRST, SCHEDULE_EXIT_LAST,
                                         SCHEDULE_SIGCHLD_HELD};
    const enum schedule *order = kind == FINDING_ZOMBIE          ? zombie
                                 : kind == FINDING_RUNAWAY_CHILD ? orphan
                                 : kind == FINDING_FD_LEAK       ? leak
                                                                 : NULL;
    for (int i = 0; order != NULL && i < SCHEDULE_COUNT - 1; i++)
        if (order[i] == schedule)
            return i;
    return (int)schedule;
}

static struct source source_of(const struct report *natural, const struct steered_run *runs,
                               size_t count, enum finding_kind kind, const char *program)
{
    bool steady = true, any_held = false;
    int first = -1;
    for (size_t i = 0; i < count; i++) {
        if (!runs[i].steered)
            continue;
        any_held = true;
        bool here = shows(&runs[i].report, kind, program);
        steady = steady && here;
        if (here &&
            (first < 0 || rank_for(kind, runs[i].schedule) < rank_for(kind, runs[first].schedule)))
            first = (int)i;
    }
    if (first < 0 || (steady && any_held && shows(natural, kind, program)))
        return (struct source){-1, false};
    return (struct source){first, !steady};
}

static int add_steered(struct report *report, const struct steered_run *run, size_t index,
                       bool named)
{
    const struct finding *finding = &run->report.findings[index];
    json_t *evidence = json_deep_copy(finding->evidence);
    if (!named)
        return report_add_finding(report, finding->kind, finding->pid, evidence, "%s",
                                  finding->message);
    const char *held = run->held != NULL ? run->held[index] : schedule_summary(run->schedule);
    const char *name = schedule_name(run->schedule);
    const char *advice = schedule_advice(run->schedule);
    if (evidence != NULL && json_object_set_new(evidence, "schedule",
                                                json_pack("{s:s, s:s, s:s}", "name", name, "held",
                                                          held, "advice", advice)) < 0) {
        json_decref(evidence);
        evidence = NULL;
    }
    return report_add_finding(report, finding->kind, finding->pid, evidence,
                              "With %s (schedule %s): %s. %s", held, name, finding->message,
                              advice);
}

int check_merge_schedules(struct report *report, const struct steered_run *runs, size_t count)
{
    /* Decide every key on the reports as they are, then change them. */
    bool *drop = calloc(report->finding_count + 1, sizeof(*drop));
    struct source **take = calloc(count + 1, sizeof(*take));
    int error = drop == NULL || take == NULL ? -ENOMEM : 0;
    for (size_t i = 0; i < report->finding_count && error == 0; i++) {
        const struct finding *finding = &report->findings[i];
        drop[i] =
            source_of(report, runs, count, finding->kind, program_of(report, finding->pid)).run >=
            0;
    }
    for (size_t r = 0; r < count && error == 0; r++) {
        const struct report *steered = &runs[r].report;
        take[r] = calloc(steered->finding_count + 1, sizeof(**take));
        if (take[r] == NULL) {
            error = -ENOMEM;
            break;
        }
        for (size_t i = 0; i < steered->finding_count; i++) {
            const struct finding *finding = &steered->findings[i];
            take[r][i] = runs[r].steered ? source_of(report, runs, count, finding->kind,
                                                     program_of(steered, finding->pid))
                                         : (struct source){-1, false};
        }
    }
    for (size_t i = report->finding_count; error == 0 && i-- > 0;)
        if (drop[i])
            report_remove_finding(report, i);
    for (size_t r = 0; r < count && error == 0; r++)
        for (size_t i = 0; i < runs[r].report.finding_count && error == 0; i++)
            if (take[r][i].run == (int)r)
                error = add_steered(report, &runs[r], i, take[r][i].named);
    for (size_t r = 0; take != NULL && r < count; r++)
        free(take[r]);
    free(take);
    free(drop);
    return error;
}
