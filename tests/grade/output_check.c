/* The stdout check as the manifest states it (kit/expected_output.c): in
 * order or in any order, each line as written or by its pattern, and a
 * failure said in words that name the line and, where it is free, that the
 * order is not graded. */
#include "kit/expected_output.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* An exercise that expects `expected`, in order or not, with patterns. */
static struct manifest_pitfall expecting(const char *expected, enum manifest_line_order order,
                                         char **patterns, size_t pattern_count)
{
    struct manifest_pitfall pitfall;
    memset(&pitfall, 0, sizeof(pitfall));
    pitfall.name = "01-test";
    pitfall.expected_stdout = (char *)expected;
    pitfall.expected_stdout_length = strlen(expected);
    pitfall.stdout_order = order;
    pitfall.stdout_patterns = patterns;
    pitfall.stdout_pattern_count = pattern_count;
    return pitfall;
}

/* Compares `got`; the words go to *why (the caller frees them). */
static enum output_verdict compare(const struct manifest_pitfall *pitfall, const char *got,
                                   char **why)
{
    size_t size = 0;
    FILE *stream = open_memstream(why, &size);
    cr_assert_not_null(stream);
    enum output_verdict verdict = expected_output_compare(pitfall, got, strlen(got), stream);
    cr_assert_eq(fclose(stream), 0);
    return verdict;
}

static void expect_verdict(const struct manifest_pitfall *pitfall, const char *got,
                           enum output_verdict wanted, const char *words)
{
    char *why = NULL;
    enum output_verdict verdict = compare(pitfall, got, &why);
    cr_expect_eq(verdict, wanted, "verdict %d, wanted %d, for \"%s\": %s", verdict, wanted, got,
                 why);
    cr_expect_not_null(strstr(why, words), "for \"%s\": \"%s\" lacks \"%s\"", got, why, words);
    free(why);
}

#define THREE "worker 0: 10\nworker 1: 20\nall done\n"

Test(output_check, in_order_names_the_first_line_that_differs)
{
    struct manifest_pitfall p = expecting(THREE, MANIFEST_LINES_ORDERED, NULL, 0);
    expect_verdict(&p, THREE, OUTPUT_MATCHES, "is the expected output (3 lines)");
    expect_verdict(&p, "worker 0: 10\nworker 1: 21\nall done\n", OUTPUT_DIFFERS,
                   "line 2: expected \"worker 1: 20\", got \"worker 1: 21\"");
    expect_verdict(&p, "worker 1: 20\nworker 0: 10\nall done\n", OUTPUT_DIFFERS,
                   "line 1: expected \"worker 0: 10\", got \"worker 1: 20\"");
    /* Right so far, and cut short: what a program stopped early prints. */
    expect_verdict(&p, "worker 0: 10\n", OUTPUT_INCOMPLETE,
                   "line 2: expected \"worker 1: 20\", got the end of the output");
    expect_verdict(&p, "", OUTPUT_INCOMPLETE,
                   "it is empty, where 3 lines are expected, the first: \"worker 0: 10\"");
    expect_verdict(&p, THREE "all done\n", OUTPUT_DIFFERS,
                   "line 4: got \"all done\", but the expected output ends after line 3");
    expect_verdict(&p, "worker 0: 10\nworker 1: 20\nall done", OUTPUT_DIFFERS,
                   "got \"all done\" (no newline at the end)");
    expect_verdict(&p, "worker 0: 10\nworker\t1\x1b: 20\n", OUTPUT_DIFFERS,
                   "got \"worker\\t1\\x1b: 20\"");
}

Test(output_check, in_any_order_the_same_lines_pass_and_the_words_say_so)
{
    struct manifest_pitfall p = expecting(THREE, MANIFEST_LINES_UNORDERED, NULL, 0);
    const char *orders[] = {THREE, "worker 1: 20\nworker 0: 10\nall done\n",
                            "all done\nworker 1: 20\nworker 0: 10\n"};
    for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++)
        expect_verdict(&p, orders[i], OUTPUT_MATCHES,
                       "has the expected 3 lines; the order of lines is not graded here");
    expect_verdict(&p, "worker 1: 20\nworker 0: 11\nall done\n", OUTPUT_DIFFERS,
                   "line 2: got \"worker 0: 11\", expected \"worker 0: 10\"; the order of lines "
                   "is not graded here");
    /* A line twice is not two different lines. */
    expect_verdict(&p, "worker 1: 20\nworker 1: 20\nall done\n", OUTPUT_DIFFERS,
                   "line 2: got \"worker 1: 20\", expected \"worker 0: 10\"");
    expect_verdict(&p, "all done\nworker 0: 10\n", OUTPUT_INCOMPLETE,
                   "the output ends after line 2: expected \"worker 1: 20\" too");
    expect_verdict(&p, "all done\n", OUTPUT_INCOMPLETE, "(and 1 more expected line missing)");
    expect_verdict(&p, THREE "extra\n", OUTPUT_DIFFERS,
                   "line 4: got \"extra\", which is not one of the 3 expected lines");
    expect_verdict(&p, "", OUTPUT_INCOMPLETE, "it is empty, where 3 lines are expected");
    /* A flood is refused by its line count, not matched line by line. */
    char *flood = malloc(5000 * 2 + 1);
    cr_assert_not_null(flood);
    for (int i = 0; i < 5000; i++)
        memcpy(flood + 2 * i, "x\n", 2);
    flood[10000] = '\0';
    expect_verdict(&p, flood, OUTPUT_DIFFERS, "5000 lines, where 3 are expected");
    free(flood);
}

Test(output_check, patterns_match_whole_lines_in_order)
{
    char *patterns[] = {"worker [0-9]+: [0-9]+", "worker [0-9]+: [0-9]+", "all done"};
    struct manifest_pitfall p = expecting(THREE, MANIFEST_LINES_ORDERED, patterns, 3);
    expect_verdict(&p, "worker 7: 1234\nworker 8: 5\nall done\n", OUTPUT_MATCHES,
                   "is the expected output");
    /* Anchored: a line that only contains a match does not match. */
    expect_verdict(&p, "worker 7: 1234 and more\nworker 8: 5\nall done\n", OUTPUT_DIFFERS,
                   "line 1: expected a line matching /worker [0-9]+: [0-9]+/, got \"worker 7: "
                   "1234 and more\"");
}

Test(output_check, patterns_in_any_order_find_a_matching_where_a_greedy_pass_would_not)
{
    /* "a.*" would take "ab" first and leave "ab" nothing but "abc". */
    char *patterns[] = {"a.*", "ab"};
    struct manifest_pitfall p = expecting("abc\nab\n", MANIFEST_LINES_UNORDERED, patterns, 2);
    expect_verdict(&p, "ab\nabc\n", OUTPUT_MATCHES, "has the expected 2 lines");
    expect_verdict(&p, "abc\nabd\n", OUTPUT_DIFFERS,
                   "line 2: got \"abd\", expected a line matching /ab/");
}

Test(output_check, the_manifests_own_output_passes_its_check)
{
    char *bad_patterns[] = {"worker", "worker [0-9]+: [0-9]+", "all done"};
    struct manifest_pitfall p = expecting(THREE, MANIFEST_LINES_ORDERED, bad_patterns, 3);
    char why[256] = "";
    cr_expect_eq(expected_output_validate(&p, why, sizeof(why)), -EINVAL);
    cr_expect_not_null(strstr(why, "does not match line 1 of fixed.stdout"), "%s", why);
    char *good_patterns[] = {"worker 0: [0-9]+", "worker 1: [0-9]+", "all done"};
    p = expecting(THREE, MANIFEST_LINES_UNORDERED, good_patterns, 3);
    cr_expect_eq(expected_output_validate(&p, why, sizeof(why)), 0, "%s", why);
}
