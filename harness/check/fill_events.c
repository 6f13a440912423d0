/* The report's copy of each process's events and of what it waited on. */
#include "check/fill_events.h"
#include "trace/run_events.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

static int copy_event(const struct process_event *from, struct process_record *record)
{
    struct process_event *to = process_events_add(&record->events, &record->event_count, from->kind,
                                                  from->seq, from->at_us, from->program);
    if (to == NULL)
        return -ENOMEM;
    to->by = from->by;
    to->has_fds = from->has_fds;
    for (size_t i = 0; i < from->fd_count; i++)
        if (process_event_add_fd(to, from->fds[i].fd, from->fds[i].access, from->fds[i].target) < 0)
            return -ENOMEM;
    return 0;
}

static void copy_wait(const struct blocked_on *blocked, struct process_wait *wait)
{
    wait->valid = true;
    blocked_on_describe(blocked, wait->description, sizeof(wait->description));
    wait->fd = blocked->fd;
    if (blocked->fd >= 0) {
        snprintf(wait->target, sizeof(wait->target), "%s", blocked->target.target);
        wait->access = fd_access_of_flags(blocked->target.flags);
    }
    for (size_t i = 0; i < blocked->holder_count && i < PROCESS_WAIT_MAX_HOLDERS; i++)
        wait->holders[wait->holder_count++] =
            (struct wait_holder){.pid = blocked->holders[i].pid, .fd = blocked->holders[i].fd};
}

int fill_process_events(const struct traced_process *task, struct process_record *record)
{
    for (size_t i = 0; i < task->event_count; i++)
        if (copy_event(&task->events[i], record) < 0)
            return -ENOMEM;
    record->waiting.fd = -1;
    if (task->blocked.valid)
        copy_wait(&task->blocked, &record->waiting);
    return 0;
}

void capture_pipe_name(int read_end, char *name, size_t size)
{
    struct stat status;
    name[0] = '\0';
    if (read_end >= 0 && fstat(read_end, &status) == 0 && S_ISFIFO(status.st_mode))
        snprintf(name, size, "pipe:[%lu]", (unsigned long)status.st_ino);
}
