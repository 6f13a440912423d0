/* Every exercise states what is graded before a student starts: the
 * manifest's task text names the exit status (and why, when it is not 0)
 * and the order of lines where it is free, and the lesson's exercise
 * section opens with that same text, word for word. */
#include "pitfall_run.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `text` with every run of white space made one space, trimmed. */
static char *squeezed(const char *text, size_t length)
{
    char *out = malloc(length + 1);
    cr_assert_not_null(out);
    size_t used = 0;
    for (size_t i = 0; i < length; i++) {
        if (isspace((unsigned char)text[i])) {
            if (used > 0 && out[used - 1] != ' ')
                out[used++] = ' ';
        } else {
            out[used++] = text[i];
        }
    }
    while (used > 0 && out[used - 1] == ' ')
        used--;
    out[used] = '\0';
    return out;
}

/* The first paragraph of the lesson's "## Exercise" section, squeezed. */
static char *exercise_opening(const char *lesson)
{
    FILE *file = fopen(lesson, "re");
    cr_assert_not_null(file, "%s: %m", lesson);
    char *text = NULL;
    size_t size = 0;
    cr_assert_geq(getdelim(&text, &size, '\0', file), 0);
    fclose(file);
    const char *section = strstr(text, "\n## Exercise\n");
    cr_assert_not_null(section, "%s has no \"## Exercise\" section", lesson);
    const char *start = section + strlen("\n## Exercise\n");
    while (*start == '\n')
        start++;
    const char *end = strstr(start, "\n\n");
    char *paragraph = squeezed(start, end != NULL ? (size_t)(end - start) : strlen(start));
    free(text);
    return paragraph;
}

Test(tasks, every_task_states_the_exit_status_and_the_order_of_lines)
{
    struct manifest manifest;
    pitfall_manifest_load(&manifest);
    for (size_t i = 0; i < manifest.count; i++) {
        const struct manifest_pitfall *p = &manifest.pitfalls[i];
        cr_assert_not_null(p->task, "%s has no task", p->name);
        char status[32];
        snprintf(status, sizeof(status), "exit status %d", p->expected_exit);
        cr_expect_not_null(strstr(p->task, status), "%s: the task does not say \"%s\": %s", p->name,
                           status, p->task);
        if (p->expected_exit != 0) {
            cr_expect_not_null(p->exit_why, "%s: exit %d, and fixed.exit_why does not say why",
                               p->name, p->expected_exit);
            if (p->exit_why != NULL)
                cr_expect_not_null(strstr(p->task, p->exit_why),
                                   "%s: the task does not give the reason for exit %d (\"%s\")",
                                   p->name, p->expected_exit, p->exit_why);
        }
        if (p->stdout_order == MANIFEST_LINES_UNORDERED)
            cr_expect_not_null(strstr(p->task, "any order"),
                               "%s: its lines may come in any order, and the task does not say so",
                               p->name);
    }
    manifest_free(&manifest);
}

Test(tasks, every_lessons_exercise_section_opens_with_the_task)
{
    struct manifest manifest;
    pitfall_manifest_load(&manifest);
    for (size_t i = 0; i < manifest.count; i++) {
        const struct manifest_pitfall *p = &manifest.pitfalls[i];
        if (p->task == NULL)
            continue; /* the test above fails it */
        char *expected = NULL;
        cr_assert_geq(
            asprintf(&expected, "**Task** (what `forklab verify %s` grades): %s", p->name, p->task),
            0);
        char *want = squeezed(expected, strlen(expected));
        char *got = exercise_opening(p->lesson);
        cr_expect_str_eq(got, want, "%s: the exercise section must open with the task", p->lesson);
        free(expected);
        free(want);
        free(got);
    }
    manifest_free(&manifest);
}
