/* A process's events and tables as JSON: each event with its kind, order,
 * time and, where it was read, the whole descriptor table. */
#include "render/json_events.h"

static json_t *fd_to_json(const struct fd_record *fd)
{
    return json_pack("{s:i, s:s, s:s, s:s, s:s}", "fd", fd->fd, "target", fd->target, "kind",
                     fd_kind_name(fd_kind_of(fd->target)), "access", fd_access_name(fd->access),
                     "end", fd_end_name(fd->target, fd->access));
}

static json_t *event_to_json(const struct process_event *event)
{
    json_t *object = json_pack("{s:s, s:I, s:I}", "event", process_event_kind_name(event->kind),
                               "seq", (json_int_t)event->seq, "at_us", (json_int_t)event->at_us);
    if (object == NULL)
        return NULL;
    int failed = 0;
    if (event->program != NULL)
        failed |= json_object_set_new(object, "program", json_string(event->program));
    if (event->kind == PROCESS_EVENT_REAP)
        failed |= json_object_set_new(object, "by", json_integer(event->by));
    if (event->has_fds) {
        json_t *fds = json_array();
        for (size_t i = 0; fds != NULL && i < event->fd_count; i++)
            if (json_array_append_new(fds, fd_to_json(&event->fds[i])) < 0) {
                json_decref(fds);
                fds = NULL;
            }
        failed |= json_object_set_new(object, "fds", fds);
    }
    if (failed) {
        json_decref(object);
        return NULL;
    }
    return object;
}

json_t *process_events_to_json(const struct process_record *process)
{
    json_t *events = json_array();
    for (size_t i = 0; events != NULL && i < process->event_count; i++)
        if (json_array_append_new(events, event_to_json(&process->events[i])) < 0) {
            json_decref(events);
            return NULL;
        }
    return events;
}

json_t *process_wait_to_json(const struct process_wait *wait)
{
    if (!wait->valid)
        return json_null();
    json_t *holders = json_array();
    for (size_t i = 0; holders != NULL && i < wait->holder_count; i++)
        if (json_array_append_new(holders, json_pack("{s:i, s:i}", "pid", wait->holders[i].pid,
                                                     "fd", wait->holders[i].fd)) < 0) {
            json_decref(holders);
            return NULL;
        }
    if (wait->fd < 0)
        return json_pack("{s:s, s:n, s:o}", "description", wait->description, "fd", "held_by",
                         holders);
    return json_pack("{s:s, s:i, s:s, s:s, s:o}", "description", wait->description, "fd", wait->fd,
                     "target", wait->target, "end", fd_end_name(wait->target, wait->access),
                     "held_by", holders);
}
