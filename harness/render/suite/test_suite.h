/* The test-suite record behind the TAP, JUnit and Gradescope formats: cases
 * with a name, a result, points, a message and an explanation, and the run's
 * output. A check report (render/suite/check_suite.c) and a grade
 * (grade/render/grade_suite.c) each adapt to it and decide everything in it;
 * the three renderers only write it out, each in one way. */
#ifndef FORKLAB_TEST_SUITE_H
#define FORKLAB_TEST_SUITE_H

#include "core/report.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum test_case_result { TEST_CASE_PASSED, TEST_CASE_FAILED, TEST_CASE_SKIPPED };

struct test_case {
    char *name; /* "zombie", "no-zombie: no zombie finding" */
    char *id;   /* a short name for machines (JUnit's failure type): "zombie", "no-zombie" */
    enum test_case_result result;
    int score, max_score; /* the points it earned and was worth (0 and 0: worth nothing) */
    /* One line on the result: the failure ("1 zombie finding", "0 of 4
     * points") or why it was skipped ("not run (use --valgrind)"). */
    char *message;
    char *detail; /* the explanation for a person, lines of text */
    /* The detail with the picture of the run that explains it (the
     * descriptor view, render/fds_markdown.c), in Markdown, for a format that
     * shows Markdown (Gradescope's "md"); NULL: the detail alone, as text. */
    char *markdown;
    json_t *diagnostics; /* a failure's data for TAP's YAML block, or NULL */
};

struct test_property {
    char *name, *value;
};

struct test_suite {
    char *name;      /* "forklab check true", "forklab grade 03-zombies" */
    char *classname; /* every case's JUnit classname: "forklab.check" */
    struct test_case *cases;
    size_t case_count;
    bool points_in_names; /* TAP adds "(3/4 points)" to each case's line */
    int score;            /* the sum of the cases' scores, as the adapter counted it */
    long duration_ms;
    struct test_property *properties; /* JUnit's <properties>, in order */
    size_t property_count;
    char *overview; /* what ran and how it ended, for Gradescope's "output" */
    char *summary;  /* one line that closes the TAP: "score 6/8: ..." */
    /* The messages of a step before the run (the compiler's), which JUnit
     * puts before the program's stderr; NULL when there were none. */
    const char *log;
    size_t log_length;
    /* What the program wrote; NULL when it did not run. */
    const struct captured_output *out, *err;
    size_t facts_lost; /* the run's lost facts: nonzero, every format says "incomplete" */
};

/* An empty suite, ready for test_suite_add_case and test_suite_add_property. */
void test_suite_init(struct test_suite *suite);
void test_suite_free(struct test_suite *suite);
/* Appends a case (all its strings empty, no diagnostics) and returns it, or
 * NULL when out of memory. */
struct test_case *test_suite_add_case(struct test_suite *suite, const char *name, const char *id,
                                      enum test_case_result result);
/* Appends a JUnit property (both strings copied). Returns 0 or -ENOMEM. */
int test_suite_add_property(struct test_suite *suite, const char *name, const char *value);
/* A string made with printf, for the record's fields; NULL when out of
 * memory. (An adapter checks only the end result: test_suite_complete.) */
char *test_suite_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* Whether every field the renderers read was built (no allocation failed). */
bool test_suite_complete(const struct test_suite *suite);

/* TAP version 13: one test line per case, YAML diagnostics for a failure. */
int test_suite_render_tap(const struct test_suite *suite, FILE *out);
/* JUnit XML: one <testsuite>, one <testcase> per case. */
int test_suite_render_junit(const struct test_suite *suite, FILE *out);
/* Gradescope's results.json: one test per case, the suite's score. */
int test_suite_render_gradescope(const struct test_suite *suite, FILE *out);

/* A check report as a test suite: one case per finding kind, worth a point,
 * passed when the run shows none of that kind. Returns 0 or -ENOMEM (the
 * suite is then freed). The suite points into `report`, which must outlive
 * it. */
int check_report_to_test_suite(const struct report *report, struct test_suite *suite);

#endif
