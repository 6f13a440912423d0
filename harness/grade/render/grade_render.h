/* The formats of a grade (`forklab grade --format`): text for students, JSON
 * for scripts and `grade-all`, TAP and JUnit for CI, and Gradescope's
 * results.json. Each only reads a struct grade_result. */
#ifndef FORKLAB_GRADE_RENDER_H
#define FORKLAB_GRADE_RENDER_H

#include "grade/grade.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* PASS/FAIL per check with its reason, the compiler's messages and the
 * program's output; coloured when `out` is a terminal (and NO_COLOR unset). */
int grade_render_text(const struct grade_result *result, FILE *out);
/* The same, with colours forced on or off. */
int grade_render_text_styled(const struct grade_result *result, FILE *out, bool colour);
/* One JSON object; the schema is described at the top of grade/render/json.c. */
int grade_render_json(const struct grade_result *result, FILE *out);
/* The JSON document itself; NULL when out of memory. The caller owns it. */
json_t *grade_result_to_json(const struct grade_result *result);
/* TAP version 13: one test per check, YAML diagnostics for failures. */
int grade_render_tap(const struct grade_result *result, FILE *out);
/* JUnit XML: one <testcase> per check. */
int grade_render_junit(const struct grade_result *result, FILE *out);
/* Gradescope's results.json: one test per check, with the manifest's points;
 * a failed fd_leak or timeout check shows the run's descriptor view (in
 * Markdown, output_format "md"). */
int grade_render_gradescope(const struct grade_result *result, FILE *out);
/* One self-contained HTML page: the score and checks, then the run's report
 * with its tree, timeline and descriptor tables (render/html.h). */
int grade_render_html(const struct grade_result *result, FILE *out);

typedef int (*grade_renderer)(const struct grade_result *result, FILE *out);
/* The renderer called `name`, or NULL. */
grade_renderer grade_renderer_by_name(const char *name);
/* "text|json|tap|junit|gradescope|html". */
extern const char grade_format_names[];

/* ---- shared wording (grade/render/describe.c) ----------------------------- */

/* A check's display name: "no-zombie: no zombie finding". */
#define GRADE_CHECK_NAME_SIZE 160
const char *grade_check_name(const struct grade_result *result,
                             const struct grade_check_result *check,
                             char buffer[GRADE_CHECK_NAME_SIZE]);
/* The compile step: the command line, the compiler's messages, "compile: ok"
 * or "compile: FAILED". For a terminal (`visible`) every word is escaped and
 * the messages are behind the output gutter (render/output_lines.c), as all
 * text forklab did not write itself; otherwise they are as the compiler
 * wrote them. */
void grade_put_compile(const struct grade_result *result, FILE *out, bool visible);
/* One line on the run: "run: exit 0 after 52 ms, 1 finding"; for a shell
 * exercise, one line per session that ran. */
void grade_put_run(const struct grade_result *result, FILE *out);
/* For a shell exercise, each session that lost points as a student can
 * replay it: its files, the script the shell read, and what the shell wrote
 * (made visible, behind the output gutter, when `visible`: for a terminal). */
void grade_put_sessions(const struct grade_result *result, FILE *out, bool visible);

/* ---- the test-suite formats (grade/render/grade_suite.c) ------------------ */

struct test_suite;
/* A grade as a test suite (render/suite/test_suite.h) for TAP, JUnit and
 * Gradescope: one case per check. Returns 0 or -ENOMEM (the suite is then
 * freed). The suite points into `result`, which must outlive it. */
int grade_result_to_test_suite(const struct grade_result *result, struct test_suite *suite);

#endif
