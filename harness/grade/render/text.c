/* A grade for a student at a terminal: the compile step, the run, PASS or
 * FAIL for each check with its points and reason, what the program printed
 * (when something failed), and the score last, where the eye lands. */
#include "grade/render/grade_render.h"
#include "render/render.h"

#include <errno.h>
#include <string.h>

/* When a check fails, this much of each of the program's streams is shown. */
#define OUTPUT_SHOWN 2048

#define GREEN "\033[32m"
#define RED   "\033[31m"
#define BOLD  "\033[1m"
#define PLAIN "\033[0m"

/* Writes `text` with each line after the first indented by `indent` spaces. */
static void put_indented(FILE *out, const char *text, int indent)
{
    for (; *text != '\0'; text++) {
        fputc(*text, out);
        if (*text == '\n')
            fprintf(out, "%*s", indent, "");
    }
}

int grade_render_text_styled(const struct grade_result *result, FILE *out, bool colour)
{
    const char *green = colour ? GREEN : "", *red = colour ? RED : "";
    const char *bold = colour ? BOLD : "", *plain = colour ? PLAIN : "";

    fprintf(out, "%sforklab grade %s%s: %s\n", bold, result->exercise->name, plain,
            result->exercise->title);
    fprintf(out, "submission: %s\n", result->submission);
    grade_put_compile(result, out);
    grade_put_run(result, out);
    fputc('\n', out);

    for (size_t i = 0; i < result->check_count; i++) {
        const struct grade_check_result *check = &result->checks[i];
        bool passed = check->score == check->check->points;
        char name[GRADE_CHECK_NAME_SIZE];
        fprintf(out, "  %s%s%s %2d/%-2d %s\n         ", passed ? green : red,
                passed ? "PASS" : "FAIL", plain, check->score, check->check->points,
                grade_check_name(result, check, name));
        put_indented(out, check->detail, 9);
        fputc('\n', out);
    }

    if (result->ran && result->score < result->max_score) {
        fputc('\n', out);
        grade_put_outputs(result, out, OUTPUT_SHOWN);
    }
    bool full = result->score == result->max_score;
    fprintf(out, "\n%sscore: %d/%d%s: %s\n", full ? green : red, result->score, result->max_score,
            plain, result->explanation != NULL ? result->explanation : "");
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}

int grade_render_text(const struct grade_result *result, FILE *out)
{
    return grade_render_text_styled(result, out, render_wants_colour(out));
}
