/* fd_leak's facts at an exit (see exit_readers.h): the ends, their readers,
 * and who of them waits on this exit. */
#include "trace/exit_readers.h"
#include "trace/steer/holds.h"
#include "trace/proc/blocked_on.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

size_t exit_unneeded_write_ends(const struct traced_process *process, const struct fd_entry **ends,
                                size_t max)
{
    const struct idle_fact *idle = &process->idle;
    if (idle->call == NULL || process->written_at_exit != idle->written)
        return 0;
    size_t count = 0;
    for (size_t i = 0; i < process->fds_at_exit_count && count < max; i++) {
        const struct fd_entry *entry = &process->fds_at_exit[i].entry;
        for (size_t j = 0; j < idle->write_end_count; j++)
            if (idle->write_ends[j].entry.fd == entry->fd &&
                strcmp(idle->write_ends[j].entry.target, entry->target) == 0) {
                ends[count++] = entry;
                break;
            }
    }
    return count;
}

void exit_watch_readers(const struct tracer *tracer, const struct traced_process *process,
                        const struct fd_entry **ends, size_t end_count, struct hold *hold)
{
    pid_t *pids;
    size_t count = trace_run_live_processes(tracer->run, process, NULL, &pids);
    size_t readers = 0;
    for (size_t i = 0; i < count; i++) {
        struct fd_table table;
        fd_table_init(&table);
        bool reads = false;
        if (fd_table_read(pids[i], 0, &table) == 0)
            for (size_t j = 0; j < table.count && !reads; j++)
                for (size_t k = 0; k < end_count && !reads; k++)
                    reads = strcmp(table.entries[j].target, ends[k]->target) == 0 &&
                            table.entries[j].flags >= 0 &&
                            (table.entries[j].flags & O_ACCMODE) != O_WRONLY;
        fd_table_free(&table);
        if (reads)
            pids[readers++] = pids[i];
    }
    if (readers == 0) {
        free(pids);
        return;
    }
    hold->watched = pids;
    hold->watched_count = readers;
}

void exit_note_waiting_readers(struct tracer *tracer, const struct hold *hold,
                               struct traced_process *process)
{
    const struct fd_entry *ends[EXIT_ENDS_MAX];
    size_t end_count = exit_unneeded_write_ends(process, ends, EXIT_ENDS_MAX);
    pid_t *live;
    size_t live_count = trace_run_live_processes(tracer->run, NULL, process, &live);
    for (size_t i = 0; i < hold->watched_count && live != NULL; i++) {
        const struct traced_process *reader = trace_run_find(tracer->run, hold->watched[i]);
        struct blocked_on blocked;
        if (reader == NULL || holds_process(tracer, reader) ||
            blocked_on_read(reader->pid, reader->group_stop_signal, &blocked) < 0 ||
            blocked.state != 'S' || blocked.fd < 0 || blocked.target.flags < 0 ||
            (blocked.target.flags & O_ACCMODE) != O_RDONLY)
            continue;
        for (size_t k = 0; k < end_count; k++) {
            if (strcmp(blocked.target.target, ends[k]->target) != 0)
                continue;
            blocked_on_find_other_end(&blocked, live, live_count);
            bool only_this = blocked.holder_count > 0;
            for (size_t h = 0; h < blocked.holder_count; h++)
                only_this = only_this && blocked.holders[h].pid == process->pid;
            if (only_this) {
                struct pipe_reader_fact fact = {.fd = ends[k]->fd,
                                                .reader = reader->pid,
                                                .reader_fd = blocked.fd,
                                                .reader_program = reader->program};
                trace_run_note(tracer->run, traced_process_add_waiting_reader(process, &fact));
            }
            break;
        }
    }
    free(live);
}
