/* The run's timeline and descriptor tables, noted at the tracer's stops. */
#include "trace/run_events.h"
#include "core/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>

long trace_run_now_us(const struct trace_run *run)
{
    return clock_now_us() - run->start_us;
}

struct process_event *trace_note_event(struct trace_run *run, struct traced_process *process,
                                       enum process_event_kind kind, unsigned long seq)
{
    struct process_event *event = process_events_add(&process->events, &process->event_count, kind,
                                                     seq, trace_run_now_us(run), process->program);
    if (event == NULL)
        trace_run_note(run, -ENOMEM);
    return event;
}

void trace_note_reap(struct trace_run *run, struct traced_process *process, pid_t by)
{
    if (process_events_find(process->events, process->event_count, PROCESS_EVENT_REAP) != NULL)
        return;
    struct process_event *event = trace_note_event(run, process, PROCESS_EVENT_REAP, ++run->seq);
    if (event != NULL)
        event->by = by;
}

enum fd_access fd_access_of_flags(int flags)
{
    if (flags < 0)
        return FD_ACCESS_UNKNOWN;
    switch (flags & O_ACCMODE) {
    case O_RDONLY:
        return FD_ACCESS_READ;
    case O_WRONLY:
        return FD_ACCESS_WRITE;
    default:
        return FD_ACCESS_READ_WRITE;
    }
}

void trace_note_event_with_fds(struct trace_run *run, struct traced_process *process, pid_t tid,
                               enum process_event_kind kind, unsigned long seq,
                               struct fd_fact **facts, size_t *fact_count)
{
    struct process_event *event = trace_note_event(run, process, kind, seq);
    struct fd_table table;
    fd_table_init(&table);
    if (fd_table_read(tid, 0, &table) == 0) {
        if (event != NULL)
            event->has_fds = true;
        for (size_t i = 0; i < table.count; i++) {
            const struct fd_entry *entry = &table.entries[i];
            if (event != NULL)
                trace_run_note(run, process_event_add_fd(event, entry->fd,
                                                         fd_access_of_flags(entry->flags),
                                                         entry->target));
            if (facts != NULL && fact_count != NULL && entry->fd >= 3)
                trace_run_note(
                    run, traced_process_add_fd(facts, fact_count, entry, process->program, seq));
        }
    }
    fd_table_free(&table);
}
