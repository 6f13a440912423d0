/* An exercise's task as a student reads it before starting: the manifest's
 * task text, then every graded check with its points, from the same words
 * the grade uses, so nothing graded goes unsaid. */
#include "grade/grade.h"

#include <string.h>

/* Text columns of the task, as a terminal shows it. */
#define TASK_WIDTH 78

/* Writes `text` in lines of at most `width` columns (a longer word stands
 * alone), each after `indent` spaces. */
static void put_wrapped(FILE *out, const char *text, int indent, int width)
{
    int column = 0;
    while (*text != '\0') {
        while (*text == ' ')
            text++;
        size_t word = strcspn(text, " ");
        if (word == 0)
            break;
        if (column > 0 && column + 1 + (int)word > width) {
            fputc('\n', out);
            column = 0;
        }
        if (column == 0)
            column = fprintf(out, "%*s", indent, "");
        else
            column += fprintf(out, " ");
        column += fprintf(out, "%.*s", (int)word, text);
        text += word;
    }
    if (column > 0)
        fputc('\n', out);
}

void grade_put_task(const struct manifest_pitfall *exercise, FILE *out)
{
    if (exercise->task != NULL) {
        fputs("Your task:\n", out);
        put_wrapped(out, exercise->task, 2, TASK_WIDTH);
    }
    fprintf(out, "Graded, %d points:\n", grade_max_score(exercise, NULL));
    for (size_t i = 0; i < exercise->check_count; i++) {
        char title[160];
        grade_check_title(&exercise->checks[i], exercise, title, sizeof(title));
        fprintf(out, "  %2d  %s: %s\n", exercise->checks[i].points, exercise->checks[i].id, title);
    }
}
