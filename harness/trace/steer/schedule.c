/* The names and the words of the schedules and of what a steered run did. */
#include "trace/steer/schedule.h"

#include <stdio.h>

static const struct {
    const char *name, *summary, *advice;
} schedules[SCHEDULE_COUNT] = {
    [SCHEDULE_NATURAL] = {"natural", "nothing held", ""},
    [SCHEDULE_SIGCHLD_HELD] = {"sigchld_held", "a parent's SIGCHLD held while more children exit",
                               "One SIGCHLD may stand for several exits: reap in a loop, "
                               "waitpid(-1, &status, WNOHANG) until it returns 0."},
    [SCHEDULE_CHILD_FIRST] = {"child_first",
                              "after each fork, the child runs to its end before the parent",
                              "A child may end before its parent runs the line after fork(): set "
                              "up what the child's end needs (handlers, records) before the fork."},
    [SCHEDULE_PARENT_FIRST] = {"parent_first",
                               "after each fork, the parent runs until it waits before the child",
                               "A parent may run on, and exit, before its child starts: wait for "
                               "the child (waitpid), never for a time (sleep)."},
    [SCHEDULE_READER_LATE] = {"reader_late",
                              "a program reading a pipe starts once the writers wait",
                              "A pipe's reader may start late: a writer fills the pipe and "
                              "blocks until someone reads."},
    [SCHEDULE_EXIT_LAST] = {"exit_last",
                            "after each fork, the parent runs until it waits or exits, and it "
                            "exits only after its children",
                            "Children may all end before their parent exits: wait for each one "
                            "before you return."},
};

const char *schedule_name(enum schedule schedule)
{
    return (size_t)schedule < SCHEDULE_COUNT ? schedules[schedule].name : "unknown";
}

const char *schedule_summary(enum schedule schedule)
{
    return (size_t)schedule < SCHEDULE_COUNT ? schedules[schedule].summary : "unknown";
}

const char *schedule_advice(enum schedule schedule)
{
    return (size_t)schedule < SCHEDULE_COUNT ? schedules[schedule].advice : "";
}

/* How the hold ended, after "until ": what it waited for, or why not. */
static const char *until_text(const struct steering_fact *fact, const char *done,
                              const char *others_wait, char *text, size_t size)
{
    switch (fact->end) {
    case HOLD_END_DONE:
        return done;
    case HOLD_END_OTHERS_WAIT:
        return others_wait;
    case HOLD_END_TIME:
        snprintf(text, size, "%s (it was released after the longest hold)", others_wait);
        return text;
    case HOLD_END_RUN_ENDED:
        return "the run ended";
    }
    return done;
}

void steering_fact_describe(const struct steering_fact *fact, char *text, size_t size)
{
    const char *program = fact->program ? fact->program : "?";
    const char *other = fact->other_program ? fact->other_program : "?";
    char until[160];
    switch (fact->kind) {
    case HOLD_SIGCHLD: {
        char exited[64], waited[96];
        snprintf(exited, sizeof(exited), "%s%u of its children had exited",
                 fact->all_exited ? "all " : "", fact->children_exited);
        snprintf(waited, sizeof(waited), "%u of its children had exited and the others waited",
                 fact->children_exited);
        /* One delivery, whether the held signal or one pending then. */
        snprintf(
            text, size, "SIGCHLD held in pid %d (%s) until %s, then delivered once", (int)fact->pid,
            program,
            until_text(fact, fact->all_exited ? exited : waited, waited, until, sizeof(until)));
        break;
    }
    case HOLD_AFTER_FORK:
        snprintf(
            text, size, "pid %d (%s) held after it forked pid %d (%s) until %s", (int)fact->pid,
            program, (int)fact->other, other,
            until_text(fact, "the child had exited", "the child waited", until, sizeof(until)));
        break;
    case HOLD_NEW_CHILD:
        snprintf(
            text, size,
            "pid %d (%s) held before its first instruction while its parent pid %d (%s) "
            "ran, until %s",
            (int)fact->pid, program, (int)fact->other, other,
            until_text(fact, "the parent had exited", "the parent waited", until, sizeof(until)));
        break;
    case HOLD_READER:
        snprintf(text, size, "pid %d (%s), reading a pipe on stdin, held at its start until %s",
                 (int)fact->pid, program,
                 until_text(fact, "the pipe's writers waited", "the pipe's writers waited", until,
                            sizeof(until)));
        break;
    case HOLD_EXIT_LAST:
        snprintf(text, size, "pid %d (%s) held at its exit until %s", (int)fact->pid, program,
                 until_text(fact,
                            fact->all_exited ? "its children had ended" : "its children waited",
                            "its children had ended or waited", until, sizeof(until)));
        break;
    }
}
