/* A grade for a student at a terminal: the compile step, the run, PASS or
 * FAIL for each check with its points and reason, what the program printed
 * (when something failed), and the score last, where the eye lands. Every
 * text forklab did not write itself is escaped, and what the program and the
 * compiler printed is behind the output gutter, so neither can act on the
 * terminal nor print a line that passes for the score. */
#include "grade/render/grade_render.h"

#include "core/write/visible_text.h"
#include "render/render.h"

#include <errno.h>
#include <string.h>

#define GREEN "\033[32m"
#define RED   "\033[31m"
#define BOLD  "\033[1m"
#define PLAIN "\033[0m"

/* A check's reason: each of its lines made visible, those after the first
 * indented by `indent` spaces. */
static void put_indented(FILE *out, const char *text, int indent)
{
    for (const char *newline; (newline = strchr(text, '\n')) != NULL; text = newline + 1) {
        visible_text_put(out, text, (size_t)(newline - text));
        fprintf(out, "\n%*s", indent, "");
    }
    visible_text_put_string(out, text);
}

static void put_program_output(FILE *out, const char *name, const struct captured_output *output)
{
    if (output->total == 0)
        return;
    fprintf(out, "--- the program's %s (%zu bytes", name, output->total);
    if (output->total > output->length)
        fprintf(out, "; forklab kept %zu", output->length);
    fputs(") ---\n", out);
    render_put_output_lines(out, output->data, output->length, "", "");
}

int grade_render_text_styled(const struct grade_result *result, FILE *out, bool colour)
{
    const char *green = colour ? GREEN : "", *red = colour ? RED : "";
    const char *bold = colour ? BOLD : "", *plain = colour ? PLAIN : "";

    fprintf(out, "%sforklab grade %s%s: %s\n", bold, result->exercise->name, plain,
            result->exercise->title);
    fputs("submission: ", out);
    visible_text_put_string(out, result->submission);
    fputc('\n', out);
    grade_put_compile(result, out, true);
    /* A program that never ran has nothing to say per check: the score
     * line says once why no check ran. */
    if (result->ran) {
        grade_put_run(result, out);
        fputc('\n', out);
    }
    for (size_t i = 0; result->ran && i < result->check_count; i++) {
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
        if (result->session_count > 0) {
            grade_put_sessions(result, out, true);
        } else {
            put_program_output(out, "stdout", &result->report.out);
            put_program_output(out, "stderr", &result->report.err);
        }
    }
    bool full = result->score == result->max_score;
    fprintf(out, "\n%sscore: %d/%d%s: ", full ? green : red, result->score, result->max_score,
            plain);
    visible_text_put_string(out, result->explanation != NULL ? result->explanation : "");
    fputc('\n', out);
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}

int grade_render_text(const struct grade_result *result, FILE *out)
{
    return grade_render_text_styled(result, out, render_wants_colour(out));
}
