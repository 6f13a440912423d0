/* Helpers shared by the harness tests: run a program under check_run, the
 * set of finding kinds a report has, and the check that nothing a run
 * started is still alive. */
#ifndef FORKLAB_HARNESS_TEST_H
#define FORKLAB_HARNESS_TEST_H

#include "check/check.h"
#include "core/report.h"

#include <jansson.h>
#include <stdbool.h>

#define FIXTURE(name) FORKLAB_PLAIN_DIR "/fixtures/" name

/* A set of finding kinds, one bit per enum finding_kind. */
typedef unsigned kind_set;
#define KIND(kind) (1U << (kind))
#define NO_KINDS   0U

/* Runs argv (NULL-terminated) with the options' other fields as given (argv
 * is overwritten) and asserts that check_run returned 0. */
void run_check(struct check_options *options, char *const *argv, struct report *report);

/* The same with default options and a timeout. */
void run_program(char *const *argv, long timeout_ms, struct report *report);

kind_set kinds_of(const struct report *report);

/* "zombie, fd_leak" for messages. */
const char *kinds_text(kind_set kinds, char *text, size_t size);

/* A FIFO that every process of a fixture holds open for writing (its path
 * is the fixture's argument), and our read end, opened first and
 * non-blocking so that their open does not wait. Once all of them are gone
 * a read says end of file; while one lives, EAGAIN. */
struct holder_probe {
    char dir[64], path[96];
    int read_fd;
};
void holder_probe_open(struct holder_probe *probe);
/* Reads what the holders wrote into `text` (NUL-terminated), and returns
 * whether every one of them is gone. */
bool holder_probe_all_gone(struct holder_probe *probe, char *text, size_t size);
void holder_probe_close(struct holder_probe *probe);

/* Asserts no process of the run exists any more: none in its session or
 * process group, and no descendant of this test process. */
void assert_nothing_left(const struct report *report);

/* Runs argv `runs` times: each run must find exactly `expected` and leave
 * nothing behind. */
void assert_verdict_stable(char *const *argv, long timeout_ms, kind_set expected, int runs);

/* The first finding of a kind, or NULL. */
const struct finding *find_kind(const struct report *report, enum finding_kind kind);

/* Whether the evidence (as compact JSON) contains `text`. */
bool evidence_contains(const struct finding *finding, const char *text);

/* How many times each fixture runs in the stability tests. */
#define STABILITY_RUNS 10

/* The report as `forklab check --format json` prints it (render_json),
 * parsed back with jansson as a grader would read it (asserts it is JSON);
 * the caller json_decrefs it. */
json_t *rendered_json(const struct report *report);

#endif
