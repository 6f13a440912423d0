/* check_run: the engine of `forklab check`. It refuses what cannot start,
 * sets up the target's stdio and the harness's containment, runs the target
 * under the tracer, fills the report's process tree from the facts, lets
 * the rules judge, and runs the valgrind pass when asked.
 * run (sandbox + tracer) -> facts -> rules -> findings -> report. */
#include "check/check.h"
#include "check/fill_events.h"
#include "check/program_path.h"
#include "rules/rules.h"
#include "trace/sandbox/box.h"
#include "trace/sandbox/sandbox.h"
#include "trace/sandbox/target_stdio.h"
#include "trace/tracer.h"
#include "valgrind/valgrind.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

void check_options_init(struct check_options *options)
{
    memset(options, 0, sizeof(*options));
    options->timeout_ms = CHECK_DEFAULT_TIMEOUT_MS;
    options->max_procs = CHECK_DEFAULT_MAX_PROCS;
    options->output_cap = CHECK_DEFAULT_OUTPUT_CAP;
    options->max_memory_mib = CHECK_DEFAULT_MAX_MEMORY_MIB;
}

static int refuse(int error, char *why, size_t why_size, const char *reason)
{
    snprintf(why, why_size, "%s", reason);
    return error;
}

static char **copy_argv(char *const *argv)
{
    size_t count = 0;
    while (argv[count] != NULL)
        count++;
    char **copy = calloc(count + 1, sizeof(char *));
    if (copy == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        copy[i] = strdup(argv[i]);
        if (copy[i] == NULL) {
            for (size_t j = 0; j < i; j++)
                free(copy[j]);
            free(copy);
            return NULL;
        }
    }
    return copy;
}

static enum process_end end_of(const struct traced_process *process, int *code, bool *core)
{
    int status = process->exit_status;
    *core = false;
    if (process->state != TASK_GONE || status < 0) {
        *code = SIGKILL; /* stuck past the kill grace; the final sweep took it */
        return PROCESS_STOPPED_BY_HARNESS;
    }
    if (WIFEXITED(status)) {
        *code = WEXITSTATUS(status);
        return PROCESS_EXITED;
    }
    *code = WTERMSIG(status);
    *core = WCOREDUMP(status);
    return process->killed_by_harness && *code == SIGKILL ? PROCESS_STOPPED_BY_HARNESS
                                                          : PROCESS_SIGNALED;
}

/* The report's process tree, from the facts. */
static int fill_processes(const struct trace_run *run, struct report *report)
{
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *task = run->processes[i];
        struct process_record *record = report_add_process(report, task->pid, task->parent);
        if (record == NULL)
            return -ENOMEM;
        record->is_thread = task->is_thread;
        record->created_by = task->created_by;
        record->parent_rss_kib = task->parent_rss_kib;
        record->exec_first = task->exec_first;
        for (size_t j = 0; j < task->program_count; j++)
            if (process_record_add_program(record, task->programs[j]) < 0)
                return -ENOMEM;
        record->end = end_of(task, &record->code, &record->core_dumped);
        record->reaped_by_parent = task->reaped_by_parent;
        if (fill_process_events(task, record) < 0)
            return -ENOMEM;
        if (task->is_main) {
            report->main_end = record->end;
            report->main_code = record->code;
        }
    }
    report->main_pid = run->main_pid;
    report->duration_ms = run->duration_ms;
    report->facts_lost += run->facts_lost;
    return 0;
}

/* The harness-wide state a run changes, restored afterwards: we are a
 * subreaper, so that orphans of the target come back to us. */
struct harness_state {
    int old_subreaper;
};

static int harness_state_enter(struct harness_state *state)
{
    state->old_subreaper = 0;
    prctl(PR_GET_CHILD_SUBREAPER, &state->old_subreaper, 0, 0, 0);
    return sandbox_become_subreaper();
}

static void harness_state_leave(const struct harness_state *state)
{
    prctl(PR_SET_CHILD_SUBREAPER, state->old_subreaper, 0, 0, 0);
}

static int validate(const struct check_options *options, char *why, size_t why_size)
{
    if (options == NULL || options->argv == NULL || options->argv[0] == NULL ||
        options->argv[0][0] == '\0')
        return refuse(-EINVAL, why, why_size, "no program given");
    if (options->timeout_ms <= 0)
        return refuse(-EINVAL, why, why_size, "the timeout must be positive");
    if (options->max_procs <= 0)
        return refuse(-EINVAL, why, why_size, "the process limit must be positive");
    if (options->max_memory_mib < 0)
        return refuse(-EINVAL, why, why_size, "the memory limit cannot be negative");
    if (options->run_as && geteuid() != 0)
        return refuse(-EPERM, why, why_size, "only root can run the program as another user");
    return 0;
}

/* The main program's own exec failed (say, an executable file that is no
 * program: ENOEXEC): then nothing ran, and that is a start failure. */
static int main_exec_error(const struct trace_run *run)
{
    const struct traced_process *main_process = trace_run_find(run, run->main_pid);
    if (main_process == NULL || main_process->program_count > 0 || main_process->attempt_count == 0)
        return 0;
    return main_process->attempts[0].error > 0 ? -main_process->attempts[0].error : 0;
}

/* The most pids.max takes: the kernel's PID_MAX_LIMIT on 64-bit machines. */
#define CHECK_MAX_KERNEL_TASKS (4L * 1024 * 1024)

/* The box the options ask for. The pids cgroup is a backstop above the
 * tracer's own count, which holds each new process before it runs: at most
 * one more per process at once (2N + 1), the box's init, and room for a few
 * threads; past it the kernel refuses forks. Each process may use the CPU
 * time the whole run could use on every core, so RLIMIT_CPU never ends a
 * process before the deadline does. */
static struct box_request box_request_of(const struct check_options *options)
{
    if (options->no_isolation)
        return (struct box_request){.namespaces = false};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long seconds = (options->timeout_ms + 999) / 1000;
    long max_tasks = 2 * options->max_procs + 2 + 64;
    return (struct box_request){
        .namespaces = true,
        .max_tasks = max_tasks < CHECK_MAX_KERNEL_TASKS ? max_tasks : CHECK_MAX_KERNEL_TASKS,
        .memory_mib = options->max_memory_mib,
        .cpu_seconds = seconds * (cores > 0 ? cores : 1) + 1,
    };
}

/* What the box was, for the report. */
static int record_isolation(const struct box *box, struct report *report)
{
    struct report_isolation *isolation = &report->isolation;
    isolation->recorded = true;
    isolation->namespaces = box->init_pid > 0;
    isolation->user_namespace = box->user_namespace;
    isolation->max_tasks = box->limits.max_tasks;
    isolation->memory_mib = box->limits.memory_mib;
    isolation->cpu_seconds = box->request.cpu_seconds;
    const char *outside = box->why_outside, *limits = box->limits.why_missing;
    if (!box->request.namespaces)
        outside = "asked for with --no-isolation";
    if (outside[0] == '\0' && limits[0] == '\0')
        return 0;
    if (asprintf(&isolation->missing, "%s%s%s", outside, outside[0] && limits[0] ? "; " : "",
                 limits) < 0) {
        isolation->missing = NULL;
        return -ENOMEM;
    }
    return 0;
}

/* Runs the target under the tracer and turns the facts into the report. */
static int trace_target(const struct check_options *options, const char *path,
                        struct report *report, char *why, size_t why_size)
{
    struct harness_state state;
    int error = harness_state_enter(&state);
    if (error < 0) {
        snprintf(why, why_size, "cannot become a child subreaper: %s", strerror(-error));
        return error;
    }
    struct trace_run run;
    trace_run_init(&run);
    struct box box;
    struct box_request request = box_request_of(options);
    error = box_prepare(&box, &request);
    struct target_stdio stdio;
    if (error == 0)
        error = target_stdio_open(&stdio, options->stdin_path, why, why_size);
    if (error == 0) {
        capture_pipe_name(stdio.out[0], report->stdout_pipe, sizeof(report->stdout_pipe));
        capture_pipe_name(stdio.err[0], report->stderr_pipe, sizeof(report->stderr_pipe));
        struct target_spawn spawn = {.path = path,
                                     .argv = options->argv,
                                     .stdin_fd = stdio.in,
                                     .stdout_fd = stdio.out[1],
                                     .stderr_fd = stdio.err[1],
                                     .protect = {.harness_pid = getpid(),
                                                 .harness_tid = gettid(),
                                                 .harness_pgrp = getpgrp()},
                                     .run_as = options->run_as,
                                     .uid = options->run_uid,
                                     .gid = options->run_gid};
        struct tracer_config config = {.spawn = &spawn,
                                       .box = &box,
                                       .stdout_read = stdio.out[0],
                                       .stderr_read = stdio.err[0],
                                       .output_cap = options->output_cap,
                                       .out = &report->out,
                                       .err = &report->err,
                                       .timeout_ms = options->timeout_ms,
                                       .max_procs = options->max_procs};
        /* tracer_run takes over all five descriptors. */
        error = tracer_run(&config, &run);
        if (error < 0)
            snprintf(why, why_size, "cannot start %s: %s", path, strerror(-error));
        if (error == 0)
            error = record_isolation(&box, report);
    } else if (error == -ENOMEM) {
        snprintf(why, why_size, "out of memory");
    }
    box_close(&box);
    harness_state_leave(&state);

    if (error == 0) {
        error = main_exec_error(&run);
        if (error < 0)
            snprintf(why, why_size, "%s: cannot execute: %s", path, strerror(-error));
    }
    if (error == 0) {
        struct rule_options rule_options = {.allowed_fds = options->allowed_fds,
                                            .allowed_fd_count = options->allowed_fd_count};
        struct rule_input input = {.run = &run, .options = &rule_options};
        error = fill_processes(&run, report);
        if (error == 0)
            error = report_add_check(report, "trace");
        if (error == 0)
            error = rules_apply(&input, report);
        if (error < 0)
            snprintf(why, why_size, "out of memory while writing the report");
    }
    trace_run_free(&run);
    return error;
}

int check_run(const struct check_options *options, struct report *report, char *why,
              size_t why_size)
{
    char scratch[256];
    if (why == NULL || why_size == 0) {
        why = scratch;
        why_size = sizeof(scratch);
    }
    why[0] = '\0';
    int error = validate(options, why, why_size);
    if (error < 0)
        return error;
    char path[PATH_MAX];
    error = program_path_resolve(options->argv[0], path, sizeof(path), why, why_size);
    if (error < 0)
        return error;

    report->program = strdup(path);
    report->argv = copy_argv(options->argv);
    if (report->program == NULL || report->argv == NULL)
        return refuse(-ENOMEM, why, why_size, "out of memory");
    error = trace_target(options, path, report, why, why_size);
    if (error < 0)
        return error;
    if (options->valgrind) {
        struct valgrind_target target = {.argv = options->argv,
                                         .timeout_ms = options->timeout_ms,
                                         .stdin_path = options->stdin_path,
                                         .allowed_fds = options->allowed_fds,
                                         .allowed_fd_count = options->allowed_fd_count,
                                         .run_as = options->run_as,
                                         .run_uid = options->run_uid,
                                         .run_gid = options->run_gid};
        return valgrind_pass(&target, report, why, why_size);
    }
    return 0;
}
