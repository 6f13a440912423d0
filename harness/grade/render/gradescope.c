/* A grade as Gradescope's results.json (gradescope-autograders.readthedocs.io
 * /en/latest/specs/): one test per check of the manifest, worth its points,
 * and the whole story (compile, run, the program's output) in "output". */
#include "grade/render/grade_render.h"
#include "core/json_document.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

/* Gradescope shows "output" in a <pre> box: more than this of each of the
 * program's streams only buries the results. */
#define OUTPUT_SHOWN 8192

static json_t *check_test(const struct grade_result *result, const struct grade_check_result *check,
                          size_t number)
{
    char name[GRADE_CHECK_NAME_SIZE], number_text[32];
    snprintf(number_text, sizeof(number_text), "%zu", number);
    return json_pack(
        "{s:s, s:s, s:i, s:i, s:s, s:o, s:s}", "name", grade_check_name(result, check, name),
        "number", number_text, "score", check->score, "max_score", check->check->points, "status",
        check->score == check->check->points ? "passed" : "failed", "output",
        grade_json_text(check->detail, strlen(check->detail)), "visibility", "visible");
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
    grade_put_outputs(result, out, OUTPUT_SHOWN);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    json_t *string = grade_json_text(text, size);
    free(text);
    return string;
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
