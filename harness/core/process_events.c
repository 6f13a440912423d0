/* The events of a process and their descriptor tables: names, appends, and
 * what a descriptor's link text says it is. */
#include "core/process_events.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *process_event_kind_name(enum process_event_kind kind)
{
    static const char *const names[PROCESS_EVENT_KIND_COUNT] = {
        [PROCESS_EVENT_FORK] = "fork", [PROCESS_EVENT_EXEC] = "exec",
        [PROCESS_EVENT_EXIT] = "exit", [PROCESS_EVENT_TIMEOUT] = "timeout",
        [PROCESS_EVENT_REAP] = "reap",
    };
    return (unsigned)kind < PROCESS_EVENT_KIND_COUNT ? names[kind] : NULL;
}

const char *fd_kind_name(enum fd_kind kind)
{
    switch (kind) {
    case FD_KIND_PIPE:
        return "pipe";
    case FD_KIND_SOCKET:
        return "socket";
    case FD_KIND_TTY:
        return "tty";
    case FD_KIND_OTHER:
        return "other";
    case FD_KIND_FILE:
        break;
    }
    return "file";
}

static bool starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

enum fd_kind fd_kind_of(const char *target)
{
    if (starts_with(target, "pipe:["))
        return FD_KIND_PIPE;
    if (starts_with(target, "socket:["))
        return FD_KIND_SOCKET;
    if (starts_with(target, "/dev/pts/") || starts_with(target, "/dev/tty") ||
        strcmp(target, "/dev/console") == 0)
        return FD_KIND_TTY;
    /* A path starts with '/'; the kernel's own objects read "anon_inode:[...]". */
    return target[0] == '/' ? FD_KIND_FILE : FD_KIND_OTHER;
}

const char *fd_access_name(enum fd_access access)
{
    switch (access) {
    case FD_ACCESS_READ:
        return "read";
    case FD_ACCESS_WRITE:
        return "write";
    case FD_ACCESS_READ_WRITE:
        return "read-write";
    case FD_ACCESS_UNKNOWN:
        break;
    }
    return "unknown";
}

const char *fd_end_name(const char *target, enum fd_access access)
{
    if (fd_kind_of(target) == FD_KIND_PIPE && access == FD_ACCESS_READ)
        return "read end";
    if (fd_kind_of(target) == FD_KIND_PIPE && access == FD_ACCESS_WRITE)
        return "write end";
    return fd_access_name(access);
}

/* Grows at powers of two, so no capacity needs storing. */
static int grow(void **items, size_t count, size_t size)
{
    if (count != 0 && (count & (count - 1)) != 0)
        return 0;
    void *grown = realloc(*items, (count ? count * 2 : 1) * size);
    if (grown == NULL)
        return -ENOMEM;
    *items = grown;
    return 0;
}

struct process_event *process_events_add(struct process_event **events, size_t *count,
                                         enum process_event_kind kind, unsigned long seq,
                                         long at_us, const char *program)
{
    char *copy = program != NULL ? strdup(program) : NULL;
    if ((program != NULL && copy == NULL) || grow((void **)events, *count, sizeof(**events)) < 0) {
        free(copy);
        return NULL;
    }
    struct process_event *event = &(*events)[(*count)++];
    *event = (struct process_event){.kind = kind, .seq = seq, .at_us = at_us, .program = copy};
    return event;
}

int process_event_add_fd(struct process_event *event, int fd, enum fd_access access,
                         const char *target)
{
    char *copy = strdup(target);
    if (copy == NULL || grow((void **)&event->fds, event->fd_count, sizeof(*event->fds)) < 0) {
        free(copy);
        return -ENOMEM;
    }
    event->fds[event->fd_count++] = (struct fd_record){.fd = fd, .access = access, .target = copy};
    event->has_fds = true;
    return 0;
}

void process_events_free(struct process_event *events, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < events[i].fd_count; j++)
            free(events[i].fds[j].target);
        free(events[i].fds);
        free(events[i].program);
    }
    free(events);
}

const struct process_event *process_events_find(const struct process_event *events, size_t count,
                                                enum process_event_kind kind)
{
    for (size_t i = 0; i < count; i++)
        if (events[i].kind == kind)
            return &events[i];
    return NULL;
}
