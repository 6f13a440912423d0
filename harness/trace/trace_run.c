/* The facts record of a traced run: allocation, lookup by pid, appends.
 * Records are allocated one by one and never move, so pointers to them (a
 * fork's child, a program name) stay valid for the life of the run. */
#include "trace/trace_run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void trace_run_init(struct trace_run *run)
{
    memset(run, 0, sizeof(*run));
}

static void free_strings(char **strings, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(strings[i]);
    free(strings);
}

static void traced_process_free(struct traced_process *process)
{
    free_strings(process->programs, process->program_count);
    for (size_t i = 0; i < process->attempt_count; i++) {
        free(process->attempts[i].path);
        free(process->attempts[i].argv_text);
    }
    free(process->attempts);
    free(process->forks);
    free(process->exec_signals);
    free(process->fds_after_exec);
    free(process->fds_at_exit);
    free(process->bad_closes);
    free(process->closes);
    process_events_free(process->events, process->event_count);
    free(process);
}

int trace_run_note(struct trace_run *run, int error)
{
    if (error < 0)
        run->facts_lost++;
    return error;
}

void trace_run_free(struct trace_run *run)
{
    for (size_t i = 0; i < run->count; i++)
        traced_process_free(run->processes[i]);
    free(run->processes);
    trace_run_init(run);
}

/* Makes room for one more element of `size` bytes in *items. */
static int grow(void **items, size_t count, size_t *capacity, size_t size)
{
    if (count < *capacity)
        return 0;
    size_t wanted = *capacity ? *capacity * 2 : 4;
    void *grown = realloc(*items, wanted * size);
    if (grown == NULL)
        return -ENOMEM;
    *items = grown;
    *capacity = wanted;
    return 0;
}

/* For arrays whose capacity is not stored: grow at powers of two. */
static int grow_exact(void **items, size_t count, size_t size)
{
    if (count != 0 && (count & (count - 1)) != 0)
        return 0; /* not a power of two: there is room already */
    void *grown = realloc(*items, (count ? count * 2 : 1) * size);
    if (grown == NULL)
        return -ENOMEM;
    *items = grown;
    return 0;
}

struct traced_process *trace_run_add(struct trace_run *run, pid_t pid)
{
    if (grow((void **)&run->processes, run->count, &run->capacity, sizeof(*run->processes)) < 0)
        return NULL;
    struct traced_process *process = calloc(1, sizeof(*process));
    if (process == NULL)
        return NULL;
    process->pid = pid;
    process->tgid = pid;
    process->state = TASK_NEW;
    process->live_tasks = 1;
    process->exit_status = -1;
    process->parent_rss_kib = -1;
    process->syscall_awaiting_exit = -1;
    size_t bucket = (size_t)pid % TRACE_RUN_BUCKETS;
    process->hash_next = run->buckets[bucket];
    run->buckets[bucket] = process;
    run->processes[run->count++] = process;
    return process;
}

struct traced_process *trace_run_find(const struct trace_run *run, pid_t pid)
{
    for (struct traced_process *process = run->buckets[(size_t)pid % TRACE_RUN_BUCKETS];
         process != NULL; process = process->hash_next)
        if (process->pid == pid)
            return process;
    return NULL;
}

struct traced_process *trace_run_find_collected(const struct trace_run *run, pid_t pid)
{
    for (struct traced_process *process = run->buckets[(size_t)pid % TRACE_RUN_BUCKETS];
         process != NULL; process = process->hash_next)
        if (process->pid == pid && !process->is_thread && process->state == TASK_GONE)
            return process;
    return NULL;
}

struct traced_process *trace_run_process_of(const struct trace_run *run,
                                            struct traced_process *task)
{
    if (!task->is_thread)
        return task;
    struct traced_process *leader = trace_run_find(run, task->tgid);
    return leader != NULL ? leader : task;
}

int traced_process_add_program(struct traced_process *process, const char *program)
{
    char *copy = strdup(program);
    if (copy == NULL ||
        grow_exact((void **)&process->programs, process->program_count, sizeof(char *)) < 0) {
        free(copy);
        return -ENOMEM;
    }
    process->programs[process->program_count++] = copy;
    process->program = copy;
    return 0;
}

int traced_process_add_attempt(struct traced_process *process, struct exec_attempt *attempt)
{
    if (grow_exact((void **)&process->attempts, process->attempt_count,
                   sizeof(*process->attempts)) < 0) {
        free(attempt->path);
        free(attempt->argv_text);
        return -ENOMEM;
    }
    process->attempts[process->attempt_count++] = *attempt;
    return 0;
}

struct exec_attempt *traced_process_last_attempt(struct traced_process *process)
{
    return process->attempt_count ? &process->attempts[process->attempt_count - 1] : NULL;
}

int traced_process_add_exec_signals(struct traced_process *process,
                                    const struct exec_signals *signals)
{
    if (grow_exact((void **)&process->exec_signals, process->exec_signals_count,
                   sizeof(*process->exec_signals)) < 0)
        return -ENOMEM;
    process->exec_signals[process->exec_signals_count++] = *signals;
    return 0;
}

int traced_process_add_fork(struct traced_process *process, struct traced_process *child,
                            unsigned long seq)
{
    if (grow_exact((void **)&process->forks, process->fork_count, sizeof(*process->forks)) < 0)
        return -ENOMEM;
    process->forks[process->fork_count++] = (struct fork_fact){.child = child, .seq = seq};
    return 0;
}

int traced_process_add_fd(struct fd_fact **facts, size_t *count, const struct fd_entry *entry,
                          const char *program, unsigned long seq)
{
    if (grow_exact((void **)facts, *count, sizeof(**facts)) < 0)
        return -ENOMEM;
    (*facts)[(*count)++] = (struct fd_fact){.entry = *entry, .program = program, .seq = seq};
    return 0;
}

int traced_process_add_bad_close(struct traced_process *process, const struct bad_close_fact *fact)
{
    if (grow_exact((void **)&process->bad_closes, process->bad_close_count,
                   sizeof(*process->bad_closes)) < 0)
        return -ENOMEM;
    process->bad_closes[process->bad_close_count++] = *fact;
    return 0;
}

const struct close_record *traced_process_last_close(const struct traced_process *process, int fd)
{
    for (size_t i = 0; i < process->close_count; i++)
        if (process->closes[i].fd == fd)
            return &process->closes[i];
    return NULL;
}

int traced_process_remember_close(struct traced_process *process, int fd, pid_t by,
                                  const char *program, unsigned long seq)
{
    struct close_record record = {.fd = fd, .by = by, .seq = seq, .program = program};
    for (size_t i = 0; i < process->close_count; i++) {
        if (process->closes[i].fd == fd) {
            process->closes[i] = record;
            return 0;
        }
    }
    if (grow((void **)&process->closes, process->close_count, &process->close_capacity,
             sizeof(*process->closes)) < 0)
        return -ENOMEM;
    process->closes[process->close_count++] = record;
    return 0;
}

int traced_process_inherit_closes(struct traced_process *child, const struct traced_process *parent)
{
    if (parent->close_count == 0)
        return 0;
    child->closes = malloc(parent->close_count * sizeof(*child->closes));
    if (child->closes == NULL)
        return -ENOMEM;
    memcpy(child->closes, parent->closes, parent->close_count * sizeof(*child->closes));
    child->close_count = child->close_capacity = parent->close_count;
    return 0;
}
