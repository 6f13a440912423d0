/* A grade as TAP version 13 for CI runners and `prove`: one test per check,
 * "not ok" with YAML diagnostics (the reason, the points) when it failed.
 * The compiler's messages go with the first failure, where a reader looks. */
#include "grade/render/grade_render.h"
#include "render/render.h"

#include <errno.h>
#include <string.h>

static json_t *diagnostics(const struct grade_result *result,
                           const struct grade_check_result *check, bool with_compiler)
{
    json_t *yaml = json_pack("{s:o, s:i, s:i}", "message",
                             grade_json_text(check->detail, strlen(check->detail)), "points",
                             check->score, "max_points", check->check->points);
    if (yaml != NULL && with_compiler &&
        json_object_set_new(
            yaml, "compiler",
            grade_json_text(result->compile.output, result->compile.output_length)) < 0) {
        json_decref(yaml);
        return NULL;
    }
    return yaml;
}

int grade_render_tap(const struct grade_result *result, FILE *out)
{
    fprintf(out, "TAP version 13\n1..%zu\n# forklab grade %s\n", result->check_count,
            result->exercise->name);
    bool compiler_shown = result->status != GRADE_COMPILE_FAILED;
    for (size_t i = 0; i < result->check_count; i++) {
        const struct grade_check_result *check = &result->checks[i];
        char name[GRADE_CHECK_NAME_SIZE];
        grade_check_name(result, check, name);
        if (check->score == check->check->points) {
            fprintf(out, "ok %zu - %s (%d/%d points)\n", i + 1, name, check->score,
                    check->check->points);
            continue;
        }
        fprintf(out, "not ok %zu - %s (%d/%d points)\n", i + 1, name, check->score,
                check->check->points);
        json_t *yaml = diagnostics(result, check, !compiler_shown);
        if (yaml == NULL)
            return -ENOMEM;
        compiler_shown = true;
        fputs("  ---\n", out);
        yaml_write_mapping(out, yaml, 2);
        fputs("  ...\n", out);
        json_decref(yaml);
    }
    /* A comment is one line, whatever the explanation holds. */
    fprintf(out, "# score %d/%d: ", result->score, result->max_score);
    for (const char *c = result->explanation != NULL ? result->explanation : ""; *c != '\0'; c++)
        fputc(*c == '\n' ? ' ' : *c, out);
    fputc('\n', out);
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}
