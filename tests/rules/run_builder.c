/* Trace records built by hand (see run_builder.h). */
#include "run_builder.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static struct traced_process *add_task(struct trace_run *run, pid_t pid)
{
    struct traced_process *task = trace_run_add(run, pid);
    cr_assert_not_null(task);
    task->pid = task->tgid = pid;
    task->state = TASK_RUNNING;
    task->first_stop_seen = task->creation_seen = true;
    task->parent_rss_kib = -1;
    task->created_seq = ++run->seq;
    return task;
}

struct traced_process *built_run_init(struct trace_run *run, pid_t main_pid, const char *program)
{
    trace_run_init(run);
    run->harness_pid = BUILT_HARNESS_PID;
    run->main_pid = main_pid;
    run->timeout_ms = CHECK_DEFAULT_TIMEOUT_MS;
    run->max_procs = CHECK_DEFAULT_MAX_PROCS;
    struct traced_process *main_process = add_task(run, main_pid);
    main_process->is_main = true;
    main_process->created_by = PROCESS_CREATED_FORKLAB;
    main_process->parent = main_process->parent_now = BUILT_HARNESS_PID;
    run->processes_created = run->processes_alive = 1;
    built_exec(run, main_process, program, NULL, 0);
    return main_process;
}

struct traced_process *built_fork(struct trace_run *run, struct traced_process *parent, pid_t pid)
{
    struct traced_process *child = add_task(run, pid);
    child->parent = child->parent_now = parent->pid;
    child->creator = parent;
    child->program = parent->program;
    child->created_by = PROCESS_CREATED_FORK;
    child->parent_threads_at_fork = 1;
    cr_assert_eq(traced_process_add_fork(parent, child, child->created_seq), 0);
    run->processes_created++;
    return child;
}

struct traced_process *built_thread(struct trace_run *run, struct traced_process *process,
                                    pid_t tid)
{
    struct traced_process *thread = add_task(run, tid);
    thread->tgid = process->pid;
    thread->is_thread = true;
    thread->parent = thread->parent_now = process->pid;
    thread->creator = process;
    thread->program = process->program;
    thread->created_by = PROCESS_CREATED_THREAD;
    cr_assert_eq(traced_process_add_fork(process, thread, thread->created_seq), 0);
    process->live_tasks++;
    return thread;
}

/* What tells two argv arrays apart, as exec_attempt_read hashes them. */
static uint64_t argv_hash(const char *argv_text)
{
    uint64_t hash = 14695981039346656037ULL; /* FNV-1a */
    for (const char *at = argv_text; *at != '\0'; at++)
        hash = (hash ^ (unsigned char)*at) * 1099511628211ULL;
    return hash;
}

void built_exec(struct trace_run *run, struct traced_process *process, const char *program,
                const struct fd_entry *crossing, size_t count)
{
    built_exec_argv(run, process, program, program, crossing, count);
}

void built_exec_argv(struct trace_run *run, struct traced_process *process, const char *program,
                     const char *argv_text, const struct fd_entry *crossing, size_t count)
{
    struct exec_attempt attempt = {.path = strdup(program),
                                   .argv_text = strdup(argv_text),
                                   .argv_hash = argv_hash(argv_text),
                                   .seq = ++run->seq,
                                   .error = 0};
    cr_assert_eq(traced_process_add_attempt(process, &attempt), 0);
    if (process->program_count == 0 && process->fork_count == 0)
        process->exec_first = true;
    cr_assert_eq(traced_process_add_program(process, program), 0);
    unsigned long seq = ++run->seq;
    for (size_t i = 0; i < count; i++)
        cr_assert_eq(traced_process_add_fd(&process->fds_after_exec, &process->fds_after_exec_count,
                                           &crossing[i], process->program, seq),
                     0);
}

void built_failed_exec(struct trace_run *run, struct traced_process *process, const char *path,
                       const char *argv_text, int error)
{
    struct exec_attempt attempt = {.path = strdup(path),
                                   .argv_text = strdup(argv_text),
                                   .argv_hash = argv_hash(argv_text),
                                   .seq = ++run->seq,
                                   .error = error};
    cr_assert_eq(traced_process_add_attempt(process, &attempt), 0);
}

void built_exit(struct trace_run *run, struct traced_process *process, int status,
                const struct fd_entry *open_fds, size_t count)
{
    process->exit_seq = ++run->seq;
    process->parent_at_exit = process->parent_now;
    if (WIFEXITED(status))
        for (size_t i = 0; i < count; i++)
            cr_assert_eq(traced_process_add_fd(&process->fds_at_exit, &process->fds_at_exit_count,
                                               &open_fds[i], process->program, process->exit_seq),
                         0);
    traced_process_orphan_children(process, run->harness_pid);
    process->state = TASK_GONE;
    process->exit_status = status;
    process->collected_seq = ++run->seq;
    if (process->is_main)
        run->main_exit_seq = process->exit_seq;
}

void built_killed(struct trace_run *run, struct traced_process *process)
{
    process->killed_by_harness = true;
    built_exit(run, process, SIGKILL, NULL, 0); /* a wait status: killed by SIGKILL */
}

void built_zombie_handed_over(struct traced_process *child)
{
    child->unreaped_when_parent_exited = true;
    child->released = true;
}

struct fd_entry built_fd(int fd, const char *target, int flags)
{
    struct fd_entry entry = {.fd = fd, .flags = flags};
    snprintf(entry.target, sizeof(entry.target), "%s", target);
    return entry;
}

void built_apply(int (*rule)(const struct rule_input *, struct report *),
                 const struct trace_run *run, const struct rule_options *options,
                 struct report *report)
{
    const struct rule_options defaults = {0};
    struct rule_input input = {.run = run, .options = options != NULL ? options : &defaults};
    report_init(report);
    cr_assert_eq(rule(&input, report), 0);
    cr_assert_eq(report->facts_lost, 0, "a rule lost facts (its evidence did not build)");
}

const char *evidence_string(const struct finding *finding, const char *name)
{
    json_t *value = json_object_get(finding->evidence, name);
    cr_assert(json_is_string(value), "evidence has no string \"%s\"", name);
    return json_string_value(value);
}

long long evidence_integer(const struct finding *finding, const char *name)
{
    json_t *value = json_object_get(finding->evidence, name);
    cr_assert(json_is_integer(value), "evidence has no integer \"%s\"", name);
    return json_integer_value(value);
}
