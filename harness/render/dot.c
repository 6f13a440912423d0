/* The process tree as a Graphviz digraph (`forklab check --format dot ... |
 * dot -Tsvg`): one box per process with its pid, programs and end, an edge
 * from parent to child, and processes with findings drawn in red. */
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Writes text for a double-quoted DOT string. A backslash would start a DOT
 * escape (\n, \l, \N ...), so it is doubled; control characters and bytes
 * that are not UTF-8 become U+FFFD. */
static void put_label_text(FILE *out, const char *text)
{
    size_t length = strlen(text);
    for (size_t at = 0; at < length;) {
        size_t size;
        long c = utf8_decode(text + at, length - at, &size);
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", (char)c);
        else if (c == UTF8_INVALID || c < 0x20 || c == 0x7F)
            fputs("\xEF\xBF\xBD", out);
        else
            fwrite(text + at, 1, size, out);
        at += size;
    }
}

static void put_node(FILE *out, const struct report *report, size_t index)
{
    const struct process_record *process = &report->processes[index];
    char end[PROCESS_END_SIZE];
    fprintf(out, "  p%zu [label=\"%d", index, (int)process->pid);
    for (size_t p = 0; p < process->program_count; p++) {
        fputs("\\n", out);
        put_label_text(out, process->programs[p]);
    }
    if (process->program_count == 0)
        fputs("\\n(forked, no exec)", out);
    fprintf(out, "\\n%s",
            process_end_describe(process->end, process->code, process->core_dumped, end));
    bool has_finding = false;
    for (size_t i = 0; i < report->finding_count; i++)
        if (report->findings[i].pid == process->pid) {
            fprintf(out, "\\n%s", finding_kind_name(report->findings[i].kind));
            has_finding = true;
        }
    fputc('"', out);
    if (has_finding)
        fputs(", color=red, fontcolor=red, penwidth=2", out);
    fputs("];\n", out);
}

int render_dot(const struct report *report, FILE *out)
{
    long *parents = process_parent_indexes(report);
    if (parents == NULL)
        return -ENOMEM;
    fputs("digraph forklab {\n  label=\"forklab check", out);
    for (size_t i = 0; report->argv != NULL && report->argv[i] != NULL; i++) {
        fputc(' ', out);
        put_label_text(out, report->argv[i]);
    }
    fputs("\";\n  labelloc=t;\n  node [shape=box, fontname=\"monospace\"];\n", out);
    /* Node names are record indexes, not pids: a pid can be reused. */
    for (size_t i = 0; i < report->process_count; i++)
        if (!report->processes[i].is_thread)
            put_node(out, report, i);
    for (size_t i = 0; i < report->process_count; i++)
        if (parents[i] >= 0)
            fprintf(out, "  p%ld -> p%zu;\n", parents[i], i);
    fputs("}\n", out);
    free(parents);
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}
