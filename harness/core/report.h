/* The one result record of a `forklab check` run: the process tree, the
 * findings and the captured output. The tracer and the rules fill it in;
 * renderers only read it ("rules never print; renderers never decide"). */
#ifndef FORKLAB_REPORT_H
#define FORKLAB_REPORT_H

#include "core/finding.h"
#include "core/process.h"
#include "core/process_events.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct finding {
    enum finding_kind kind;
    pid_t pid;        /* the process that committed it (0 when it is the whole run) */
    char *message;    /* one plain sentence a student understands */
    json_t *evidence; /* an object with the kind's evidence (fd, target, program, parent, ...) */
    enum finding_reason reason; /* the cause proved, from the evidence's "reason" */
    const char *lesson;         /* the lesson that explains it, chosen from the reason (static) */
};

/* How a process ended, as far as the harness saw it. */
enum process_end {
    PROCESS_RUNNING,  /* still alive when the report was made (only while running) */
    PROCESS_EXITED,   /* exit code in `code` */
    PROCESS_SIGNALED, /* killed by signal `code` it was not sent by the harness */
    /* the harness ended it (timeout, limit, cleanup); signal in `code` */
    PROCESS_STOPPED_BY_HARNESS
};

/* From this resident size up, a parent's fork is worth a look: copying the
 * page tables of 64 MiB (16,384 entries, every page marked copy-on-write)
 * takes a noticeable fraction of a millisecond, paid again at every fork,
 * while a shell, a test or a student's exercise holds a few MiB and stays
 * far below. */
#define COPYING_SPAWN_MIN_PARENT_KIB (64L * 1024)

struct process_record {
    pid_t pid;
    pid_t ppid;     /* the parent at creation */
    bool is_thread; /* a CLONE_THREAD task; kept out of the tree */
    enum process_creation created_by;
    long parent_rss_kib; /* its parent's resident memory when it was created; -1 unknown */
    bool exec_first;     /* its first act was a successful exec: it created nothing before */
    char **programs;     /* every program it exec'd, in order (NULL-terminated) */
    size_t program_count;
    enum process_end end;
    int code; /* exit code or signal number */
    bool core_dumped;
    bool reaped_by_parent; /* its own parent waited for it */
    /* Its life in order: fork, each exec, exit, reap, with descriptor
     * tables (core/process_events.h). */
    struct process_event *events;
    size_t event_count;
    struct process_wait waiting; /* what it was blocked on at the timeout (valid) */
};

/* What kept the program in (trace/sandbox/box.h): a PID namespace of its
 * own under forklab's init, with its own /proc, and limits the kernel
 * enforces; or less, where the kernel refused a part, and why. */
struct report_isolation {
    bool recorded;       /* a traced run filled this in */
    bool namespaces;     /* its own PID namespace (under forklab's init) and mount namespace */
    bool user_namespace; /* and a user namespace (forklab was not root) */
    long max_tasks;      /* the kernel's limit on its tasks, threads included; 0 none */
    long memory_mib;     /* the kernel's limit on its memory; 0 none */
    long cpu_seconds;    /* the CPU time each of its processes may use (RLIMIT_CPU); 0 none */
    char *missing;       /* why a part of that is missing; NULL when nothing is */
};

struct report {
    char *program; /* the program as resolved (path) */
    char **argv;   /* NULL-terminated */
    pid_t main_pid;
    enum process_end main_end; /* how the main process ended */
    int main_code;
    long duration_ms;
    struct process_record *processes;
    size_t process_count, process_capacity;
    struct finding *findings;
    size_t finding_count, finding_capacity;
    struct captured_output out, err;
    /* The pipes forklab captures stdout and stderr through ("pipe:[123]"; ""
     * unknown), so a descriptor view can say where fd 1 and 2 lead. */
    char stdout_pipe[32], stderr_pipe[32];
    char **checks; /* the checks that ran, e.g. "trace", "valgrind-memcheck" */
    size_t check_count;
    /* Facts the run could not record: an allocation that failed, evidence
     * that could not be built. Nonzero makes the report incomplete, which
     * every format says, so a grade never rests silently on lost facts. */
    size_t facts_lost;
    struct report_isolation isolation;
};

void report_init(struct report *report);
void report_free(struct report *report);

/* Appends a finding; takes ownership of `evidence`, from which its lesson
 * is chosen (core/lesson_choice.c), so the evidence must be complete here.
 * NULL evidence is what a failed json_pack gives: the finding is kept with
 * an empty object and the report counts a lost fact (pass json_object() for
 * a finding without evidence). `message` is printf-style. Returns 0 or
 * -ENOMEM. */
int report_add_finding(struct report *report, enum finding_kind kind, pid_t pid, json_t *evidence,
                       const char *message, ...) __attribute__((format(printf, 5, 6)));

/* Appends a process record (copied shallowly: the report owns `programs`
 * afterwards) and returns a pointer to it, or NULL on allocation failure. */
struct process_record *report_add_process(struct report *report, pid_t pid, pid_t ppid);
/* Appends one exec'd program to a process record. Returns 0 or -ENOMEM. */
int process_record_add_program(struct process_record *process, const char *program);
/* Finds a process record by pid (the newest one, as pids can be reused). */
struct process_record *report_find_process(struct report *report, pid_t pid);
/* Records that a named check ran. Returns 0 or -ENOMEM. */
int report_add_check(struct report *report, const char *check);
/* The lessons of a kind's findings, each once, in order, joined by " and "
 * ("lessons/13-orphans.md and lessons/02-runaway-children.md"); the kind's
 * own lesson when it has no finding. Returns `text`. */
const char *report_kind_lessons(const struct report *report, enum finding_kind kind, char *text,
                                size_t size);

/* Whether a process is a copying spawn: created by fork() from a parent
 * holding at least COPYING_SPAWN_MIN_PARENT_KIB, only to exec, so the copy
 * of the parent's page tables was thrown away unused. A forked worker that
 * does not exec uses its copy (copy-on-write on purpose), and is not one. */
bool process_record_is_copying_spawn(const struct process_record *process);
/* The process that was blocked at the timeout on a pipe whose other end
 * `pid` held open as `fd` (any of its fds when `fd` < 0; the one found goes
 * to *held_fd when not NULL), from the holders its wait recorded; NULL. */
const struct process_record *report_waiter_of(const struct report *report, pid_t pid, int fd,
                                              int *held_fd);
/* Whether some facts of the run were lost (facts_lost > 0). */
bool report_is_incomplete(const struct report *report);
/* Counts findings of one kind. */
size_t report_count_kind(const struct report *report, enum finding_kind kind);
/* Whether the checks that ran cover a kind: memory_leak needs the valgrind
 * pass (check "valgrind-memcheck"), every other kind the tracer ("trace").
 * A kind with a finding counts as checked whatever the list says. */
bool report_kind_checked(const struct report *report, enum finding_kind kind);

#endif
