/* Reads the few lines of /proc/PID/status the evidence needs: how many
 * threads a process runs, its signal sets (blocked, ignored, pending), and
 * its pid as its own PID namespace numbers it.
 * /proc/PID/stat has the same numbers, but its signal fields stop at 31. */
#ifndef FORKLAB_PROC_STATUS_H
#define FORKLAB_PROC_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* A set of signals as the kernel shows it: bit N-1 stands for signal N. */
typedef uint64_t signal_bits;
#define SIGNAL_BIT(signo) ((signal_bits)1 << ((signo)-1))

struct proc_status {
    int threads;             /* Threads: */
    signal_bits blocked;     /* SigBlk: the mask of the thread read (the leader for a pid) */
    signal_bits ignored;     /* SigIgn: set to SIG_IGN (process-wide) */
    signal_bits caught;      /* SigCgt: with a handler */
    signal_bits pending;     /* SigPnd | ShdPnd: sent and not yet delivered */
    pid_t own_namespace_pid; /* the last of NSpid: its pid in its own PID namespace (0: no such
                                line) */
};

/* Parses the text of a /proc/PID/status file. Returns 0, or -EINVAL when a
 * line it needs is missing. */
int proc_status_parse(const char *text, struct proc_status *status);

/* Reads and parses /proc/PID/status. Returns 0, -ENOENT (or -ESRCH) when the
 * process is gone, or another negative errno. */
int proc_status_read(pid_t pid, struct proc_status *status);

#endif
