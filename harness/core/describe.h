/* The words every layer shares for what a run did: signal names, how a
 * process ended, why a kind has no result. The rules, the grader and every
 * renderer say these things the same way because they say them from here. */
#ifndef FORKLAB_DESCRIBE_H
#define FORKLAB_DESCRIBE_H

#include "core/report.h"

#include <stdbool.h>
#include <stddef.h>

#define SIGNAL_NAME_SIZE 24
/* "SIGSEGV", "SIGRTMIN+3", or "signal 99" for a number without a name;
 * written to `buffer`, which is returned. */
const char *signal_name(int signo, char buffer[SIGNAL_NAME_SIZE]);

#define PROCESS_END_SIZE 64
/* How a process ended, in a few words: "exit 3", "killed by SIGSEGV (core
 * dumped)", "stopped by forklab", "still running". Written to `buffer`,
 * which is returned. */
const char *process_end_describe(enum process_end end, int code, bool core_dumped,
                                 char buffer[PROCESS_END_SIZE]);
/* Whether the main process dumped core (from its process record). */
bool report_main_core_dumped(const struct report *report);
/* How the main process of a report ended, as process_end_describe says it. */
const char *report_main_end_describe(const struct report *report, char buffer[PROCESS_END_SIZE]);
/* Why a kind has no result: "not run (use --valgrind)" for memory_leak,
 * "not run" for another kind the checks did not cover. */
const char *finding_kind_skip_reason(enum finding_kind kind);

#define FACTS_LOST_SIZE 128
/* What a run that lost facts (report.facts_lost > 0) must say wherever it is
 * shown: "incomplete: 2 facts of this run could not be recorded (out of
 * memory); the findings may miss something". Written to `buffer`, which is
 * returned. */
const char *facts_lost_describe(size_t facts_lost, char buffer[FACTS_LOST_SIZE]);
/* When an event happened, for people: "t=0.3 ms", "t=2.000 s", "t=?". */
void event_time_describe(long at_us, char *text, size_t size);

#endif
