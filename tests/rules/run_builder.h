/* Trace records built by hand, as the tracer would leave them, so that each
 * rule can be tested on exactly the facts it judges: no ptrace, no
 * process, no timing. Every helper asserts that it worked. */
#ifndef FORKLAB_TEST_RUN_BUILDER_H
#define FORKLAB_TEST_RUN_BUILDER_H

#include "check/check.h"
#include "core/report.h"
#include "rules/rules.h"
#include "trace/trace_run.h"

#include <sys/types.h>

/* The harness's own pid in a built run: the subreaper orphans go to. */
#define BUILT_HARNESS_PID 1

/* Starts a run whose main program, `main_pid`, runs `program`. Returns the
 * main process's record. */
struct traced_process *built_run_init(struct trace_run *run, pid_t main_pid, const char *program);

/* A process `parent` forked (it runs the parent's program until it execs). */
struct traced_process *built_fork(struct trace_run *run, struct traced_process *parent, pid_t pid);
/* A thread of `process`. */
struct traced_process *built_thread(struct trace_run *run, struct traced_process *process,
                                    pid_t tid);
/* A successful exec of `program`, with these descriptors >= 3 crossing it;
 * its arguments are the program's name alone, or `argv_text`. */
void built_exec(struct trace_run *run, struct traced_process *process, const char *program,
                const struct fd_entry *crossing, size_t count);
void built_exec_argv(struct trace_run *run, struct traced_process *process, const char *program,
                     const char *argv_text, const struct fd_entry *crossing, size_t count);
/* An exec attempt that failed with `error` (its argv, as text). */
void built_failed_exec(struct trace_run *run, struct traced_process *process, const char *path,
                       const char *argv_text, int error);

/* The process exits (its last task's exit stop) with wait status `status`,
 * holding these descriptors >= 3 (when it exits on its own), and is then
 * collected by the tracer. Its children still running become the
 * harness's. */
void built_exit(struct trace_run *run, struct traced_process *process, int status,
                const struct fd_entry *open_fds, size_t count);
/* The process is killed by the harness (timeout, limit, the end). */
void built_killed(struct trace_run *run, struct traced_process *process);
/* The kernel handed the exited `child` to the subreaper as a zombie once
 * its parent was gone: the tracer collected it a second time. */
void built_zombie_handed_over(struct traced_process *child);

/* An fd entry: "pipe:[N]" with O_RDONLY/O_WRONLY, or a path. */
struct fd_entry built_fd(int fd, const char *target, int flags);

/* Applies one rule with no options (or `options`) into `report`. */
void built_apply(int (*rule)(const struct rule_input *, struct report *),
                 const struct trace_run *run, const struct rule_options *options,
                 struct report *report);

/* The evidence field `name` as a string / an integer (asserting it is one). */
const char *evidence_string(const struct finding *finding, const char *name);
long long evidence_integer(const struct finding *finding, const char *name);

#endif
