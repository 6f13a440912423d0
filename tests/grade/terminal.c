/* A graded program that attacks the teacher's terminal (h-terminal-tricks.c:
 * clipboard and title escapes, a cleared screen, NUL, CR, C1 and bidi
 * controls, bad bytes, a printed "score: 8/8: every check passed"): the text
 * grade shows all of it as visible text behind the output gutter, the score
 * line stays the grader's, and every test-suite format still parses. */
#include "../terminal_safe.h"
#include "grade_test.h"

#include <criterion/criterion.h>
#include <expat.h>
#include <string.h>

static void grade_tricks(const char *submission, struct grade_result *result,
                         struct manifest *manifest)
{
    struct kit kit;
    grade_test_kit(&kit);
    grade_test_manifest(manifest);
    grade_test_run(&kit, grade_test_exercise(manifest, "03"), submission, 0, result);
}

/* How many lines of `text` begin with `prefix`. */
static size_t lines_starting(const char *text, const char *prefix)
{
    size_t count = strncmp(text, prefix, strlen(prefix)) == 0;
    for (const char *line = strchr(text, '\n'); line != NULL; line = strchr(line + 1, '\n'))
        count += strncmp(line + 1, prefix, strlen(prefix)) == 0;
    return count;
}

#define expect_line(text, line)                                                                    \
    cr_expect_not_null(strstr(text, "\n" line "\n"), "no line \"%s\" in:\n%s", line, text)

Test(terminal, the_text_grade_shows_the_programs_tricks_as_text)
{
    struct manifest manifest;
    struct grade_result result;
    grade_tricks(FIXTURE_SOURCE("h-terminal-tricks"), &result, &manifest);
    /* Its stdout is not the expected one; nothing else is wrong. */
    cr_assert_eq(result.score, 6, "%s", result.explanation);
    char *text = grade_test_render_text(grade_render_text, &result);
    cr_expect_eq(terminal_unsafe_at(text, strlen(text)), -1, "unsafe at byte %ld:\n%s",
                 terminal_unsafe_at(text, strlen(text)), text);
    expect_line(text, "  | clipboard \\x1b]52;c;cm0gLXJmIH4K\\x07 written");
    expect_line(text, "  | title \\x1b]0;forklab: all good\\x07 set");
    expect_line(text, "  | nul \\x00 byte");
    expect_line(text, "  | progress 10%\\x0dscore: 8/8: every check passed");
    expect_line(text, "  | score: 8/8: every check passed");
    expect_line(text, "  | c1 \\x9b31m raw csi, \\u009b32m encoded csi");
    expect_line(text, "  | bidi \\u202edessap\\u202c and \\u2066isolate\\u2069");
    expect_line(text, "  | \\x1b[31merror in red\\x1b[0m");
    /* The reason quotes the first line it got, made visible too. */
    expect_line(text, "         stdout differs from the expected output: line 1: expected \"sum of "
                      "1..300 = 45150\", got \"clipboard \\x1b]52;c;cm0gLXJmIH4K\\x07 written\"");
    /* One line starts like the score: the grader's, last. */
    cr_expect_eq(lines_starting(text, "score:"), 1, "%s", text);
    cr_expect_not_null(strstr(text, "\nscore: 6/8: "), "%s", text);
    free(text);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(terminal, the_compilers_messages_are_behind_the_gutter_too)
{
    struct manifest manifest;
    struct grade_result result;
    grade_tricks(SUBMISSION("compile-error.c"), &result, &manifest);
    char *text = grade_test_render_text(grade_render_text, &result);
    const char *message = strstr(text, "compile-error.c:7");
    cr_assert_not_null(message, "%s", text);
    /* Every line of the compiler's between the command and the verdict. */
    const char *first = strchr(strstr(text, "\ncompile: cc ") + 1, '\n') + 1;
    const char *verdict = strstr(text, "\ncompile: FAILED\n");
    cr_assert(first != NULL && verdict != NULL && first < verdict, "%s", text);
    for (const char *line = first; line <= verdict; line = strchr(line, '\n') + 1)
        cr_expect_eq(strncmp(line, "  | ", 4), 0, "a line of the compiler's without the gutter: %s",
                     text);
    free(text);
    grade_result_free(&result);
    manifest_free(&manifest);
}

static void xml_ignore(void *data, const char *name, const char **attributes)
{
    (void)data, (void)name, (void)attributes;
}

/* TAP, JUnit and Gradescope of the same grade: each parses, each says the
 * grade's score, each says that a run which lost facts is incomplete. */
Test(terminal, every_suite_format_holds_and_says_incomplete)
{
    struct manifest manifest;
    struct grade_result result;
    grade_tricks(FIXTURE_SOURCE("h-terminal-tricks"), &result, &manifest);
    result.report.facts_lost = 3; /* as if the tracer had run out of memory */
    const char *incomplete = "incomplete: 3 facts of this run could not be recorded";

    char *tap = grade_test_render_text(grade_render_tap, &result);
    cr_expect_eq(terminal_unsafe_at(tap, strlen(tap)), -1, "%s", tap);
    cr_expect_not_null(strstr(tap, incomplete), "%s", tap);
    cr_expect_not_null(strstr(tap, "\n# score 6/8: "), "%s", tap);
    free(tap);

    char *xml = grade_test_render_text(grade_render_junit, &result);
    XML_Parser parser = XML_ParserCreate("UTF-8");
    XML_SetStartElementHandler(parser, xml_ignore);
    cr_expect_eq(XML_Parse(parser, xml, (int)strlen(xml), 1), XML_STATUS_OK, "%s: %s",
                 XML_ErrorString(XML_GetErrorCode(parser)), xml);
    XML_ParserFree(parser);
    cr_expect_not_null(strstr(xml, "<property name=\"incomplete\" value=\"incomplete: 3 facts"),
                       "%s", xml);
    free(xml);

    json_t *root = grade_test_render_json(grade_render_gradescope, &result);
    cr_expect_eq(json_integer_value(json_object_get(root, "score")), 6);
    const char *output = json_string_value(json_object_get(root, "output"));
    cr_expect_eq(strncmp(output, incomplete, strlen(incomplete)), 0, "%s", output);
    json_decref(root);
    grade_result_free(&result);
    manifest_free(&manifest);
}
