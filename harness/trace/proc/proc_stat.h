/* Reads /proc/PID/stat: a process's state, parent, group and session (the
 * name, comm, may hold any bytes, spaces and ") Z (" included, so the parser
 * trusts only the LAST ')' in the line); and its resident memory (statm). */
#ifndef FORKLAB_PROC_STAT_H
#define FORKLAB_PROC_STAT_H

#include <stdint.h>
#include <sys/types.h>

struct proc_stat {
    pid_t pid;
    char comm[64]; /* the kernel keeps 15 bytes; room for a little more */
    char state;    /* R, S, D, Z, T, t, X, ... */
    pid_t ppid;
    pid_t pgrp;
    pid_t session;
    unsigned long long start_time; /* clock ticks after boot: tells pid reuse apart */
};

/* Reads the small /proc/PID/NAME file (stat, statm, status) into `text`,
 * NUL-terminated, with one read. Returns its length, or a negative errno
 * (-ENOENT, or -ESRCH when the process died between open and read). */
ssize_t proc_read_file(pid_t pid, const char *name, char *text, size_t size);

/* Parses the text of a /proc/PID/stat file. Returns 0 or -EINVAL. */
int proc_stat_parse(const char *text, struct proc_stat *stat);

/* Reads and parses /proc/PID/stat. Returns 0, -ENOENT (or -ESRCH) when the
 * process is gone, or another negative errno. */
int proc_stat_read(pid_t pid, struct proc_stat *stat);

/* The resident memory of the process `pid` belongs to, in KiB, from
 * /proc/PID/statm (its second field counts pages). Returns it, or a
 * negative errno (-ENOENT or -ESRCH when the process is gone). */
long proc_resident_kib(pid_t pid);

/* The bytes the process has passed to write() and its kin so far, to any
 * descriptor (wchar in /proc/PID/io). Returns 0 or a negative errno. */
int proc_written_bytes(pid_t pid, uint64_t *written);

/* How many times the scheduler has put the process's leader thread on a
 * CPU (the third field of /proc/PID/schedstat): unchanged between two
 * reads, it did not run in between. Returns 0 or a negative errno. */
int proc_times_scheduled(pid_t pid, uint64_t *count);

#endif
