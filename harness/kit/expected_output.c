/* Compares a program's stdout with the manifest's expectation one line at a
 * time. In any order, the lines are matched with the expected ones as a
 * bipartite matching (Kuhn's augmenting paths), so a line that two patterns
 * accept never hides a missing one; the matrix stays small because the
 * expected output is a few lines and a very different output is refused by
 * its line count first. */
#include "kit/expected_output.h"

#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A quoted line shows at most this much of it. */
#define QUOTED_LINE_BYTES 100
/* In any order, an output with more lines than this (or than four times
 * the expected count) is not matched line by line: its count says enough. */
#define UNORDERED_LINES_MAX 4096

struct line {
    const char *text;
    size_t length; /* without its newline */
    bool newline;  /* it ends with one (every line but maybe the last) */
};

struct lines {
    struct line *items;
    size_t count;
};

static int split_lines(const char *text, size_t length, struct lines *lines)
{
    size_t count = 0;
    for (size_t i = 0; i < length; i++)
        count += text[i] == '\n';
    count += length > 0 && text[length - 1] != '\n';
    lines->count = 0;
    lines->items = calloc(count > 0 ? count : 1, sizeof(*lines->items));
    if (lines->items == NULL)
        return -ENOMEM;
    const char *at = text, *end = text + length;
    while (at < end) {
        const char *newline = memchr(at, '\n', (size_t)(end - at));
        const char *stop = newline != NULL ? newline : end;
        lines->items[lines->count++] =
            (struct line){.text = at, .length = (size_t)(stop - at), .newline = newline != NULL};
        at = newline != NULL ? newline + 1 : end;
    }
    return 0;
}

/* The expected lines, and their patterns compiled (NULL: compare as written). */
struct expectation {
    const struct output_expectation *expected;
    struct lines lines;
    regex_t *patterns;
    size_t compiled;
};

/* A pattern matches a whole line: it is anchored at both ends. */
static int compile_pattern(const char *pattern, regex_t *compiled)
{
    char *anchored;
    if (asprintf(&anchored, "^(%s)$", pattern) < 0)
        return -ENOMEM;
    int error = regcomp(compiled, anchored, REG_EXTENDED | REG_NOSUB);
    free(anchored);
    return error == 0 ? 0 : -EINVAL;
}

static void expectation_free(struct expectation *expectation)
{
    for (size_t i = 0; i < expectation->compiled; i++)
        regfree(&expectation->patterns[i]);
    free(expectation->patterns);
    free(expectation->lines.items);
}

static int expectation_init(struct expectation *expectation,
                            const struct output_expectation *expected)
{
    memset(expectation, 0, sizeof(*expectation));
    expectation->expected = expected;
    int error = split_lines(expected->text, expected->length, &expectation->lines);
    if (error == 0 && expected->patterns != NULL) {
        if (expected->pattern_count != expectation->lines.count)
            error = -EINVAL;
        else if ((expectation->patterns = calloc(expected->pattern_count, sizeof(regex_t))) == NULL)
            error = -ENOMEM;
        for (size_t i = 0; error == 0 && i < expected->pattern_count; i++) {
            error = compile_pattern(expected->patterns[i], &expectation->patterns[i]);
            if (error == 0)
                expectation->compiled++;
        }
    }
    if (error < 0)
        expectation_free(expectation);
    return error;
}

static bool line_matches(const struct expectation *expectation, size_t index,
                         const struct line *got)
{
    const struct line *expected = &expectation->lines.items[index];
    if (got->newline != expected->newline)
        return false;
    if (expectation->patterns == NULL)
        return got->length == expected->length &&
               memcmp(got->text, expected->text, got->length) == 0;
    /* REG_STARTEND: the line is matched where it lies, without a copy. */
    regmatch_t range = {.rm_so = 0, .rm_eo = (regoff_t)got->length};
    return regexec(&expectation->patterns[index], got->text, 1, &range, REG_STARTEND) == 0;
}

/* ---- in words ------------------------------------------------------------ */

/* A line with C-style escapes, so a control character or a missing newline
 * is visible. */
static void quote_line(FILE *why, const struct line *line)
{
    fputc('"', why);
    size_t shown = line->length < QUOTED_LINE_BYTES ? line->length : QUOTED_LINE_BYTES;
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)line->text[i];
        if (c == '"' || c == '\\')
            fprintf(why, "\\%c", c);
        else if (c == '\t')
            fputs("\\t", why);
        else if (c < 0x20 || c == 0x7f)
            fprintf(why, "\\x%02x", c);
        else
            fputc(c, why);
    }
    fputc('"', why);
    if (shown < line->length)
        fputs(" (and more)", why);
    else if (!line->newline)
        fputs(" (no newline at the end)", why);
}

static void quote_expected(FILE *why, const struct expectation *expectation, size_t index)
{
    if (expectation->patterns != NULL)
        fprintf(why, "a line matching /%s/", expectation->expected->patterns[index]);
    else
        quote_line(why, &expectation->lines.items[index]);
}

/* ---- in order -------------------------------------------------------------- */

static enum output_verdict ordered_compare(const struct expectation *expectation,
                                           const struct lines *got, FILE *why)
{
    size_t expected_count = expectation->lines.count;
    size_t index = 0;
    while (index < expected_count && index < got->count &&
           line_matches(expectation, index, &got->items[index]))
        index++;
    if (index == expected_count && index == got->count) {
        if (why != NULL)
            fprintf(why, "%s is the expected output (%zu line%s)", expectation->expected->what,
                    expected_count, expected_count == 1 ? "" : "s");
        return OUTPUT_MATCHES;
    }
    enum output_verdict verdict = index == got->count ? OUTPUT_INCOMPLETE : OUTPUT_DIFFERS;
    if (why == NULL)
        return verdict;
    fprintf(why, "%s differs from the expected output: ", expectation->expected->what);
    if (got->count > 0)
        fprintf(why, "line %zu: ", index + 1);
    if (index == expected_count) {
        fputs("got ", why);
        quote_line(why, &got->items[index]);
        fprintf(why, ", but the expected output ends after line %zu", expected_count);
        return verdict;
    }
    if (got->count == 0) {
        if (expected_count == 1)
            fputs("it is empty, where 1 line is expected: ", why);
        else
            fprintf(why, "it is empty, where %zu lines are expected, the first: ", expected_count);
        quote_expected(why, expectation, 0);
        return verdict;
    }
    fputs("expected ", why);
    quote_expected(why, expectation, index);
    if (index == got->count) {
        fputs(", got the end of the output", why);
    } else {
        fputs(", got ", why);
        quote_line(why, &got->items[index]);
    }
    return verdict;
}

/* ---- in any order ------------------------------------------------------------ */

struct matching {
    const bool *fits; /* fits[e * got_count + g]: expected line e accepts got line g */
    size_t expected_count, got_count;
    size_t *got_of;      /* the got line each expected line is matched with, or SIZE_MAX */
    size_t *expected_of; /* and the reverse */
    bool *visited;       /* expected lines seen in the current search */
};

/* Kuhn's algorithm: finds a got line for expected line `e`, moving earlier
 * matches along when that frees one. */
static bool augment(struct matching *m, size_t e)
{
    for (size_t g = 0; g < m->got_count; g++) {
        if (!m->fits[e * m->got_count + g])
            continue;
        size_t holder = m->expected_of[g];
        if (holder != SIZE_MAX) {
            if (m->visited[holder])
                continue;
            m->visited[holder] = true;
            if (!augment(m, holder))
                continue;
        }
        m->got_of[e] = g;
        m->expected_of[g] = e;
        return true;
    }
    return false;
}

static const char not_graded[] = "; the order of lines is not graded here";

/* Says where an output that matched only in part differs. */
static void explain_unmatched(const struct expectation *expectation, const struct lines *got,
                              const struct matching *m, FILE *why)
{
    size_t missing = 0, first_missing = SIZE_MAX, first_extra = SIZE_MAX;
    for (size_t e = 0; e < m->expected_count; e++)
        if (m->got_of[e] == SIZE_MAX && missing++ == 0)
            first_missing = e;
    for (size_t g = 0; g < m->got_count && first_extra == SIZE_MAX; g++)
        if (m->expected_of[g] == SIZE_MAX)
            first_extra = g;
    fprintf(why, "%s differs from the expected output: ", expectation->expected->what);
    if (m->got_count == 0) {
        fprintf(why, "it is empty, where %zu lines are expected, such as ", m->expected_count);
        quote_expected(why, expectation, 0);
    } else if (first_extra != SIZE_MAX) {
        fprintf(why, "line %zu: got ", first_extra + 1);
        quote_line(why, &got->items[first_extra]);
        if (first_missing != SIZE_MAX) {
            fputs(", expected ", why);
            quote_expected(why, expectation, first_missing);
        } else {
            fprintf(why, ", which is not one of the %zu expected lines", m->expected_count);
        }
    } else {
        fprintf(why, "the output ends after line %zu: expected ", m->got_count);
        quote_expected(why, expectation, first_missing);
        fputs(" too", why);
    }
    if (missing > 1 && m->got_count > 0)
        fprintf(why, " (and %zu more expected line%s missing)", missing - 1,
                missing == 2 ? "" : "s");
    fputs(not_graded, why);
}

static int unordered_compare(const struct expectation *expectation, const struct lines *got,
                             FILE *why, enum output_verdict *verdict)
{
    size_t expected_count = expectation->lines.count;
    if (got->count > UNORDERED_LINES_MAX || got->count > 4 * expected_count + 16) {
        *verdict = OUTPUT_DIFFERS;
        if (why != NULL)
            fprintf(why,
                    "%s differs from the expected output: %zu lines, where %zu are "
                    "expected%s",
                    expectation->expected->what, got->count, expected_count, not_graded);
        return 0;
    }
    struct matching m = {.expected_count = expected_count, .got_count = got->count};
    bool *fits = calloc(expected_count * got->count + 1, sizeof(bool));
    m.got_of = malloc((expected_count + 1) * sizeof(size_t));
    m.expected_of = malloc((got->count + 1) * sizeof(size_t));
    m.visited = calloc(expected_count + 1, sizeof(bool));
    int error = fits && m.got_of && m.expected_of && m.visited ? 0 : -ENOMEM;
    if (error == 0) {
        for (size_t e = 0; e < expected_count; e++)
            for (size_t g = 0; g < got->count; g++)
                fits[e * got->count + g] = line_matches(expectation, e, &got->items[g]);
        m.fits = fits;
        for (size_t e = 0; e < expected_count; e++)
            m.got_of[e] = SIZE_MAX;
        for (size_t g = 0; g < got->count; g++)
            m.expected_of[g] = SIZE_MAX;
        size_t pairs = 0;
        for (size_t e = 0; e < expected_count; e++) {
            memset(m.visited, 0, expected_count * sizeof(bool));
            pairs += augment(&m, e);
        }
        bool matched = pairs == expected_count && pairs == got->count;
        *verdict = matched               ? OUTPUT_MATCHES
                   : pairs == got->count ? OUTPUT_INCOMPLETE
                                         : OUTPUT_DIFFERS;
        if (why != NULL && matched)
            fprintf(why, "%s has the expected %zu line%s%s", expectation->expected->what,
                    expected_count, expected_count == 1 ? "" : "s", not_graded);
        else if (why != NULL)
            explain_unmatched(expectation, got, &m, why);
    }
    free(fits);
    free(m.got_of);
    free(m.expected_of);
    free(m.visited);
    return error;
}

struct output_expectation expected_stdout_of(const struct manifest_pitfall *pitfall)
{
    return (struct output_expectation){.what = "stdout",
                                       .text = pitfall->expected_stdout,
                                       .length = pitfall->expected_stdout_length,
                                       .order = pitfall->stdout_order,
                                       .patterns = pitfall->stdout_patterns,
                                       .pattern_count = pitfall->stdout_pattern_count};
}

enum output_verdict expected_output_compare(const struct manifest_pitfall *pitfall,
                                            const char *output, size_t length, FILE *why)
{
    struct output_expectation expected = expected_stdout_of(pitfall);
    return expected_text_compare(&expected, output, length, why);
}

enum output_verdict expected_text_compare(const struct output_expectation *expected,
                                          const char *output, size_t length, FILE *why)
{
    struct expectation expectation;
    struct lines got = {0};
    enum output_verdict verdict = OUTPUT_DIFFERS;
    int error = expectation_init(&expectation, expected);
    if (error == 0) {
        error = split_lines(output != NULL ? output : "", output != NULL ? length : 0, &got);
        if (error == 0 && expected->order == MANIFEST_LINES_UNORDERED)
            error = unordered_compare(&expectation, &got, why, &verdict);
        else if (error == 0)
            verdict = ordered_compare(&expectation, &got, why);
        free(got.items);
        expectation_free(&expectation);
    }
    if (error < 0 && why != NULL)
        fprintf(why, "the output could not be compared: %s", strerror(-error));
    return error == 0 ? verdict : OUTPUT_DIFFERS;
}

int expected_output_validate(const struct manifest_pitfall *pitfall, char *why, size_t why_size)
{
    struct expectation expectation;
    memset(&expectation, 0, sizeof(expectation));
    int error = 0;
    if (pitfall->stdout_patterns != NULL) {
        error = split_lines(pitfall->expected_stdout, pitfall->expected_stdout_length,
                            &expectation.lines);
        if (error == 0 && pitfall->stdout_pattern_count != expectation.lines.count) {
            snprintf(why, why_size, "%s: fixed.stdout_patterns has %zu patterns for %zu lines",
                     pitfall->name, pitfall->stdout_pattern_count, expectation.lines.count);
            error = -EINVAL;
        }
        for (size_t i = 0; error == 0 && i < pitfall->stdout_pattern_count; i++) {
            regex_t compiled;
            if (compile_pattern(pitfall->stdout_patterns[i], &compiled) < 0) {
                snprintf(why, why_size,
                         "%s: fixed.stdout_patterns[%zu] is not a POSIX extended "
                         "regular expression",
                         pitfall->name, i);
                error = -EINVAL;
                break;
            }
            const struct line *line = &expectation.lines.items[i];
            regmatch_t range = {.rm_so = 0, .rm_eo = (regoff_t)line->length};
            if (regexec(&compiled, line->text, 1, &range, REG_STARTEND) != 0) {
                snprintf(why, why_size,
                         "%s: fixed.stdout_patterns[%zu] does not match line %zu "
                         "of fixed.stdout",
                         pitfall->name, i, i + 1);
                error = -EINVAL;
            }
            regfree(&compiled);
        }
        free(expectation.lines.items);
    }
    if (error == 0 &&
        expected_output_compare(pitfall, pitfall->expected_stdout, pitfall->expected_stdout_length,
                                NULL) != OUTPUT_MATCHES) {
        snprintf(why, why_size, "%s: fixed.stdout does not pass its own check", pitfall->name);
        error = -EINVAL;
    }
    return error;
}
