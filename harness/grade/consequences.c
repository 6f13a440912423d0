/* What a hang costs, once: when the run timed out, the failures that only
 * follow from it (a child left unreaped because its parent was still
 * blocked, an output cut short, no exit code) are told apart from mistakes
 * of their own, and point to the hang's cause instead of their usual lesson,
 * which would send the student to the wrong fix. */
#include "grade/grade.h"

#include <string.h>

const struct finding *grade_timeout(const struct report *report)
{
    for (size_t i = 0; i < report->finding_count; i++)
        if (report->findings[i].kind == FINDING_TIMEOUT)
            return &report->findings[i];
    return NULL;
}

/* Whether process `pid` was still running when the harness ended the run. */
static bool stopped_at_the_end(const struct report *report, pid_t pid)
{
    for (size_t i = report->process_count; i-- > 0;) /* the newest, as pids are reused */
        if (report->processes[i].pid == pid)
            return report->processes[i].end == PROCESS_STOPPED_BY_HARNESS;
    return false;
}

bool grade_follows_from_timeout(const struct report *report, const struct finding *finding)
{
    const struct finding *timeout = grade_timeout(report);
    if (timeout == NULL || finding->kind != FINDING_ZOMBIE)
        return false;
    /* The hang's own cause can be this very zombie: a parent that polls
     * its ended child with kill(pid, 0) waits forever because it never
     * reaps (rules/causes.c, "unreaped_child"). That is no consequence. */
    const json_t *unreaped = json_object_get(timeout->evidence, "unreaped_child");
    if (unreaped != NULL && json_integer_value(json_object_get(unreaped, "pid")) == finding->pid)
        return false;
    /* A zombie finding's pid is the parent that did not reap. */
    return stopped_at_the_end(report, finding->pid);
}

bool grade_stopped_by_timeout(const struct report *report)
{
    return grade_timeout(report) != NULL && report->main_end == PROCESS_STOPPED_BY_HARNESS;
}

/* The check of the exercise that scores the timeout itself, or NULL. */
static const struct manifest_check *timeout_check(const struct manifest_pitfall *exercise)
{
    for (size_t i = 0; i < exercise->check_count; i++)
        if (exercise->checks[i].test == MANIFEST_TEST_NO_FINDING &&
            exercise->checks[i].kind == FINDING_TIMEOUT && exercise->checks[i].instance == NULL)
            return &exercise->checks[i];
    return NULL;
}

void grade_put_timeout_cause(const struct grade_result *result, FILE *why)
{
    const struct finding *timeout = grade_timeout(&result->report);
    if (timeout == NULL)
        return;
    const struct manifest_check *check = timeout_check(result->exercise);
    fputs("This follows from the timeout: the program hung and was stopped at its time limit. "
          "Fix the hang first (",
          why);
    if (check != NULL)
        fprintf(why, "check %s says where each process waited; ", check->id);
    else
        fprintf(why, "the timeout: %s; ", timeout->message);
    fprintf(why, "read %s).", timeout->lesson);
}

void grade_describe_timeout(const struct report *report, FILE *out)
{
    const struct finding *timeout = grade_timeout(report);
    if (timeout == NULL)
        return;
    json_int_t limit_ms = json_integer_value(json_object_get(timeout->evidence, "timeout_ms"));
    fprintf(out, "the program hung and was stopped at its time limit");
    if (limit_ms > 0)
        fprintf(out, " of %.1f s", limit_ms / 1000.0);
    fprintf(out, " (the cause: %s)", timeout->lesson);
}
