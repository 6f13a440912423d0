/* The descriptor view of the text report: each process's table after each
 * exec, at its exit and at the timeout, one row per descriptor. Each pipe
 * gets a letter and a column on the right, a rail running from the first
 * row that holds it to the last, so the processes holding its two ends are
 * joined by a line. The row a blocked process waits on, and the rows that
 * hold the other end open, are marked. Fits 80 columns. */
#include "core/write/visible_text.h"
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_WIDTH 80
/* Pipes beyond these letters are named in full, without a rail. */
#define RAILS_MAX 8
/* A bigger run (a fork bomb) shows its first processes; json and html have all. */
#define FDS_PROCESSES_SHOWN 16

/* ROW_NOTE: a line under a table's heading: what the process was blocked on
 * when that was no descriptor (a wait for a child), or that none was open. */
enum row_kind { ROW_PROCESS, ROW_TABLE, ROW_NOTE, ROW_FD };

struct row {
    enum row_kind kind;
    const struct process_record *process;
    const struct process_event *event;
    const struct fd_record *fd;
};

struct rail {
    const char *pipe;   /* "pipe:[123]" */
    size_t first, last; /* rows */
};

struct style_codes {
    const char *bold, *red, *dim, *reset;
};

static const struct style_codes plain = {"", "", "", ""};
static const struct style_codes coloured = {"\033[1m", "\033[31m", "\033[2m", "\033[0m"};

struct view {
    const struct report *report;
    const struct style_codes *style;
    struct row *rows;
    size_t row_count;
    struct rail rails[RAILS_MAX];
    size_t rail_count;
};

/* ---- what the rows say --------------------------------------------------- */

/* Writes text a target chose, escaped by core/visible_text (it can neither
 * act on the terminal nor fake a line), at most `columns` characters of it. */
static size_t put_terminal_text(FILE *out, const char *text, size_t columns)
{
    char *visible = visible_text_dup(text);
    const char *shown = visible != NULL ? visible : "?";
    size_t length = strlen(shown), at = 0, used = 0;
    while (at < length && used < columns) {
        size_t size;
        utf8_decode(shown + at, length - at, &size);
        at += size;
        used++;
    }
    fwrite(shown, 1, at, out);
    free(visible);
    return used;
}

static int rail_of(const struct view *view, const char *target)
{
    for (size_t i = 0; i < view->rail_count; i++)
        if (strcmp(view->rails[i].pipe, target) == 0)
            return (int)i;
    return -1;
}

/* The process blocked at the timeout whose pipe this row holds the other
 * end of (the wait it keeps going), or NULL. */
static const struct process_record *kept_waiting(const struct report *report, const struct row *row)
{
    if (row->event->kind != PROCESS_EVENT_TIMEOUT)
        return NULL;
    return report_waiter_of(report, row->process->pid, row->fd->fd, NULL);
}

static bool waits_here(const struct row *row)
{
    const struct process_wait *wait = &row->process->waiting;
    return row->event->kind == PROCESS_EVENT_TIMEOUT && wait->valid && wait->fd == row->fd->fd;
}

static void describe_target(const struct view *view, const struct fd_record *fd, char *text,
                            size_t size)
{
    const char *end = fd_end_name(fd->target, fd->access);
    int rail = rail_of(view, fd->target);
    const char *capture = strcmp(fd->target, view->report->stdout_pipe) == 0   ? "stdout"
                          : strcmp(fd->target, view->report->stderr_pipe) == 0 ? "stderr"
                                                                               : NULL;
    char name[40];
    if (rail >= 0)
        snprintf(name, sizeof(name), "pipe %c", 'a' + rail);
    else
        snprintf(name, sizeof(name), "%s", fd->target);
    if (fd_kind_of(fd->target) != FD_KIND_PIPE)
        snprintf(text, size, " (%s)", end); /* after the path, which is escaped */
    else if (capture != NULL)
        snprintf(text, size, "%s, %s (forklab reads it: %s)", name, end, capture);
    else
        snprintf(text, size, "%s, %s", name, end);
}

/* ---- the rails ----------------------------------------------------------- */

/* Columns left of the rails. */
static size_t text_width(const struct view *view)
{
    return VIEW_WIDTH - 2 - 2 * view->rail_count;
}

static void pad(FILE *out, size_t used, size_t width)
{
    for (; used < width; used++)
        fputc(' ', out);
}

/* The mark of rail `i` on row `index`: a letter where the row holds the
 * pipe, '|' between its first and last rows, else ' '. */
static char rail_mark(const struct view *view, size_t i, size_t index)
{
    const struct row *row = &view->rows[index];
    const struct rail *rail = &view->rails[i];
    if (row->kind == ROW_FD && strcmp(row->fd->target, rail->pipe) == 0) {
        char mark = row->fd->access == FD_ACCESS_READ    ? 'r'
                    : row->fd->access == FD_ACCESS_WRITE ? 'w'
                                                         : 'x';
        bool marked = waits_here(row) || kept_waiting(view->report, row) != NULL;
        return marked ? (char)(mark - 'a' + 'A') : mark;
    }
    return index > rail->first && index < rail->last ? '|' : ' ';
}

/* Writes the rails of a row, after padding its text to `used` columns; a
 * row that no rail crosses ends at its text. */
static void put_rails(FILE *out, const struct view *view, size_t index, size_t used)
{
    size_t last = view->rail_count;
    while (last > 0 && rail_mark(view, last - 1, index) == ' ')
        last--;
    if (last == 0)
        return;
    pad(out, used, text_width(view) + 2);
    for (size_t i = 0; i < last; i++) {
        char mark = rail_mark(view, i, index);
        bool letter = mark != '|' && mark != ' ';
        bool marked = mark >= 'A' && mark <= 'Z';
        fprintf(out, "%s%c%s%s", letter ? (marked ? view->style->red : "") : view->style->dim, mark,
                view->style->reset, i + 1 < last ? " " : "");
    }
}

/* ---- the rows ------------------------------------------------------------ */

static size_t put_process_row(FILE *out, const struct view *view, const struct row *row,
                              size_t width)
{
    const struct process_record *process = row->process;
    fprintf(out, "  %s", view->style->bold);
    int used = fprintf(out, "%d", (int)process->pid) + 2;
    const char *program =
        process->program_count ? process->programs[process->program_count - 1] : "(forked)";
    fputc(' ', out);
    used += 1 + (int)put_terminal_text(out, program, width - (size_t)used - 1);
    fputs(view->style->reset, out);
    return (size_t)used;
}

static size_t put_table_row(FILE *out, const struct row *row, size_t width)
{
    const struct process_event *event = row->event;
    char time[32];
    event_time_describe(event->at_us, time, sizeof(time));
    int used;
    if (event->kind == PROCESS_EVENT_EXEC) {
        used = fprintf(out, "    after exec, %s: ", time);
        used += (int)put_terminal_text(out, event->program ? event->program : "?",
                                       width - (size_t)used);
    } else if (event->kind == PROCESS_EVENT_EXIT) {
        used = fprintf(out, "    at exit, %s", time);
    } else {
        used = fprintf(out, "    at the timeout, %s", time);
    }
    return (size_t)used;
}

static size_t put_note_row(FILE *out, const struct row *row, size_t width)
{
    if (row->event->fd_count == 0)
        return (size_t)fprintf(out, "      (none open)");
    int used = fprintf(out, "      blocked: ");
    return (size_t)used +
           put_terminal_text(out, row->process->waiting.description, width - (size_t)used);
}

/* A path under the folder forklab ran in, relative to it ("data/in.txt");
 * any other as it is. */
static const char *shown_path(const struct report *report, const char *path)
{
    size_t length = report->cwd != NULL ? strlen(report->cwd) : 0;
    if (length > 1 && strncmp(path, report->cwd, length) == 0 && path[length] == '/' &&
        path[length + 1] != '\0')
        return path + length + 1;
    return path;
}

static size_t put_fd_row(FILE *out, const struct view *view, const struct row *row, size_t width)
{
    const struct fd_record *fd = row->fd;
    char target[160];
    describe_target(view, fd, target, sizeof(target));
    const struct process_record *waiter = kept_waiting(view->report, row);
    bool waiting = waits_here(row);
    if (waiting || waiter != NULL)
        fputs(view->style->red, out);
    int used = fprintf(out, "    %4d  ", fd->fd);
    if (fd_kind_of(fd->target) != FD_KIND_PIPE) {
        size_t room = width - (size_t)used;
        room = room > strlen(target) ? room - strlen(target) : 0;
        used += (int)put_terminal_text(out, shown_path(view->report, fd->target), room);
    }
    used += fprintf(out, "%s", target);
    char note[96] = "";
    if (waiting)
        snprintf(note, sizeof(note), " <- blocked here");
    else if (waiter == row->process)
        snprintf(note, sizeof(note), " <- held open: keeps itself waiting");
    else if (waiter != NULL)
        snprintf(note, sizeof(note), " <- held open: keeps pid %d waiting", (int)waiter->pid);
    if (note[0] != '\0') {
        /* The note matters more than the end of a long path. */
        size_t room = width > (size_t)used ? width - (size_t)used : 0;
        used += fprintf(out, "%.*s", (int)room, note);
    }
    if (waiting || waiter != NULL)
        fputs(view->style->reset, out);
    return (size_t)used;
}

static void put_row(FILE *out, const struct view *view, size_t index)
{
    const struct row *row = &view->rows[index];
    size_t width = text_width(view), used;
    switch (row->kind) {
    case ROW_PROCESS:
        used = put_process_row(out, view, row, width);
        break;
    case ROW_TABLE:
        used = put_table_row(out, row, width);
        break;
    case ROW_NOTE:
        used = put_note_row(out, row, width);
        break;
    default:
        used = put_fd_row(out, view, row, width);
    }
    put_rails(out, view, index, used);
    fputc('\n', out);
}

/* ---- building the view --------------------------------------------------- */

static int add_row(struct view *view, size_t *capacity, struct row row)
{
    if (view->row_count == *capacity) {
        size_t wanted = *capacity ? *capacity * 2 : 64;
        struct row *grown = realloc(view->rows, wanted * sizeof(*grown));
        if (grown == NULL)
            return -ENOMEM;
        view->rows = grown;
        *capacity = wanted;
    }
    view->rows[view->row_count++] = row;
    return 0;
}

static void note_rail(struct view *view, const char *target, size_t row)
{
    if (fd_kind_of(target) != FD_KIND_PIPE)
        return;
    int index = rail_of(view, target);
    if (index >= 0) {
        view->rails[index].last = row;
    } else if (view->rail_count < RAILS_MAX) {
        view->rails[view->rail_count++] = (struct rail){.pipe = target, .first = row, .last = row};
    }
}

static bool has_tables(const struct process_record *process)
{
    for (size_t i = 0; i < process->event_count; i++)
        if (process->events[i].has_fds)
            return true;
    return false;
}

static int build_rows(struct view *view, size_t *shown, size_t *hidden)
{
    const struct report *report = view->report;
    size_t capacity = 0;
    *shown = *hidden = 0;
    for (size_t i = 0; i < report->process_count; i++) {
        const struct process_record *process = &report->processes[i];
        if (process->is_thread || !has_tables(process))
            continue;
        if (*shown == FDS_PROCESSES_SHOWN) {
            (*hidden)++;
            continue;
        }
        (*shown)++;
        if (add_row(view, &capacity, (struct row){.kind = ROW_PROCESS, .process = process}) < 0)
            return -ENOMEM;
        for (size_t e = 0; e < process->event_count; e++) {
            const struct process_event *event = &process->events[e];
            if (!event->has_fds)
                continue;
            if (add_row(view, &capacity,
                        (struct row){.kind = ROW_TABLE, .process = process, .event = event}) < 0)
                return -ENOMEM;
            bool blocked = event->kind == PROCESS_EVENT_TIMEOUT && process->waiting.valid &&
                           process->waiting.fd < 0;
            if ((blocked || event->fd_count == 0) &&
                add_row(view, &capacity,
                        (struct row){.kind = ROW_NOTE, .process = process, .event = event}) < 0)
                return -ENOMEM;
            for (size_t f = 0; f < event->fd_count; f++) {
                struct row row = {
                    .kind = ROW_FD, .process = process, .event = event, .fd = &event->fds[f]};
                if (add_row(view, &capacity, row) < 0)
                    return -ENOMEM;
                note_rail(view, event->fds[f].target, view->row_count - 1);
            }
        }
    }
    return 0;
}

static void put_heading(FILE *out, const struct view *view)
{
    fprintf(out, "%sDescriptors%s (each process's table after each exec, at exit and at the\n",
            view->style->bold, view->style->reset);
    fputs("timeout; a column per pipe joins the rows that hold it: r read end, w write\n", out);
    fputs("end, in capitals where it keeps a blocked process waiting)\n", out);
    if (view->rail_count == 0)
        return;
    pad(out, 0, text_width(view) + 2);
    for (size_t i = 0; i < view->rail_count; i++)
        fprintf(out, "%c%s", (char)('a' + i), i + 1 < view->rail_count ? " " : "\n");
}

static void put_legend(FILE *out, const struct view *view)
{
    for (size_t i = 0; i < view->rail_count; i++) {
        const char *pipe = view->rails[i].pipe;
        fprintf(out, "  %spipe %c%s is %s", view->style->dim, 'a' + (int)i, view->style->reset,
                pipe);
        if (strcmp(pipe, view->report->stdout_pipe) == 0)
            fputs(": forklab captures stdout through it", out);
        else if (strcmp(pipe, view->report->stderr_pipe) == 0)
            fputs(": forklab captures stderr through it", out);
        fputc('\n', out);
    }
}

bool render_fds_wanted(const struct report *report)
{
    return report_count_kind(report, FINDING_TIMEOUT) > 0 ||
           report_count_kind(report, FINDING_FD_LEAK) > 0;
}

int render_fds_text(const struct report *report, FILE *out, bool colour)
{
    struct view view = {.report = report, .style = colour ? &coloured : &plain};
    size_t shown, hidden;
    if (build_rows(&view, &shown, &hidden) < 0) {
        free(view.rows);
        return -ENOMEM;
    }
    put_heading(out, &view);
    if (view.row_count == 0)
        fputs("  (no table was read)\n", out);
    for (size_t i = 0; i < view.row_count; i++)
        put_row(out, &view, i);
    if (hidden > 0)
        fprintf(out,
                "  %s... %zu more processes not shown (--format json or html has them all)%s\n",
                view.style->dim, hidden, view.style->reset);
    put_legend(out, &view);
    free(view.rows);
    return 0;
}
