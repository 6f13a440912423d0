/* What a finding is, before any report holds it: its kind (the names of the
 * `forklab check` contract) and the cause a rule proved (its reason), each a
 * closed enum with one table of names, so a misspelt name cannot compile. */
#ifndef FORKLAB_FINDING_H
#define FORKLAB_FINDING_H

#include <jansson.h>

/* The finding kinds of the `forklab check` contract, with these exact names. */
enum finding_kind {
    FINDING_ZOMBIE,
    FINDING_FD_LEAK,
    FINDING_BAD_CLOSE,
    FINDING_NESTED_FORK,
    FINDING_RUNAWAY_CHILD,
    FINDING_PROCESS_LIMIT,
    FINDING_TIMEOUT,
    FINDING_CRASH,
    FINDING_MEMORY_LEAK,
    FINDING_KIND_COUNT
};

/* "zombie", "fd_leak", ...; NULL for a value out of range. */
const char *finding_kind_name(enum finding_kind kind);
/* The lesson that explains a kind, e.g. "lessons/03-zombies.md": its usual
 * cause. A finding carries its own lesson, chosen from its reason. */
const char *finding_kind_lesson(enum finding_kind kind);
/* Parses a kind name; returns -1 when the name is not a kind. */
int finding_kind_from_name(const char *name);

/* The cause a rule proved, when a kind has several. It is written into the
 * evidence as "reason" and chooses the lesson (core/lesson_choice.c). */
enum finding_reason {
    REASON_NONE, /* the kind's usual cause, nothing more proved */
    /* runaway_child */
    REASON_EXEC_FAILED, /* its exec failed and it ran on as its parent */
    REASON_ORPHAN,      /* it outlived the main program */
    /* timeout */
    REASON_FORK_WITH_THREADS, /* a child of a threaded parent stuck on a copied lock */
    REASON_PIPE_CYCLE,        /* processes blocked on each other's pipes */
    REASON_SIGNAL_BLOCKED,    /* sent a signal it blocks */
    REASON_SIGNAL_IGNORED,    /* sent a signal it ignores */
    REASON_UNREAPED_CHILD,    /* polls a child that ended and was never reaped */
    REASON_COUNT
};

/* "exec_failed", "orphan", ...; NULL for REASON_NONE or out of range. */
const char *finding_reason_name(enum finding_reason reason);
/* The reason named in an evidence object's "reason" (REASON_NONE when it
 * has none, or one that is not a reason). */
enum finding_reason finding_reason_of(const json_t *evidence);
/* Writes "reason" into an evidence object. Returns 0 or -ENOMEM. */
int evidence_set_reason(json_t *evidence, enum finding_reason reason);

#endif
