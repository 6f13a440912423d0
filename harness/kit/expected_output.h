/* What an exercise expects its program to print, as the manifest says it
 * (fixed.stdout, fixed.stdout_lines, fixed.stdout_patterns): line by line,
 * in order or in any order, each line as written or matched by a pattern. */
#ifndef FORKLAB_EXPECTED_OUTPUT_H
#define FORKLAB_EXPECTED_OUTPUT_H

#include "kit/manifest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum output_verdict {
    OUTPUT_MATCHES,
    /* Each line is right, but lines are missing at the end (in any order:
     * some are missing): what a program stopped before its end prints. */
    OUTPUT_INCOMPLETE,
    OUTPUT_DIFFERS,
};

/* An expected text: its name in messages ("stdout", "out.txt") and its
 * lines, in order or in any order, each as written or matched by a pattern. */
struct output_expectation {
    const char *what;
    const char *text;
    size_t length;
    enum manifest_line_order order;
    char *const *patterns; /* one per line; NULL: the lines as written */
    size_t pattern_count;
};

/* What an exercise expects on stdout (fixed.stdout and its rules). */
struct output_expectation expected_stdout_of(const struct manifest_pitfall *pitfall);

/* Compares `output` (`length` bytes) with `expected`. When `why` is not
 * NULL it gets the verdict in words, as expected_output_compare's. */
enum output_verdict expected_text_compare(const struct output_expectation *expected,
                                          const char *output, size_t length, FILE *why);

/* Compares `output` (`length` bytes) with what `pitfall` expects on stdout.
 * When `why` is not NULL it gets the verdict in words: that the output is
 * as expected, or the first line that differs with both sides quoted, and
 * whether the order of lines was graded. */
enum output_verdict expected_output_compare(const struct manifest_pitfall *pitfall,
                                            const char *output, size_t length, FILE *why);

/* Checks what the manifest loader cannot check field by field: each pattern
 * compiles, there is one per line of fixed.stdout, and each matches its own
 * line, so that the fixed program's output passes. Returns 0 or -EINVAL
 * with a reason in `why`. */
int expected_output_validate(const struct manifest_pitfall *pitfall, char *why, size_t why_size);

#endif
