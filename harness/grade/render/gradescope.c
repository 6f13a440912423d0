/* A grade as Gradescope's results.json (gradescope-autograders.readthedocs.io
 * /en/latest/specs/): one test per check of the manifest, worth its points,
 * and the whole story (compile, run, the program's output) in "output". A
 * failed check of a leak or a hang shows the run's descriptor view too, in
 * Markdown ("output_format": "md"), which Gradescope renders per test. */
#include "grade/render/grade_render.h"
#include "core/json_document.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

/* Gradescope shows "output" in a <pre> box: more than this of each of the
 * program's streams only buries the results. */
#define OUTPUT_SHOWN 8192

/* Closes a memory stream opened on *text and *size, and returns what was
 * written as a JSON string (NULL when out of memory). */
static json_t *close_as_json(FILE *out, char **text, size_t *size)
{
    json_t *string = fclose(out) == 0 ? grade_json_text(*text, *size) : NULL;
    free(*text);
    return string;
}

/* Whether a failed check is explained by who held which descriptor: a leak,
 * or a hang (most often a pipe end left open). */
static bool wants_descriptor_view(const struct grade_result *result,
                                  const struct grade_check_result *check)
{
    const struct manifest_check *manifest = check->check;
    return result->ran && check->score < manifest->points &&
           manifest->test == MANIFEST_TEST_NO_FINDING &&
           (manifest->kind == FINDING_FD_LEAK || manifest->kind == FINDING_TIMEOUT);
}

/* A fence of backticks longer than any run of them in `text`, so that
 * nothing the program named can close the block early. */
static void put_fence(FILE *out, const char *text)
{
    size_t longest = 0, run = 0;
    for (const char *c = text; *c != '\0'; c++) {
        run = *c == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
        fputc('`', out);
}

static void put_block(FILE *out, const char *text)
{
    put_fence(out, text);
    fputs("text\n", out);
    fputs(text, out);
    if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
        fputc('\n', out);
    put_fence(out, text);
    fputc('\n', out);
}

/* The check's reason and the picture of the failing run, in Markdown: every
 * text in a fenced block, so none of it is read as Markdown. */
static json_t *markdown_output(const struct grade_result *result,
                               const struct grade_check_result *check)
{
    char *view = NULL, *text = NULL;
    size_t view_size = 0, size = 0;
    FILE *view_out = open_memstream(&view, &view_size);
    if (view_out == NULL)
        return NULL;
    int error = render_fds_text(&result->report, view_out, false);
    if (fclose(view_out) != 0 || error < 0) {
        free(view);
        return NULL;
    }
    FILE *out = open_memstream(&text, &size);
    if (out == NULL) {
        free(view);
        return NULL;
    }
    put_block(out, check->detail);
    fputs("\n**Who held which descriptor** in the run of the submission:\n\n", out);
    put_block(out, view);
    free(view);
    return close_as_json(out, &text, &size);
}

static json_t *check_test(const struct grade_result *result, const struct grade_check_result *check,
                          size_t number)
{
    char name[GRADE_CHECK_NAME_SIZE], number_text[32];
    snprintf(number_text, sizeof(number_text), "%zu", number);
    bool markdown = wants_descriptor_view(result, check);
    json_t *output = markdown ? markdown_output(result, check)
                              : grade_json_text(check->detail, strlen(check->detail));
    return json_pack("{s:s, s:s, s:i, s:i, s:s, s:o, s:s, s:s}", "name",
                     grade_check_name(result, check, name), "number", number_text, "score",
                     check->score, "max_score", check->check->points, "status",
                     check->score == check->check->points ? "passed" : "failed", "output", output,
                     "output_format", markdown ? "md" : "text", "visibility", "visible");
}

/* The text above the tests: what happened to the whole submission. */
static json_t *overall_output(const struct grade_result *result)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    fprintf(out, "forklab grade %s: %s\n%s\n\n", result->exercise->name, result->exercise->title,
            result->explanation != NULL ? result->explanation : "");
    grade_put_compile(result, out);
    grade_put_run(result, out);
    if (result->ran) {
        grade_put_program_output(out, "stdout", &result->report.out, OUTPUT_SHOWN);
        grade_put_program_output(out, "stderr", &result->report.err, OUTPUT_SHOWN);
    }
    return close_as_json(out, &text, &size);
}

int grade_render_gradescope(const struct grade_result *result, FILE *out)
{
    json_t *tests = json_array();
    for (size_t i = 0; tests != NULL && i < result->check_count; i++)
        if (json_array_append_new(tests, check_test(result, &result->checks[i], i + 1)) < 0) {
            json_decref(tests);
            tests = NULL;
        }
    json_t *root =
        json_pack("{s:i, s:f, s:o, s:s, s:s, s:o}", "score", result->score, "execution_time",
                  result->duration_ms / 1000.0, "output", overall_output(result), "visibility",
                  "visible", "stdout_visibility", "hidden", "tests", tests);
    return json_document_write(root, out);
}
