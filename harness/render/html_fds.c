/* The descriptor tables of the HTML report: a section per process with its
 * facts and its table after each exec, at exit and at the timeout; the
 * pipes, each with links to every row holding one of its ends; and, first
 * on the page, who kept a blocked process waiting. */
#include "render/html.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

long html_timeout_table(const struct report *report, long process, int fd)
{
    const struct process_record *record = &report->processes[process];
    for (size_t e = 0; e < record->event_count; e++) {
        const struct process_event *event = &record->events[e];
        if (event->kind != PROCESS_EVENT_TIMEOUT)
            continue;
        for (size_t f = 0; f < event->fd_count; f++)
            if (event->fds[f].fd == fd)
                return (long)e;
    }
    return -1;
}

/* The process blocked at the timeout that this row keeps waiting, or NULL. */
static const struct process_record *kept_waiting(const struct report *report,
                                                 const struct process_record *process,
                                                 const struct process_event *event, int fd)
{
    if (event->kind != PROCESS_EVENT_TIMEOUT)
        return NULL;
    return report_waiter_of(report, process->pid, fd, NULL);
}

static const char *capture_of(const struct report *report, const char *target)
{
    if (strcmp(target, report->stdout_pipe) == 0)
        return "forklab captures stdout through it";
    if (strcmp(target, report->stderr_pipe) == 0)
        return "forklab captures stderr through it";
    return NULL;
}

/* "pipe:[123]" -> 123, for ids; 0 when it is no pipe. */
static unsigned long pipe_inode(const char *target)
{
    return fd_kind_of(target) == FD_KIND_PIPE ? strtoul(target + 6, NULL, 10) : 0;
}

static void put_table_caption(FILE *out, const struct process_event *event)
{
    char time[32];
    event_time_describe(event->at_us, time, sizeof(time));
    fputs("<caption>", out);
    switch (event->kind) {
    case PROCESS_EVENT_EXEC:
        fputs("After exec of <code>", out);
        html_put_text(out, event->program ? event->program : "?", false);
        fprintf(out, "</code>, %s: what crossed the exec", time);
        break;
    case PROCESS_EVENT_EXIT:
        fprintf(out, "At exit, %s: what it never closed", time);
        break;
    default:
        fprintf(out, "At the timeout, %s", time);
    }
    fputs("</caption>\n", out);
}

static void put_fd_row(FILE *out, const struct report *report, size_t index, size_t e,
                       const struct fd_record *fd)
{
    const struct process_record *process = &report->processes[index];
    const struct process_event *event = &process->events[e];
    const struct process_record *waiter = kept_waiting(report, process, event, fd->fd);
    bool waits = event->kind == PROCESS_EVENT_TIMEOUT && process->waiting.valid &&
                 process->waiting.fd == fd->fd;
    fprintf(out, "<tr id=\"proc-%zu-e-%zu-fd-%d\" data-fd=\"%d\"%s><th scope=\"row\">%d</th>",
            index, e, fd->fd, fd->fd,
            waits            ? " class=\"waits\""
            : waiter != NULL ? " class=\"holds\""
                             : "",
            fd->fd);
    fprintf(out, "<td>%s</td><td class=\"mono\">", fd_kind_name(fd_kind_of(fd->target)));
    unsigned long inode = pipe_inode(fd->target);
    if (inode != 0)
        fprintf(out, "<a href=\"#pipe-%lu\">", inode);
    html_put_text(out, fd->target, false);
    if (inode != 0)
        fputs("</a>", out);
    fprintf(out, "</td><td>%s</td><td>", fd_end_name(fd->target, fd->access));
    const char *capture = capture_of(report, fd->target);
    if (waits) {
        fputs("<span class=\"mark\">blocked here:</span> ", out);
        html_put_text(out, process->waiting.description, false);
    } else if (waiter == process) {
        fputs("<span class=\"mark\">held open here: it keeps this process itself waiting</span>",
              out);
    } else if (waiter != NULL) {
        long waiter_index = html_process_index(report, waiter->pid);
        fprintf(out,
                "<span class=\"mark\">held open here: it keeps <a href=\"#proc-%ld\">pid %d</a> "
                "waiting</span>",
                waiter_index, (int)waiter->pid);
    } else if (capture != NULL) {
        fputs(capture, out);
    }
    fputs("</td></tr>\n", out);
}

static void put_table(FILE *out, const struct report *report, size_t index, size_t e)
{
    const struct process_event *event = &report->processes[index].events[e];
    fprintf(out, "<table id=\"proc-%zu-e-%zu\" data-event=\"%s\">\n", index, e,
            process_event_kind_name(event->kind));
    put_table_caption(out, event);
    fputs("<thead><tr><th scope=\"col\">fd</th><th scope=\"col\">kind</th><th scope=\"col\">"
          "points to</th><th scope=\"col\">end or access</th><th scope=\"col\">note</th></tr>"
          "</thead>\n<tbody>\n",
          out);
    for (size_t f = 0; f < event->fd_count; f++)
        put_fd_row(out, report, index, e, &event->fds[f]);
    if (event->fd_count == 0)
        fputs("<tr><td colspan=\"5\">No descriptor open.</td></tr>\n", out);
    fputs("</tbody>\n</table>\n", out);
}

/* The timeline in words: the text alternative of the picture. */
static void put_facts(FILE *out, const struct report *report, size_t index, const long *parents)
{
    const struct process_record *process = &report->processes[index];
    char end[PROCESS_END_SIZE], time[32];
    fputs("<dl>\n<dt>parent</dt><dd>", out);
    if (parents[index] >= 0)
        fprintf(out, "<a href=\"#proc-%ld\">pid %d</a>", parents[index], (int)process->ppid);
    else
        fputs(process->created_by == PROCESS_CREATED_FORKLAB ? "forklab (the main program)"
                                                             : "not seen",
              out);
    fprintf(out, "</dd>\n<dt>created by</dt><dd>%s</dd>\n",
            process_creation_name(process->created_by));
    for (size_t e = 0; e < process->event_count; e++) {
        const struct process_event *event = &process->events[e];
        event_time_describe(event->at_us, time, sizeof(time));
        fprintf(out, "<dt>%s</dt><dd>%s", process_event_kind_name(event->kind), time);
        if (event->kind == PROCESS_EVENT_EXEC) {
            fputs(": <code>", out);
            html_put_text(out, event->program ? event->program : "?", false);
            fputs("</code>", out);
        } else if (event->kind == PROCESS_EVENT_REAP && event->by > 0) {
            long by = html_process_index(report, event->by);
            fprintf(out, ", by <a href=\"#proc-%ld\">pid %d</a>", by, (int)event->by);
        } else if (event->kind == PROCESS_EVENT_REAP) {
            fputs(", by forklab", out);
        }
        fputs("</dd>\n", out);
    }
    if (process_events_find(process->events, process->event_count, PROCESS_EVENT_REAP) == NULL &&
        process_events_find(process->events, process->event_count, PROCESS_EVENT_EXIT) != NULL)
        fprintf(out, "<dt>reap</dt><dd>%s</dd>\n",
                process->reaped_by_parent ? "by its parent, not seen (SIGCHLD ignored?)"
                                          : "not seen");
    fprintf(out, "<dt>ended</dt><dd>%s%s</dd>\n",
            process_end_describe(process->end, process->code, process->core_dumped, end),
            parents[index] >= 0 && !process->reaped_by_parent ? ", not waited for by its parent"
                                                              : "");
    if (process->waiting.valid) {
        fputs("<dt>at the timeout</dt><dd><span class=\"mark\">blocked:</span> ", out);
        html_put_text(out, process->waiting.description, false);
        fputs("</dd>\n", out);
    }
    fputs("</dl>\n", out);
}

void html_put_processes(FILE *out, const struct report *report, const long *parents)
{
    fputs("<section id=\"processes\" aria-labelledby=\"processes-h\">\n<h2 id=\"processes-h\">"
          "Descriptor tables</h2>\n<p>Each process's descriptors after each exec (what crossed "
          "it), at its exit when it exited on its own (what it never closed) and at the timeout. "
          "A pipe's link shows every process holding one of its ends.</p>\n",
          out);
    for (size_t i = 0; i < report->process_count; i++) {
        const struct process_record *process = &report->processes[i];
        if (process->is_thread)
            continue;
        fprintf(out,
                "<section class=\"process\" id=\"proc-%zu\" data-pid=\"%d\" "
                "aria-labelledby=\"proc-%zu-h\">\n<h3 id=\"proc-%zu-h\">pid %d: <code>",
                i, (int)process->pid, i, i, (int)process->pid);
        html_put_text(out, html_program_of(process), false);
        fprintf(out, "</code> <a href=\"#proc-%zu-node\">(in the tree)</a></h3>\n", i);
        put_facts(out, report, i, parents);
        bool any = false;
        for (size_t e = 0; e < process->event_count; e++)
            if (process->events[e].has_fds) {
                put_table(out, report, i, e);
                any = true;
            }
        if (!any)
            fputs("<p>No descriptor table was read (it was killed before it exec'd or "
                  "exited on its own).</p>\n",
                  out);
        fputs("</section>\n", out);
    }
    fputs("</section>\n", out);
}

/* ---- pipes --------------------------------------------------------------- */

/* Links to every row holding `pipe` with the given access. */
static void put_holders(FILE *out, const struct report *report, const char *pipe,
                        enum fd_access access)
{
    bool any = false;
    for (size_t i = 0; i < report->process_count; i++) {
        const struct process_record *process = &report->processes[i];
        for (size_t e = 0; e < process->event_count; e++) {
            const struct process_event *event = &process->events[e];
            for (size_t f = 0; f < event->fd_count; f++) {
                const struct fd_record *fd = &event->fds[f];
                if (fd->access != access || strcmp(fd->target, pipe) != 0)
                    continue;
                fprintf(out, "%s<a href=\"#proc-%zu-e-%zu-fd-%d\">pid %d fd %d (%s)</a>",
                        any ? ", " : "", i, e, fd->fd, (int)process->pid, fd->fd,
                        process_event_kind_name(event->kind));
                any = true;
            }
        }
    }
    if (!any)
        fputs("none seen", out);
}

static bool seen_before(const struct report *report, size_t process, size_t event, size_t fd)
{
    const char *target = report->processes[process].events[event].fds[fd].target;
    for (size_t i = 0; i <= process; i++)
        for (size_t e = 0; e < report->processes[i].event_count; e++)
            for (size_t f = 0; f < report->processes[i].events[e].fd_count; f++) {
                if (i == process && e == event && f == fd)
                    return false;
                if (strcmp(report->processes[i].events[e].fds[f].target, target) == 0)
                    return true;
            }
    return false;
}

void html_put_pipes(FILE *out, const struct report *report)
{
    fputs("<section id=\"pipes\" aria-labelledby=\"pipes-h\">\n<h2 id=\"pipes-h\">Pipes</h2>\n"
          "<table>\n<thead><tr><th scope=\"col\">pipe</th><th scope=\"col\">read end held by"
          "</th><th scope=\"col\">write end held by</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < report->process_count; i++)
        for (size_t e = 0; e < report->processes[i].event_count; e++)
            for (size_t f = 0; f < report->processes[i].events[e].fd_count; f++) {
                const char *target = report->processes[i].events[e].fds[f].target;
                if (fd_kind_of(target) != FD_KIND_PIPE || seen_before(report, i, e, f))
                    continue;
                fprintf(out, "<tr id=\"pipe-%lu\"><th scope=\"row\" class=\"mono\">",
                        pipe_inode(target));
                html_put_text(out, target, false);
                const char *capture = capture_of(report, target);
                if (capture != NULL)
                    fprintf(out, "<br>(%s)", capture);
                fputs("</th><td>", out);
                put_holders(out, report, target, FD_ACCESS_READ);
                fputs("</td><td>", out);
                put_holders(out, report, target, FD_ACCESS_WRITE);
                fputs("</td></tr>\n", out);
            }
    fputs("</tbody>\n</table>\n</section>\n", out);
}

/* ---- at a glance ----------------------------------------------------------- */

void html_put_glance(FILE *out, const struct report *report)
{
    bool any = false;
    for (size_t i = 0; i < report->process_count; i++) {
        const struct process_record *process = &report->processes[i];
        if (!process->waiting.valid)
            continue;
        if (!any)
            fputs("<section id=\"glance\" class=\"glance\" aria-labelledby=\"glance-h\">\n"
                  "<h2 id=\"glance-h\">Who waited on whom at the timeout</h2>\n<ul>\n",
                  out);
        any = true;
        fprintf(out, "<li><a href=\"#proc-%zu\">pid %d</a> (<code>", i, (int)process->pid);
        html_put_text(out, html_program_of(process), false);
        fputs("</code>) was blocked: ", out);
        long table = process->waiting.fd >= 0
                         ? html_timeout_table(report, (long)i, process->waiting.fd)
                         : -1;
        if (table >= 0)
            fprintf(out, "<a href=\"#proc-%zu-e-%ld-fd-%d\">", i, table, process->waiting.fd);
        html_put_text(out, process->waiting.description, false);
        if (table >= 0)
            fputs("</a>", out);
        fputs(".", out);
        if (process->waiting.holder_count > 0)
            fputs(" <strong>The other end was held open by</strong> ", out);
        for (size_t h = 0; h < process->waiting.holder_count; h++) {
            const struct wait_holder *holder = &process->waiting.holders[h];
            long index = html_process_index(report, holder->pid);
            long holder_table = index >= 0 ? html_timeout_table(report, index, holder->fd) : -1;
            if (h > 0)
                fputs(", ", out);
            if (holder_table >= 0)
                fprintf(out, "<a class=\"mark\" href=\"#proc-%ld-e-%ld-fd-%d\">", index,
                        holder_table, holder->fd);
            fprintf(out, "pid %d as fd %d", (int)holder->pid, holder->fd);
            const struct process_event *event =
                holder_table >= 0 ? &report->processes[index].events[holder_table] : NULL;
            for (size_t f = 0; event != NULL && f < event->fd_count; f++)
                if (event->fds[f].fd == holder->fd)
                    fprintf(out, ", the %s",
                            fd_end_name(event->fds[f].target, event->fds[f].access));
            if (holder_table >= 0)
                fputs("</a>", out);
            if (holder->pid == process->pid)
                fputs(" (its own copy)", out);
        }
        if (process->waiting.holder_count > 0)
            fputs(".", out);
        fputs("</li>\n", out);
    }
    if (any)
        fputs("</ul>\n</section>\n", out);
}
