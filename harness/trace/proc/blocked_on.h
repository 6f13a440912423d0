/* What a live process is waiting for, read from /proc when a run times out:
 * the system call it sits in (/proc/PID/syscall), the descriptor that call
 * uses and what it is, the kernel function it sleeps in (wchan), and, for a
 * pipe, which processes still hold the other end: the usual cause of a hang
 * is a write end nobody closed. */
#ifndef FORKLAB_BLOCKED_ON_H
#define FORKLAB_BLOCKED_ON_H

#include "trace/proc/fd_table.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define BLOCKED_ON_MAX_HOLDERS 16

struct pipe_holder {
    pid_t pid;
    int fd;
};

struct blocked_on {
    bool valid;
    bool moved;               /* it ran while being read: the fields may not agree */
    char state;               /* from /proc/PID/stat: S sleeping, R running, T/t stopped, ... */
    long syscall;             /* the call it sits in; -1 none (running or stopped) */
    const char *syscall_name; /* "read", ... or NULL when not one we name */
    int fd;                   /* the descriptor the call uses, -1 none */
    struct fd_entry target;   /* what that descriptor is (valid when fd >= 0) */
    pid_t waited_pid;         /* wait4/waitid: which child (-1 any); 0 not a wait */
    char wchan[64];           /* the kernel function it sleeps in, "" unknown */
    int stop_signal;          /* nonzero: stopped by this signal (a group stop) */
    struct pipe_holder holders[BLOCKED_ON_MAX_HOLDERS]; /* hold the other end of target */
    size_t holder_count;
};

/* Reads what `pid` is blocked on. `stop_signal` is the group-stop signal the
 * tracer saw (0 none): /proc cannot tell a group stop from a ptrace stop.
 * Returns 0 or a negative errno (-ENOENT: gone). */
int blocked_on_read(pid_t pid, int stop_signal, struct blocked_on *blocked);

/* Whether one look at a process shows where it waits for good: asleep in
 * a system call, stopped by a signal, or exited, and it did not run while
 * it was being read. A process caught running, or at a tracer's stop on
 * its way on, may be a loop that polls (asleep in nanosleep the next
 * instant): it must be looked at again. */
bool blocked_on_settled(const struct blocked_on *blocked);

/* When `blocked` waits on a pipe, finds which of `pids` hold its other end
 * (the write end for a reader, the read end for a writer). */
void blocked_on_find_other_end(struct blocked_on *blocked, const pid_t *pids, size_t count);

/* What a live process is doing, as far as waiting for it goes: whether it
 * moves on by itself (it runs, or sleeps for a time), waits for children of
 * its own, or waits on something only another process can end (a pipe, a
 * signal, a lock). The tracer's holds (trace/steer/holds.c) wait for the
 * processes they watch to settle into one of the last kinds. */
enum activity {
    ACTIVITY_GONE,        /* exited: a zombie, or no more */
    ACTIVITY_RUNS,        /* running or runnable, or briefly in the kernel (D) */
    ACTIVITY_SLEEPS,      /* in nanosleep or clock_nanosleep: it wakes by itself */
    ACTIVITY_WAITS_CHILD, /* in wait4 or waitid */
    ACTIVITY_BLOCKED,     /* in any other call that sleeps: a pipe, pause, a lock */
    ACTIVITY_STOPPED,     /* stopped (T), or at a ptrace stop (t) */
};

/* Reads what `pid` is doing (its leader thread). Returns 0, or a negative
 * errno; a process that is gone is ACTIVITY_GONE, not an error. */
int blocked_on_activity(pid_t pid, enum activity *activity);

/* One line a student understands: "read on pipe:[123] (read end)",
 * "waiting for child 42 (wait4)", "stopped by SIGSTOP", "running". */
void blocked_on_describe(const struct blocked_on *blocked, char *text, size_t size);

#endif
