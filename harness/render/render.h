/* Renderers: each turns one finished report record into one output format.
 * They only show what the record says; every decision was made before them.
 * Each returns 0, or a negative errno: -EIO when the output could not be
 * written, -ENOMEM. */
#ifndef FORKLAB_RENDER_H
#define FORKLAB_RENDER_H

#include "core/describe.h"
#include "core/report.h"

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

/* One JSON object; the schema is described at the top of render/json.c. */
int render_json(const struct report *report, FILE *out);
/* The JSON document itself, for callers that embed or inspect it; NULL when
 * out of memory. The caller owns the reference. */
json_t *report_to_json(const struct report *report);

/* TAP version 13: one test per finding kind, YAML diagnostics for failures. */
int render_tap(const struct report *report, FILE *out);
/* JUnit XML: one <testsuite>, one <testcase> per finding kind. */
int render_junit(const struct report *report, FILE *out);
/* Gradescope's results.json: one test (1 point) per finding kind. */
int render_gradescope(const struct report *report, FILE *out);
/* Graphviz: the process tree as a digraph, processes with findings in red. */
int render_dot(const struct report *report, FILE *out);

/* The formats by name, for --format. */
typedef int (*renderer)(const struct report *report, FILE *out);
/* The renderer called `name` ("text", "json", ...), or NULL. */
renderer renderer_by_name(const char *name);
/* "text|json|tap|junit|gradescope|dot", for help and error messages. */
extern const char render_format_names[];

/* For each process record, the index of its parent's record, or -1 for a
 * root (the main process, or one whose parent is not in the record). The
 * parent is the latest earlier record with the parent's pid, so a reused pid
 * never makes a loop; threads are neither parents nor children. NULL when
 * out of memory; the caller frees it. (render/process_tree.c) */
long *process_parent_indexes(const struct report *report);

/* ---- text made safe for formats that need valid characters (render/utf8.c) */

#define UTF8_INVALID (-1L)
/* Decodes one UTF-8 character from `bytes` (at most `length` bytes, > 0) and
 * sets *size to the bytes it used. A malformed, overlong, surrogate or cut
 * sequence yields UTF8_INVALID with *size 1, so callers replace one byte and
 * go on. */
long utf8_decode(const char *bytes, size_t length, size_t *size);
/* A copy of `bytes` that is valid UTF-8: each bad byte becomes U+FFFD. The
 * copy is NUL-terminated (it may hold NULs too), its length is stored in
 * *repaired_length; NULL when out of memory. The caller frees it. */
char *utf8_repair(const char *bytes, size_t length, size_t *repaired_length);

/* ---- YAML for TAP diagnostics (render/yaml.c) ---------------------------- */

/* Writes a JSON object as a YAML block mapping, `indent` spaces deep, in the
 * subset of YAML that both TAP::Parser's YAMLish reader and full YAML parsers
 * read: block mappings and sequences, double-quoted strings. */
void yaml_write_mapping(FILE *out, const json_t *object, int indent);

#endif
