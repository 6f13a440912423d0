/* The tables behind core/finding.h: every kind's and reason's name, and
 * each kind's usual lesson. */
#include "core/finding.h"

#include <errno.h>
#include <string.h>

static const struct {
    const char *name;
    const char *lesson;
} kinds[FINDING_KIND_COUNT] = {
    [FINDING_ZOMBIE] = {"zombie", "lessons/03-zombies.md"},
    [FINDING_FD_LEAK] = {"fd_leak", "lessons/04-leaked-fds.md"},
    [FINDING_BAD_CLOSE] = {"bad_close", "lessons/05-bad-close.md"},
    [FINDING_NESTED_FORK] = {"nested_fork", "lessons/01-nested-forks.md"},
    [FINDING_RUNAWAY_CHILD] = {"runaway_child", "lessons/02-runaway-children.md"},
    [FINDING_PROCESS_LIMIT] = {"process_limit", "lessons/01-nested-forks.md"},
    [FINDING_TIMEOUT] = {"timeout", "lessons/04-leaked-fds.md"},
    [FINDING_CRASH] = {"crash", "lessons/00-basics.md"},
    [FINDING_MEMORY_LEAK] = {"memory_leak", "lessons/00-basics.md"},
};

static const char *const reasons[REASON_COUNT] = {
    [REASON_NONE] = NULL,
    [REASON_EXEC_FAILED] = "exec_failed",
    [REASON_ORPHAN] = "orphan",
    [REASON_FORK_WITH_THREADS] = "fork_with_threads",
    [REASON_PIPE_CYCLE] = "pipe_cycle",
    [REASON_SIGNAL_BLOCKED] = "signal_blocked",
    [REASON_SIGNAL_IGNORED] = "signal_ignored",
    [REASON_UNREAPED_CHILD] = "unreaped_child",
};

const char *finding_kind_name(enum finding_kind kind)
{
    return (unsigned)kind < FINDING_KIND_COUNT ? kinds[kind].name : NULL;
}

const char *finding_kind_lesson(enum finding_kind kind)
{
    return (unsigned)kind < FINDING_KIND_COUNT ? kinds[kind].lesson : NULL;
}

int finding_kind_from_name(const char *name)
{
    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++)
        if (strcmp(kinds[kind].name, name) == 0)
            return kind;
    return -1;
}

const char *finding_reason_name(enum finding_reason reason)
{
    return (unsigned)reason < REASON_COUNT ? reasons[reason] : NULL;
}

enum finding_reason finding_reason_of(const json_t *evidence)
{
    const char *name = json_string_value(json_object_get(evidence, "reason"));
    for (int reason = REASON_NONE + 1; name != NULL && reason < REASON_COUNT; reason++)
        if (strcmp(reasons[reason], name) == 0)
            return reason;
    return REASON_NONE;
}

int evidence_set_reason(json_t *evidence, enum finding_reason reason)
{
    const char *name = finding_reason_name(reason);
    if (evidence == NULL || name == NULL)
        return -EINVAL;
    return json_object_set_new(evidence, "reason", json_string(name)) == 0 ? 0 : -ENOMEM;
}
