/* Renderers: each turns one finished report record into one output format.
 * They only show what the record says; every decision was made before them.
 * Each returns 0, or a negative errno: -EIO when the output could not be
 * written, -ENOMEM. */
#ifndef FORKLAB_RENDER_H
#define FORKLAB_RENDER_H

#include "core/describe.h"
#include "core/report.h"
#include "core/write/utf8.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* For people: the process tree, each finding with its lesson, a summary.
 * Colours only when `out` is a terminal and NO_COLOR is unset or empty. */
int render_text(const struct report *report, FILE *out);
/* The same, with colours forced on or off (tests, and callers that know). */
int render_text_styled(const struct report *report, FILE *out, bool colour);
/* Whether text written to `out` should be coloured (https://no-color.org). */
bool render_wants_colour(FILE *out);

/* When the text report shows the descriptor view. */
enum fds_view { FDS_VIEW_AUTO, FDS_VIEW_ALWAYS, FDS_VIEW_NEVER };
struct text_options {
    bool colour;
    enum fds_view fds; /* AUTO: when render_fds_wanted() */
};
/* The text report, as the options say. */
int render_text_with(const struct report *report, FILE *out, const struct text_options *options);

/* The descriptor view (render/fds_text.c): every process's descriptor table
 * after each exec, at exit and at the timeout, each pipe a column joining
 * the rows that hold it, the end a blocked process waits on marked. */
int render_fds_text(const struct report *report, FILE *out, bool colour);
/* Whether the view is shown by default: a timeout or an fd_leak finding,
 * the pitfalls it explains. */
bool render_fds_wanted(const struct report *report);
/* A test's `detail` followed by the run's descriptor view, as Markdown with
 * every text in a fenced block (render/fds_markdown.c); NULL when out of
 * memory. The caller frees it. */
char *fds_markdown(const char *detail, const struct report *report);

/* One JSON object; the schema is described at the top of render/json.c. */
int render_json(const struct report *report, FILE *out);
/* The JSON document itself, for callers that embed or inspect it; NULL when
 * out of memory. The caller owns the reference. */
json_t *report_to_json(const struct report *report);

/* The test-suite formats (render/suite/test_suite.h), one case per finding kind
 * worth a point (render/suite/check_suite.c): TAP version 13 with YAML diagnostics
 * for failures, JUnit XML, Gradescope's results.json. */
int render_tap(const struct report *report, FILE *out);
int render_junit(const struct report *report, FILE *out);
int render_gradescope(const struct report *report, FILE *out);
/* Graphviz: the process tree as a digraph, processes with findings in red. */
int render_dot(const struct report *report, FILE *out);
/* One self-contained HTML page: the tree and timeline as SVG, the findings
 * linked to the processes and tables they name, every descriptor table, the
 * output (render/html.c; its parts in render/html.h). */
int render_html(const struct report *report, FILE *out);

/* The formats by name, for --format. */
typedef int (*renderer)(const struct report *report, FILE *out);
/* The renderer called `name` ("text", "json", ...), or NULL. */
renderer renderer_by_name(const char *name);
/* "text|json|tap|junit|gradescope|dot|html", for help and error messages. */
extern const char render_format_names[];

/* For each process record, the index of its parent's record, or -1 for a
 * root (the main process, or one whose parent is not in the record). The
 * parent is the latest earlier record with the parent's pid, so a reused pid
 * never makes a loop; threads are neither parents nor children. NULL when
 * out of memory; the caller frees it. (render/process_tree.c) */
long *process_parent_indexes(const struct report *report);

/* ---- program output for people (render/output_lines.c) ------------------ */

/* In front of every line a program wrote, in every text format: no line
 * behind it can pass for one of forklab's. */
#define OUTPUT_GUTTER "  | "
/* A longer output shows its first and last OUTPUT_LINES_SHOWN / 2 lines. */
#define OUTPUT_LINES_SHOWN      20
#define OUTPUT_LINE_BYTES_SHOWN 200

/* Writes `length` bytes a program wrote, each line behind OUTPUT_GUTTER and
 * made visible (core/write/visible_text.h), each cut at OUTPUT_LINE_BYTES_SHOWN
 * bytes, the middle of a long output left out with a note between `dim` and
 * `reset` (colour codes, or ""). Nothing for NULL data. */
void render_put_output_lines(FILE *out, const char *data, size_t length, const char *dim,
                             const char *reset);
/* Writes text made visible, at most `limit` bytes of it (never half a UTF-8
 * character), then how many more bytes there were. */
void render_put_cut(FILE *out, const char *text, size_t length, size_t limit);

#endif
