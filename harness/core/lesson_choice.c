/* The one place where a finding's reason chooses its lesson. The rules
 * write what they proved into the evidence (its "reason" and the fields that
 * go with it); this reads only that, so the lesson a student is sent to
 * always follows the evidence printed next to it, whatever renders it. */
#include "core/lesson_choice.h"

#define LESSON_THREADS    "lessons/06-fork-with-threads.md"
#define LESSON_PIPE_CYCLE "lessons/08-pipe-deadlock.md"
#define LESSON_STALE_PIDS "lessons/09-stale-pids.md"
#define LESSON_SIGNALS    "lessons/12-inherited-signals.md"
#define LESSON_ORPHANS    "lessons/13-orphans.md"

/* A timeout is only a symptom: the program waited for something that never
 * came. Without a proven cause the usual one is a pipe whose write end stays
 * open somewhere (lesson 04); rule_timeout sets "reason" when it saw more. */
static const char *timeout_lesson(enum finding_reason reason)
{
    /* A child forked from a threaded parent, never exec'd, waiting in futex:
     * a lock copied locked, whose owner thread was not copied. */
    if (reason == REASON_FORK_WITH_THREADS)
        return LESSON_THREADS;
    /* Processes each blocked on a pipe only the next one can unblock: no
     * descriptor leaks, the order of reads and writes is wrong. */
    if (reason == REASON_PIPE_CYCLE)
        return LESSON_PIPE_CYCLE;
    /* A process was sent a signal it blocks or ignores, and runs on: the
     * mask and SIG_IGN cross fork and exec. */
    if (reason == REASON_SIGNAL_BLOCKED || reason == REASON_SIGNAL_IGNORED)
        return LESSON_SIGNALS;
    /* A process waits for a child that ended, but not with wait(): it asks
     * whether the pid exists, which a zombie's does (and a reaped one's may
     * again, for another process). */
    if (reason == REASON_UNREAPED_CHILD)
        return LESSON_STALE_PIDS;
    return finding_kind_lesson(FINDING_TIMEOUT);
}

/* A runaway child either failed its exec and ran on as its parent (lesson
 * 02, the kind's own), or outlived the main program (an orphan, lesson 13).
 * An orphan that was sent a signal it blocks or ignores was meant to stop:
 * why it did not is lesson 12's subject. */
static const char *runaway_lesson(enum finding_reason reason, const json_t *evidence)
{
    if (reason != REASON_ORPHAN)
        return finding_kind_lesson(FINDING_RUNAWAY_CHILD);
    if (json_object_get(evidence, "signal") != NULL)
        return LESSON_SIGNALS;
    return LESSON_ORPHANS;
}

const char *lesson_choose(enum finding_kind kind, enum finding_reason reason,
                          const json_t *evidence)
{
    switch (kind) {
    case FINDING_TIMEOUT:
        return timeout_lesson(reason);
    case FINDING_RUNAWAY_CHILD:
        return runaway_lesson(reason, evidence);
    default:
        return finding_kind_lesson(kind);
    }
}
