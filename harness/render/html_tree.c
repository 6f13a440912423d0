/* The process tree and the timeline as one inline SVG, one row a process:
 * on the left its node in the tree (a link to its descriptor tables), on the
 * right its life on a time axis: running from fork to exit, a zombie from
 * exit to reap, each exec marked. An arrow joins a process that holds a
 * pipe end open to the process blocked waiting on that pipe. */
#include "render/html.h"
#include "render/render.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ROW_HEIGHT  44
#define NODE_HEIGHT 36
#define TOP         34  /* room for the time axis */
#define TREE_WIDTH  340 /* the tree's column */
#define INDENT      16
#define INDENT_MAX  12 /* deeper levels stay at this indent */
#define AXIS_LEFT   400
#define AXIS_WIDTH  500
#define SVG_WIDTH   (AXIS_LEFT + AXIS_WIDTH + 30)
#define CHAR_WIDTH  7.3 /* of the 12px monospace text, to cut labels */
#define LOG_UNIT_US 100.0

/* The tree in display order: a process, then its children, depth-first. */
struct layout {
    const struct report *report;
    const long *parents;
    size_t *order; /* record indexes */
    int *depth;    /* by record index */
    long *row_of;  /* by record index; -1 not shown */
    size_t rows;
    long end_us; /* the right end of the axis */
};

static void place(struct layout *layout, size_t index, int depth)
{
    layout->row_of[index] = (long)layout->rows;
    layout->order[layout->rows++] = index;
    layout->depth[index] = depth;
    for (size_t i = index + 1; i < layout->report->process_count; i++)
        if (layout->parents[i] == (long)index)
            place(layout, i, depth + 1);
}

static long last_time(const struct report *report)
{
    long end = 1000;
    for (size_t i = 0; i < report->process_count; i++)
        for (size_t e = 0; e < report->processes[i].event_count; e++)
            if (report->processes[i].events[e].at_us > end)
                end = report->processes[i].events[e].at_us;
    return end;
}

/* Logarithmic, so that the microseconds of a fork and the seconds of a
 * timeout both show: 0 at the left, the last event at the right. */
static double x_of(const struct layout *layout, long at_us)
{
    if (at_us < 0)
        at_us = 0;
    return AXIS_LEFT + AXIS_WIDTH * log10(1.0 + at_us / LOG_UNIT_US) /
                           log10(1.0 + layout->end_us / LOG_UNIT_US);
}

static double row_top(size_t row)
{
    return TOP + (double)row * ROW_HEIGHT;
}

/* ---- nodes --------------------------------------------------------------- */

static double node_left(const struct layout *layout, size_t index)
{
    int depth = layout->depth[index] < INDENT_MAX ? layout->depth[index] : INDENT_MAX;
    return 8 + depth * INDENT;
}

/* Writes at most `columns` characters of text, escaped, "…" when cut. */
static void put_cut_text(FILE *out, const char *text, double width)
{
    size_t columns = width > 2 * CHAR_WIDTH ? (size_t)(width / CHAR_WIDTH) : 2;
    size_t length = strlen(text), used = 0, at = 0;
    while (at < length && used < columns - 1) {
        size_t size;
        utf8_decode(text + at, length - at, &size);
        at += size;
        used++;
    }
    char *cut = strndup(text, at);
    if (cut == NULL)
        return;
    html_put_text(out, cut, false);
    if (at < length)
        fputs("\xE2\x80\xA6", out);
    free(cut);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/* The node's second line: what matters most about the process. */
static void second_line(const struct report *report, const struct process_record *process,
                        char *text, size_t size, bool *alarming)
{
    char end[PROCESS_END_SIZE];
    int fd;
    const struct process_record *waiter = report_waiter_of(report, process->pid, -1, &fd);
    const struct process_wait *wait = &process->waiting;
    *alarming = wait->valid || waiter != NULL;
    char blocked[256];
    if (wait->valid && wait->fd >= 0)
        snprintf(blocked, sizeof(blocked), "blocked on fd %d (%s)", wait->fd,
                 fd_end_name(wait->target, wait->access));
    else if (wait->valid)
        snprintf(blocked, sizeof(blocked), "blocked: %s", wait->description);
    if (wait->valid && waiter != NULL)
        snprintf(text, size, "%s, holds fd %d", blocked, fd);
    else if (wait->valid)
        snprintf(text, size, "%s", blocked);
    else if (waiter != NULL)
        snprintf(text, size, "holds fd %d open: keeps pid %d waiting", fd, (int)waiter->pid);
    else
        snprintf(text, size, "%s",
                 process_end_describe(process->end, process->code, process->core_dumped, end));
}

static void put_node(FILE *out, const struct layout *layout, size_t index)
{
    const struct report *report = layout->report;
    const struct process_record *process = &report->processes[index];
    double x = node_left(layout, index), y = row_top((size_t)layout->row_of[index]) + 4;
    double width = TREE_WIDTH - x;
    char kinds[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < report->finding_count && used < sizeof(kinds); i++)
        if (report->findings[i].pid == process->pid)
            used += (size_t)snprintf(kinds + used, sizeof(kinds) - used, "%s%s", used ? ", " : "",
                                     finding_kind_name(report->findings[i].kind));
    char line[320];
    bool alarming;
    second_line(report, process, line, sizeof(line), &alarming);

    fprintf(out,
            "<a href=\"#proc-%zu\" id=\"proc-%zu-node\" class=\"node\" data-pid=\"%d\" "
            "aria-label=\"pid %d, ",
            index, index, (int)process->pid, (int)process->pid);
    html_put_text(out, html_program_of(process), true);
    fputs(": ", out);
    html_put_text(out, line, true);
    if (kinds[0] != '\0')
        fprintf(out, "; findings: %s", kinds);
    fputs("\">\n", out);
    fprintf(out,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"5\" fill=\"%s\" "
            "stroke=\"%s\" stroke-width=\"%s\"/>\n",
            x, y, width, NODE_HEIGHT, alarming ? "#fde8e8" : "#eef3fb",
            kinds[0] != '\0' || alarming ? "#b00020" : "#5b7fb8",
            kinds[0] != '\0' || alarming ? "2.5" : "1");
    fprintf(out,
            "<text x=\"%.1f\" y=\"%.1f\" font-family=\"monospace\" font-size=\"12\" "
            "font-weight=\"bold\" fill=\"#1b1b1b\">",
            x + 6, y + 14);
    char first[300];
    snprintf(first, sizeof(first), "%d %s%s%s%s", (int)process->pid,
             base_name(html_program_of(process)), kinds[0] ? " [" : "", kinds, kinds[0] ? "]" : "");
    put_cut_text(out, first, width - 12);
    fprintf(out,
            "</text>\n<text x=\"%.1f\" y=\"%.1f\" font-family=\"monospace\" font-size=\"12\" "
            "fill=\"%s\">",
            x + 6, y + 29, alarming ? "#b00020" : "#333");
    put_cut_text(out, line, width - 12);
    fputs("</text>\n</a>\n", out);
}

static void put_edge(FILE *out, const struct layout *layout, size_t index)
{
    long parent = layout->parents[index];
    if (parent < 0 || layout->row_of[parent] < 0)
        return;
    double px = node_left(layout, (size_t)parent) + 8;
    double py = row_top((size_t)layout->row_of[parent]) + 4 + NODE_HEIGHT;
    double cx = node_left(layout, index), cy = row_top((size_t)layout->row_of[index]) + 22;
    fprintf(out,
            "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"#777\" "
            "stroke-width=\"1.5\"/>\n",
            px, py, cy, cx);
}

/* ---- the timeline -------------------------------------------------------- */

static void put_axis(FILE *out, const struct layout *layout, double height)
{
    static const long ticks[] = {0, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    static const char *const labels[] = {"0", "1 ms", "10 ms", "100 ms", "1 s", "10 s", "100 s"};
    fprintf(out,
            "<text x=\"%d\" y=\"12\" font-size=\"12\" fill=\"#333\">time since the start "
            "(logarithmic)</text>\n",
            AXIS_LEFT);
    for (size_t i = 0; i < sizeof(ticks) / sizeof(ticks[0]) && ticks[i] <= layout->end_us; i++) {
        double x = x_of(layout, ticks[i]);
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
                "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#555\" "
                "text-anchor=\"middle\">%s</text>\n",
                x, TOP - 6, x, height - 6, x, TOP - 8, labels[i]);
    }
}

static long event_time(const struct process_record *process, enum process_event_kind kind)
{
    const struct process_event *event =
        process_events_find(process->events, process->event_count, kind);
    return event != NULL ? event->at_us : -1;
}

static void put_lifeline(FILE *out, const struct layout *layout, size_t index)
{
    const struct process_record *process = &layout->report->processes[index];
    double mid = row_top((size_t)layout->row_of[index]) + ROW_HEIGHT / 2.0;
    long fork = event_time(process, PROCESS_EVENT_FORK),
         exit = event_time(process, PROCESS_EVENT_EXIT);
    long reap = event_time(process, PROCESS_EVENT_REAP);
    char from[32], to[32];
    if (fork >= 0) {
        long end = exit >= 0 ? exit : layout->end_us;
        event_time_describe(fork, from, sizeof(from));
        event_time_describe(end, to, sizeof(to));
        fprintf(out,
                "<rect class=\"alive\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" "
                "fill=\"#3b73b9\"><title>pid %d running from %s to %s</title></rect>\n",
                x_of(layout, fork), mid - 6, x_of(layout, end) - x_of(layout, fork) + 1,
                (int)process->pid, from, to);
    }
    if (exit >= 0) {
        long end = reap >= 0 ? reap : layout->end_us;
        event_time_describe(exit, from, sizeof(from));
        event_time_describe(end, to, sizeof(to));
        double x = x_of(layout, exit), width = x_of(layout, end) - x;
        fprintf(out,
                "<rect class=\"zombie\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" "
                "fill=\"url(#zombie)\" stroke=\"#9a7400\"><title>pid %d a zombie from its exit at "
                "%s to %s (%s)</title></rect>\n",
                x, mid - 6, width + 1, (int)process->pid, from, reap >= 0 ? to : "the end",
                reap < 0 ? "no reap seen" : "reaped");
        if (width > 48)
            fprintf(out,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#5c4400\">zombie</text>\n",
                    x + 4, mid - 9);
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1b1b1b\" "
                "stroke-width=\"2\"><title>exit at %s</title></line>\n",
                x, mid - 9, x, mid + 9, from);
    }
    for (size_t e = 0; e < process->event_count; e++) {
        const struct process_event *event = &process->events[e];
        double x = x_of(layout, event->at_us);
        event_time_describe(event->at_us, from, sizeof(from));
        if (event->kind == PROCESS_EVENT_EXEC) {
            fprintf(out,
                    "<path d=\"M%.1f %.1fl5 6l-5 6l-5 -6z\" fill=\"#fff\" stroke=\"#1b1b1b\">"
                    "<title>exec of ",
                    x, mid - 6);
            html_put_text(out, event->program ? event->program : "?", false);
            fprintf(out, " at %s</title></path>\n", from);
        } else if (event->kind == PROCESS_EVENT_REAP) {
            fprintf(out,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1b1b1b\"><title>reaped by %s "
                    "at %s</title></circle>\n",
                    x, mid, event->by > 0 ? "its parent" : "forklab", from);
        }
    }
}

static void put_timeout_line(FILE *out, const struct layout *layout, double height)
{
    long at = -1;
    for (size_t i = 0; i < layout->report->process_count && at < 0; i++)
        at = event_time(&layout->report->processes[i], PROCESS_EVENT_TIMEOUT);
    if (at < 0)
        return;
    double x = x_of(layout, at);
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b00020\" "
            "stroke-dasharray=\"5 4\" stroke-width=\"1.5\"/>\n<text x=\"%.1f\" y=\"%d\" "
            "font-size=\"11\" fill=\"#b00020\" text-anchor=\"end\">timeout</text>\n",
            x, TOP - 4, x, height - 4, x - 3, TOP + 8);
}

/* An arrow from each process holding the other end of a pipe to the
 * process blocked on it: the one to close (or read) to end the wait. */
static void put_wait_arrows(FILE *out, const struct layout *layout)
{
    const struct report *report = layout->report;
    for (size_t i = 0; i < report->process_count; i++) {
        const struct process_wait *wait = &report->processes[i].waiting;
        if (!wait->valid || layout->row_of[i] < 0)
            continue;
        double wy = row_top((size_t)layout->row_of[i]) + 22, x = TREE_WIDTH + 2;
        for (size_t h = 0; h < wait->holder_count; h++) {
            long holder = html_process_index(report, wait->holders[h].pid);
            if (holder < 0 || layout->row_of[holder] < 0)
                continue;
            double hy = row_top((size_t)layout->row_of[holder]) + 22;
            fprintf(out, "<path class=\"holds\" d=\"");
            if (holder == (long)i)
                fprintf(out, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x, wy - 8, x + 44, wy - 22,
                        x + 44, wy + 22, x, wy + 8);
            else
                fprintf(out, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x, hy, x + 50, hy, x + 50,
                        wy, x, wy);
            fprintf(out,
                    "\" fill=\"none\" stroke=\"#b00020\" stroke-width=\"2\" "
                    "marker-end=\"url(#arrow)\"><title>pid %d holds fd %d, the other end of ",
                    (int)wait->holders[h].pid, wait->holders[h].fd);
            html_put_text(out, wait->target, false);
            fprintf(out, ": pid %d waits on it</title></path>\n", (int)report->processes[i].pid);
        }
    }
}

int html_put_tree(FILE *out, const struct report *report, const long *parents)
{
    size_t count = report->process_count;
    struct layout layout = {.report = report,
                            .parents = parents,
                            .order = calloc(count + 1, sizeof(size_t)),
                            .depth = calloc(count + 1, sizeof(int)),
                            .row_of = malloc((count + 1) * sizeof(long)),
                            .end_us = last_time(report)};
    if (layout.order == NULL || layout.depth == NULL || layout.row_of == NULL) {
        free(layout.order);
        free(layout.depth);
        free(layout.row_of);
        return -ENOMEM;
    }
    for (size_t i = 0; i < count; i++)
        layout.row_of[i] = -1;
    for (size_t i = 0; i < count; i++)
        if (!report->processes[i].is_thread && parents[i] < 0)
            place(&layout, i, 0);
    double height = TOP + (double)layout.rows * ROW_HEIGHT + 12;

    fputs("<section id=\"tree\" aria-labelledby=\"tree-h\">\n<h2 id=\"tree-h\">Processes and "
          "timeline</h2>\n",
          out);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" width=\"%d\" "
            "height=\"%.0f\" role=\"group\" aria-labelledby=\"tree-title\" "
            "aria-describedby=\"tree-legend\">\n<title id=\"tree-title\">The process tree (%zu "
            "processes), each a link to its descriptor tables, and a timeline of each process"
            "</title>\n",
            SVG_WIDTH, height, SVG_WIDTH, height, layout.rows);
    fputs("<defs><pattern id=\"zombie\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
          "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f2c94c\"/>"
          "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#9a7400\" stroke-width=\"2\"/>"
          "</pattern><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
          "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 "
          "5L0 10z\" fill=\"#b00020\"/></marker></defs>\n",
          out);
    put_axis(out, &layout, height);
    for (size_t row = 0; row < layout.rows; row++)
        put_edge(out, &layout, layout.order[row]);
    for (size_t row = 0; row < layout.rows; row++) {
        put_node(out, &layout, layout.order[row]);
        put_lifeline(out, &layout, layout.order[row]);
    }
    put_timeout_line(out, &layout, height);
    put_wait_arrows(out, &layout);
    fputs("</svg>\n<p id=\"tree-legend\">Each row is a process, under the process that created "
          "it. Blue bar: running, from its fork to its exit; yellow hatched bar: a zombie, from "
          "its exit until it was reaped (the dot); white diamond: an exec. A red arrow runs from "
          "a process holding a pipe end open to the process blocked on that pipe. The table of "
          "each process below gives the same times in numbers.</p>\n</section>\n",
          out);
    free(layout.order);
    free(layout.depth);
    free(layout.row_of);
    return 0;
}
