/* Process trees as shapes: "(" children ")" per process, children oldest
 * first. The shape is what a tree question asks about, what the model of a
 * program predicts, and what a checker's run is reduced to for comparing. */
#include "study/drill.h"

#include "render/render.h"

#include <stdlib.h>
#include <string.h>

size_t drill_tree_size(const char *shape)
{
    size_t count = 0;
    for (; *shape != '\0'; shape++)
        count += *shape == '(';
    return count;
}

/* The end of the process that starts at `shape` (just past its ')'). */
static const char *process_end(const char *shape)
{
    int depth = 0;
    do {
        depth += *shape == '(' ? 1 : -1;
        shape++;
    } while (depth > 0 && *shape != '\0');
    return shape;
}

/* Draws the children of the process whose children start at `shape`. */
static void draw_children(const char *shape, const char *indent, const char *prefix, FILE *out)
{
    while (*shape == '(') {
        const char *end = process_end(shape);
        bool last = *end != '(';
        fprintf(out, "%s%s%s child\n", indent, prefix, last ? "`-" : "+-");
        char deeper[256];
        snprintf(deeper, sizeof(deeper), "%s%s", prefix, last ? "   " : "|  ");
        draw_children(shape + 1, indent, deeper, out);
        shape = end;
    }
}

void drill_tree_draw(const char *shape, const char *indent, FILE *out)
{
    fprintf(out, "%smain\n", indent);
    if (shape[0] == '(')
        draw_children(shape + 1, indent, "", out);
}

static void put_process(const struct report *report, const long *parents, size_t i, FILE *out)
{
    fputc('(', out);
    for (size_t child = 0; child < report->process_count; child++)
        if (!report->processes[child].is_thread && parents[child] == (long)i)
            put_process(report, parents, child, out);
    fputc(')', out);
}

char *drill_tree_of_report(const struct report *report)
{
    long *parents = process_parent_indexes(report);
    if (parents == NULL && report->process_count > 0)
        return NULL;
    char *shape = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&shape, &size);
    if (out == NULL) {
        free(parents);
        return NULL;
    }
    for (size_t i = 0; i < report->process_count; i++)
        if (report->processes[i].pid == report->main_pid && !report->processes[i].is_thread) {
            put_process(report, parents, i, out);
            break;
        }
    free(parents);
    if (fclose(out) != 0) {
        free(shape);
        return NULL;
    }
    return shape;
}
