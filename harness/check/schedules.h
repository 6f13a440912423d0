/* The steered runs of a check (trace/steer/schedule.h): when they are worth
 * running, and how their findings join the natural run's report. */
#ifndef FORKLAB_CHECK_SCHEDULES_H
#define FORKLAB_CHECK_SCHEDULES_H

#include "core/report.h"
#include "trace/steer/schedule.h"
#include "trace/trace_run.h"

#include <stdbool.h>
#include <stddef.h>

/* One run of the target under a steered schedule: its report (findings and
 * process tree, rules applied), and for each finding what the run held
 * that concerns it. */
struct steered_run {
    enum schedule schedule;
    struct report report;
    char **held;  /* per finding of `report`: a sentence; NULL before described */
    bool steered; /* it held something; if not, it was one more natural run */
};

void steered_run_init(struct steered_run *run, enum schedule schedule);
void steered_run_free(struct steered_run *run);

/* Notes what the run held (its facts) for each of its findings: the hold
 * of the finding's process, or of its parent or child, else the first.
 * Returns 0 or -ENOMEM. */
int steered_run_describe(struct steered_run *run, const struct trace_run *facts);

/* Whether steered runs can show anything the natural run did not: it made
 * a second process, and it neither timed out nor hit the process limit
 * (every run would take as long again). */
bool check_worth_steering(const struct report *natural);
/* Whether a steered run ended like that: the runs after it are skipped. */
bool check_steering_ends(const struct report *steered);

/* Puts the findings of the steered runs into `report` (the natural run's).
 * A finding is keyed by its kind and its process's program. A key that
 * every steered run which held something shows does not depend on the
 * schedule: it stays as the natural run found it. Any other key is
 * reported as the first steered run found it, in a fixed order of the
 * schedules for each kind (the one made to force that kind's race first), with "schedule" in its
 * evidence and the schedule in its message: so a race is reported the same way whether or not the
 * natural run happened to show it. A key only the natural run shows stays as it is. Returns 0 or
 * -ENOMEM. */
int check_merge_schedules(struct report *report, const struct steered_run *runs, size_t count);

#endif
