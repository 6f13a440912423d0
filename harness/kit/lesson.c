/* Prints a lesson with or without its solution part: a line-by-line copy that
 * knows Markdown headings from lines inside fenced code blocks. */
#include "kit/lesson.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool starts_with(const char *line, const char *prefix)
{
    return strncmp(line, prefix, strlen(prefix)) == 0;
}

int lesson_print(const char *path, bool with_solution, const char *instead, FILE *out)
{
    FILE *in = fopen(path, "re");
    if (in == NULL)
        return -errno;
    char *line = NULL;
    size_t size = 0;
    bool in_fence = false, in_solution = false;
    while (getline(&line, &size, in) >= 0) {
        /* A "## " line inside a code block (a shell comment) is no heading. */
        bool heading = !in_fence && starts_with(line, "## ");
        if (starts_with(line, "```"))
            in_fence = !in_fence;
        if (heading && !with_solution) {
            in_solution = starts_with(line, LESSON_SOLUTION_HEADING);
            if (in_solution) {
                fputs(line, out);
                fprintf(out, "\n%s\n\n", instead);
                continue;
            }
        }
        if (!in_solution)
            fputs(line, out);
    }
    int error = ferror(in) || ferror(out) ? -EIO : 0;
    free(line);
    fclose(in);
    return error;
}
