/* The facts one traced run leaves behind. The tracer writes them at its
 * stops (it observes and records, it never judges); the rules read them
 * afterwards and decide what is a finding. Every event gets a sequence
 * number, so the rules can tell what happened before what. */
#ifndef FORKLAB_TRACE_RUN_H
#define FORKLAB_TRACE_RUN_H

#include "trace/proc/blocked_on.h"
#include "trace/proc/fd_table.h"
#include "trace/proc/proc_status.h"
#include "core/process.h"
#include "core/process_events.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One execve/execveat the process attempted. */
struct exec_attempt {
    char *path;            /* as passed (relative paths stay relative) */
    char *argv_text;       /* the arguments joined by spaces, for evidence */
    uint64_t argv_hash;    /* tells two argv arrays apart */
    uint64_t argv_address; /* where argv was in the tracee (a PATH search reuses it) */
    unsigned long seq;
    int error; /* 0 it succeeded, an errno when it failed, -1 not known yet */
};

/* A process (or thread) this one created. */
struct fork_fact {
    struct traced_process *child;
    unsigned long seq;
};

/* A descriptor seen open where it should not have been: after an exec (the
 * exec did not close it), or when the process exited. */
struct fd_fact {
    struct fd_entry entry;
    const char *program; /* the program running then */
    unsigned long seq;
};

/* A close() of a descriptor that was not open. */
struct bad_close_fact {
    int fd;
    pid_t tid;           /* the thread that called it */
    const char *program; /* the program running then */
    unsigned long seq;
    pid_t last_closed_by; /* 0 when no earlier close of this fd was seen */
    unsigned long last_closed_seq;
    const char *last_closed_program;
};

/* The last signal delivered to a task (from its signal-delivery stop). */
struct signal_fact {
    int signo; /* 0: none seen */
    int code;  /* si_code: > 0 the kernel sent it (a fault), <= 0 a process did */
    pid_t sender;
    uint64_t address; /* si_addr for faults */
};

/* The signals a program started with, read at its exec stop: a blocked
 * mask and SIG_IGN both cross fork and exec, so a program can start unable
 * to hear a signal its code never touched. */
struct exec_signals {
    signal_bits blocked, ignored;
    const char *program; /* the program that starts */
    const char *exec_by; /* the program this process ran before the exec (NULL: none,
                          * main's first program, started by the harness) */
};

/* Signals a process sent to this one that reached a signal-delivery stop.
 * A traced process stops for an ignored signal too (the kernel lets the
 * tracer see it), so an ignored kill() shows here; a blocked one never
 * arrives, and shows as pending in /proc instead. */
struct received_signals {
    signal_bits from_processes; /* si_code <= 0: kill(), sigqueue(), tgkill() */
    pid_t sender[64];           /* by signal number - 1: the last sender */
};

/* A live process's signal state and threads, read when it was found still
 * running: at the timeout, or when the main program exited. */
struct signals_now {
    bool valid;
    struct proc_status status;
};

/* The last time a process went idle (slept, waited for a child, paused)
 * with the write end of a pipe open, read at the stop of that call: which
 * ends, and how many bytes it had written in all by then. If it writes
 * nothing more before its exit, it no longer needed those ends. */
struct idle_fact {
    const char *call; /* "nanosleep", "wait4", ...; NULL: never idle so */
    unsigned long seq;
    uint64_t written; /* /proc/PID/io wchar then */
    struct fd_fact *write_ends;
    size_t write_end_count;
};

/* A process that waited for end of file on a pipe whose write end the
 * exiting process held: read at its exit stop, once the readers of the
 * pipe had settled (trace/exit_readers.c). */
struct pipe_reader_fact {
    int fd; /* the exiting process's descriptor: the write end */
    pid_t reader;
    int reader_fd;
    const char *reader_program;
};

/* How a hold of the tracer ended (trace/steer/holds.c). */
enum hold_end {
    HOLD_END_DONE,        /* what it waited for happened */
    HOLD_END_OTHERS_WAIT, /* the processes it waited for were all waiting themselves */
    HOLD_END_TIME,        /* it lasted the longest a hold may */
    HOLD_END_RUN_ENDED,   /* the run ended first (killed with the rest) */
};

/* What a steered schedule held (trace/steer/schedule.h), for the evidence of the
 * findings that schedule shows. */
enum hold_kind {
    HOLD_SIGCHLD,    /* a parent at the delivery of SIGCHLD */
    HOLD_AFTER_FORK, /* a parent at its fork, while the child runs */
    HOLD_NEW_CHILD,  /* a new child before its first instruction, while its parent runs */
    HOLD_READER,     /* a program with a pipe on stdin, at its exec, while the writers write */
    HOLD_EXIT_LAST,  /* a process at its exit, while its children end */
};

struct steering_fact {
    enum hold_kind kind;
    pid_t pid; /* the process held */
    const char *program;
    pid_t other; /* the child (after fork), the parent (new child), else 0 */
    const char *other_program;
    unsigned children_exited; /* SIGCHLD: its children that had exited by the release */
    bool all_exited;          /* SIGCHLD, exit_last: every child had exited by then */
    bool coalesced; /* SIGCHLD: another was pending at the release: the held one was dropped */
    enum hold_end end;
    unsigned long seq; /* when it was released */
};

/* Where the harness stands with a task, for the tracer's own bookkeeping. */
enum task_state {
    TASK_NEW, /* created; its parent's fork event or its first stop not seen yet */
    TASK_RUNNING,
    TASK_EXITING, /* reported PTRACE_EVENT_EXIT, or died */
    TASK_GONE     /* its exit status was collected */
};

/* The record of one task: a process (the thread group leader) or a thread.
 * Process-wide facts live in the leader's record. */
struct traced_process {
    pid_t pid;
    pid_t tgid;
    bool is_thread;
    bool is_main;
    pid_t parent;                   /* who created it (a tgid; the harness pid for main) */
    struct traced_process *creator; /* the record of that process (NULL for main) */
    pid_t parent_now;               /* its parent as it changes: the orphan reaper once orphaned */
    pid_t parent_at_exit;           /* parent_now when it exited */
    pid_t pid_in_box;               /* (a process) its pid in the box; 0: no box */
    unsigned long created_seq, exit_seq, collected_seq; /* 0: not (yet) */
    enum process_creation created_by; /* fork (a copy), vfork (shared memory), thread */
    long parent_rss_kib;              /* the creator's resident memory then; -1 not read */
    bool exec_first; /* its first act was a successful exec, before creating any task */

    const char *program; /* the program it runs now (owned by it or an ancestor) */
    char **programs;     /* every program it exec'd, in order */
    size_t program_count;
    struct exec_attempt *attempts;
    size_t attempt_count;
    struct fork_fact *forks;
    size_t fork_count;
    struct fd_fact *fds_after_exec; /* descriptors >= 3 open right after an exec */
    size_t fds_after_exec_count;
    struct fd_fact *fds_at_exit; /* descriptors >= 3 open when it exited on its own */
    size_t fds_at_exit_count;
    struct bad_close_fact *bad_closes;
    size_t bad_close_count;
    struct signal_fact last_signal;
    int parent_threads_at_fork;        /* threads its parent ran when it forked this
                                        * process (0: unknown, or main) */
    struct exec_signals *exec_signals; /* one per exec that worked, in order */
    size_t exec_signals_count;
    struct received_signals received;
    struct signals_now signals_now;

    int exit_status;                  /* a wait status, valid once collected */
    bool killed_by_harness;           /* the harness sent it SIGKILL while it was alive */
    bool running_at_main_exit;        /* still running user code when main exited */
    bool exiting_at_main_exit;        /* exiting (or exited, not collected) when main exited */
    bool unreaped_when_parent_exited; /* it had exited, and its parent exited without reaping it */
    bool reaped_by_parent;            /* derived when the run ends */
    struct blocked_on blocked;        /* what it waited on at the timeout (blocked.valid) */
    struct idle_fact idle;            /* its last idle call with a pipe's write end open */
    uint64_t written_at_exit;         /* wchar when it exited (with fds_at_exit) */
    struct pipe_reader_fact *waiting_readers; /* waiting on its write ends at its exit */
    size_t waiting_reader_count;
    /* With --strict-fds: descriptors >= 3 it had before its first
     * instruction (inherited through fork, not opened by it). */
    struct fd_fact *fds_at_start;
    size_t fds_at_start_count;
    bool fds_at_start_read;
    /* Its timeline with descriptor tables, for the pictures of a run
     * (trace/run_events.c): fork, exec, exit, timeout, reap. */
    struct process_event *events;
    size_t event_count;

    /* Tracer bookkeeping, not facts. */
    enum task_state state;
    bool first_stop_seen; /* a new task's initial stop arrived */
    bool creation_seen;   /* its parent's fork/clone event arrived */
    bool awaiting_classification;
    bool in_vfork;                       /* a vfork parent waiting for its child to exec or exit */
    struct traced_process *vfork_parent; /* (a vfork child) the parent it holds */
    bool released;                       /* (a process) reaped by someone: its pid is free again */
    int live_tasks;                      /* (leader) its threads not yet exiting, itself included */
    int group_stop_signal;               /* nonzero while in a group stop */
    bool sigchld_interrupt;      /* (a process) interrupted for sigchld_held, not yet held */
    long syscall_awaiting_exit;  /* the call whose exit stop we asked for; -1 none */
    uint64_t syscall_args[6];    /* its arguments, read at its entry */
    struct close_record *closes; /* where each fd was last closed */
    size_t close_count, close_capacity;
    struct traced_process *hash_next;
};

/* Where a descriptor was last closed (for bad_close evidence). */
struct close_record {
    int fd;
    pid_t by;
    unsigned long seq;
    const char *program;
};

#define TRACE_RUN_BUCKETS 1024

struct trace_run {
    pid_t harness_pid;
    /* Who orphans are handed to, and main's parent: the harness itself (a
     * child subreaper), or the box's init when the target runs in a box. */
    pid_t orphan_reaper;
    pid_t main_pid;
    struct traced_process **processes; /* every task, in creation order */
    size_t count, capacity;
    struct traced_process *buckets[TRACE_RUN_BUCKETS]; /* by pid: the newest record first */
    unsigned long seq;                                 /* the last sequence number handed out */

    size_t processes_created; /* processes (not threads), main included */
    size_t processes_alive;   /* processes created and not yet known gone */
    size_t peak_alive;
    long max_procs;
    bool limit_hit;
    long forks_refused_by_kernel; /* by the box's pids cgroup (cgroup_limits.h) */
    long memory_kills;            /* processes the kernel killed at the box's memory limit */
    long memory_limit_mib;
    long timeout_ms;
    bool timed_out;
    unsigned long main_exit_seq;
    size_t facts_lost; /* records or events the tracer could not keep (out of memory) */
    struct steering_fact *steering; /* what a steered schedule held, in order */
    size_t steering_count;
    long duration_ms; /* from the start to the end of the main program (or the kill) */
    long start_us;    /* CLOCK_MONOTONIC at the start, in µs: events are timed from it */
};

void trace_run_init(struct trace_run *run);
void trace_run_free(struct trace_run *run);

/* Adds a record for a new task. Returns it, or NULL when out of memory. */
struct traced_process *trace_run_add(struct trace_run *run, pid_t pid);
/* The newest record of `pid`, or NULL. */
struct traced_process *trace_run_find(const struct trace_run *run, pid_t pid);
/* The newest record of a process (not a thread) `pid` whose exit the tracer
 * has collected, or NULL. */
struct traced_process *trace_run_find_collected(const struct trace_run *run, pid_t pid);
/* The process (leader) record a task belongs to. */
struct traced_process *trace_run_process_of(const struct trace_run *run,
                                            struct traced_process *task);

/* Counts a lost fact when `error` is negative (an append that failed), so
 * the report can say it is incomplete. Returns `error`. */
int trace_run_note(struct trace_run *run, int error);

/* Queries for the tracer's holds (trace/steer/holds.c). */

/* Its children (processes) not yet collected, nor handed to the subreaper. */
size_t traced_process_live_children(const struct traced_process *process);
/* Its children (processes) the tracer has collected. */
size_t traced_process_ended_children(const struct traced_process *process);
/* Whether a thread of it is alive and not exiting. */
bool traced_process_has_live_threads(const struct traced_process *process);
/* Whether every child of it that had exited has been collected. */
bool traced_process_exited_children_collected(const struct traced_process *process);
/* The live processes of the run but `except`, and `also` (an exiting one)
 * when not NULL. Returns how many went into *pids (malloc'd; NULL when out
 * of memory, and then 0). */
size_t trace_run_live_processes(const struct trace_run *run, const struct traced_process *except,
                                const struct traced_process *also, pid_t **pids);

/* The process finishes its exit: its children still running are orphans
 * now, and the kernel hands them to `orphan_reaper` (run->orphan_reaper). */
void traced_process_orphan_children(struct traced_process *process, pid_t orphan_reaper);

/* Append helpers: each returns 0 or -ENOMEM. */
int trace_run_add_steering(struct trace_run *run, const struct steering_fact *fact);
/* Replaces the process's idle fact with one of `call` at `seq`, taking
 * over `write_ends` (a malloc'd array). */
void traced_process_set_idle(struct traced_process *process, const char *call, unsigned long seq,
                             uint64_t written, struct fd_fact *write_ends, size_t count);
int traced_process_add_waiting_reader(struct traced_process *process,
                                      const struct pipe_reader_fact *fact);
int traced_process_add_program(struct traced_process *process, const char *program);
/* Appends an attempt, taking over its strings (freed on failure too). */
int traced_process_add_attempt(struct traced_process *process, struct exec_attempt *attempt);
/* The process's latest attempt, or NULL. */
struct exec_attempt *traced_process_last_attempt(struct traced_process *process);
/* Records the signal state the program it just exec'd starts with. */
int traced_process_add_exec_signals(struct traced_process *process,
                                    const struct exec_signals *signals);
int traced_process_add_fork(struct traced_process *process, struct traced_process *child,
                            unsigned long seq);
int traced_process_add_fd(struct fd_fact **facts, size_t *count, const struct fd_entry *entry,
                          const char *program, unsigned long seq);
int traced_process_add_bad_close(struct traced_process *process, const struct bad_close_fact *fact);
/* Remembers that `fd` was closed (by `by`, running `program`, at `seq`). */
int traced_process_remember_close(struct traced_process *process, int fd, pid_t by,
                                  const char *program, unsigned long seq);
/* Where `fd` was last closed in this process (or before it was forked), or NULL. */
const struct close_record *traced_process_last_close(const struct traced_process *process, int fd);
/* Gives a new child a copy of its parent's close history: a fd closed in
 * the parent before the fork is closed in the child too. */
int traced_process_inherit_closes(struct traced_process *child,
                                  const struct traced_process *parent);

#endif
