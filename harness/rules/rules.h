/* The rules: each reads the facts of a finished run (struct trace_run) and
 * adds its findings to the report. Rules never print and never touch a
 * process; everything they need was recorded by the tracer. */
#ifndef FORKLAB_RULES_H
#define FORKLAB_RULES_H

#include "core/report.h"
#include "trace/trace_run.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* What the rules are told besides the facts: choices of the command line. */
struct rule_options {
    const int *allowed_fds; /* descriptors passed on purpose: never an fd_leak */
    size_t allowed_fd_count;
};

struct rule_input {
    const struct trace_run *run;
    const struct rule_options *options;
};

/* Runs every rule below. Returns 0 or -ENOMEM. */
int rules_apply(const struct rule_input *input, struct report *report);

int rule_zombie(const struct rule_input *input, struct report *report);
int rule_fd_leak(const struct rule_input *input, struct report *report);
int rule_bad_close(const struct rule_input *input, struct report *report);
int rule_nested_fork(const struct rule_input *input, struct report *report);
int rule_runaway_child(const struct rule_input *input, struct report *report);
int rule_process_limit(const struct rule_input *input, struct report *report);
int rule_timeout(const struct rule_input *input, struct report *report);
int rule_crash(const struct rule_input *input, struct report *report);

/* Causes of a hang or of an orphan that the facts prove (rules/causes.c).
 * Each adds its fields to `evidence`; the reason found chooses the lesson
 * (core/lesson_choice.c). */

/* Why the run timed out, when the facts show more than what each process
 * waited on: a child of a threaded parent stuck on a lock, a cycle of pipes,
 * a signal not heeded. Adds the cause's fields (every cause found gets its
 * fields; the message explains the first) and writes the sentence into
 * `text`. Returns the first cause's reason (the caller writes it into the
 * evidence), or REASON_NONE when none applies. */
enum finding_reason cause_of_hang(const struct trace_run *run, json_t *evidence, char *text,
                                  size_t size);
/* Whether a process still running was sent a signal that would end it but
 * that it blocks or ignores: then adds "signal" to `evidence`, writes the
 * sentence without its subject into `text` ("was sent SIGTERM and runs on:
 * ..."), and returns true. */
bool cause_signal(const struct traced_process *process, json_t *evidence, char *text, size_t size);

/* Helpers shared by the rules (rules/rules.c). */

/* The program a process runs (or ran last), "?" when unknown. */
const char *rule_program(const struct traced_process *process);
/* The process record of `pid` in the run, or NULL. */
const struct traced_process *rule_find(const struct trace_run *run, pid_t pid);
/* {"pid": N, "program": "..."} */
json_t *rule_process_json(const struct traced_process *process);
/* "pid 12 (./prog)" into `text`. */
const char *rule_describe(const struct traced_process *process, char *text, size_t size);
/* Whether a program is a shell, whose subshells fork by design. */
bool rule_is_shell(const char *program);
/* Whether a program is a shell or a language interpreter (python3.11,
 * perl, node, ...): its runtime, not the script, owns some descriptors. */
bool rule_is_interpreter(const char *program);
/* Whether the process is one the rules judge: a process (not a thread). */
bool rule_is_process(const struct traced_process *process);

#endif
