/* A test suite as Gradescope's results.json (the autograder specification at
 * gradescope-autograders.readthedocs.io/en/latest/specs/): one test per case
 * with its points, the suite's score, and the whole story in "output". The
 * score is the suite's: this file adds up nothing. */
#include "core/describe.h"
#include "core/write/json_document.h"
#include "render/suite/test_suite.h"

#include <stdlib.h>
#include <string.h>

/* Gradescope shows output in a <pre> box; more than this of each captured
 * stream only buries the results. */
#define CAPTURED_BYTES_SHOWN 8192

/* A string for results.json: valid UTF-8 (json_string_repaired), and no NUL,
 * which JSON can write (\u0000) but many readers refuse (jansson by default,
 * PostgreSQL's text): a NUL becomes 0xFF, never UTF-8, which the repair
 * turns into U+FFFD as it does every bad byte. */
static json_t *results_text(const char *text, size_t length)
{
    char *copy = malloc(length + 1);
    if (copy == NULL)
        return NULL;
    for (size_t i = 0; i < length; i++)
        copy[i] = text[i] != '\0' ? text[i] : '\xff';
    json_t *string = json_string_repaired(copy, length);
    free(copy);
    return string;
}

static json_t *case_test(const struct test_case *test, size_t number)
{
    char number_text[32];
    snprintf(number_text, sizeof(number_text), "%zu", number);
    /* Gradescope renders a test's output as Markdown when asked ("md"). */
    const char *output = test->markdown != NULL ? test->markdown : test->detail;
    json_t *object = json_pack("{s:o, s:s, s:i, s:i, s:o, s:s, s:s}", "name",
                               results_text(test->name, strlen(test->name)), "number", number_text,
                               "score", test->score, "max_score", test->max_score, "output",
                               results_text(output, strlen(output)), "output_format",
                               test->markdown != NULL ? "md" : "text", "visibility", "visible");
    /* A skipped case has no status: it neither earned nor cost anything. */
    if (object != NULL && test->result != TEST_CASE_SKIPPED &&
        json_object_set_new(object, "status",
                            json_string(test->result == TEST_CASE_PASSED ? "passed" : "failed")) <
            0) {
        json_decref(object);
        return NULL;
    }
    return object;
}

static void put_stream(FILE *out, const char *name, const struct captured_output *output)
{
    if (output == NULL)
        return;
    size_t shown = output->length < CAPTURED_BYTES_SHOWN ? output->length : CAPTURED_BYTES_SHOWN;
    fprintf(out, "\n%s (%zu bytes):\n", name, output->total);
    if (output->data != NULL)
        fwrite(output->data, 1, shown, out);
    if (output->total > shown)
        fprintf(out, "\n[%zu more bytes not shown]\n", output->total - shown);
}

/* The text above the tests: incompleteness first, what ran, what it printed. */
static json_t *suite_output(const struct test_suite *suite)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    if (suite->facts_lost > 0) {
        char incomplete[FACTS_LOST_SIZE];
        fprintf(out, "%s.\n\n", facts_lost_describe(suite->facts_lost, incomplete));
    }
    fputs(suite->overview, out);
    put_stream(out, "stdout", suite->out);
    put_stream(out, "stderr", suite->err);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    json_t *string = results_text(text, size);
    free(text);
    return string;
}

int test_suite_render_gradescope(const struct test_suite *suite, FILE *out)
{
    json_t *tests = json_array();
    for (size_t i = 0; tests != NULL && i < suite->case_count; i++)
        if (json_array_append_new(tests, case_test(&suite->cases[i], i + 1)) < 0) {
            json_decref(tests);
            tests = NULL;
        }
    json_t *root =
        json_pack("{s:i, s:f, s:o, s:s, s:s, s:o}", "score", suite->score, "execution_time",
                  suite->duration_ms / 1000.0, "output", suite_output(suite), "visibility",
                  "visible", "stdout_visibility", "hidden", "tests", tests);
    return json_document_write(root, out);
}
