/* The seccomp filter the target runs under. It stops the target (returns
 * SECCOMP_RET_TRACE to the tracer) only for the system calls whose effect
 * the rules need to see at that moment (close, execve, execveat; wait4 and
 * waitid for the timeline), lets every other call run without a stop,
 * refuses what would hide a process from the tracer (CLONE_UNTRACED; clone3
 * gets ENOSYS so libc falls back to clone), and refuses with EPERM the
 * signals and attaches that would hit the harness, the box's init or every
 * process on the machine. */
#ifndef FORKLAB_SECCOMP_FILTER_H
#define FORKLAB_SECCOMP_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <sys/types.h>

struct seccomp_filter {
    struct sock_filter code[96]; /* 70 used on x86_64 */
    unsigned short length;
};

/* Who the target must not reach. In a box (trace/sandbox/box.h) the
 * harness does not exist for the target; what it must not reach there is
 * the box's init, pid 1 (traced or read, it could be stopped or made to
 * lie). Outside a box: the harness process, the thread that traces (its
 * tid), and the harness's process group. */
struct seccomp_protected {
    bool in_box;
    pid_t harness_pid; /* outside a box only */
    pid_t harness_tid;
    pid_t harness_pgrp;
};

/* Builds the filter (in the harness, before fork: building allocates nothing
 * but is not needed in the child). */
void seccomp_filter_build(struct seccomp_filter *filter, const struct seccomp_protected *protect);

/* Installs the filter in the calling process. Async-signal-safe: meant for
 * the child between fork and exec. Returns 0 or a negative errno. */
int seccomp_filter_install(const struct seccomp_filter *filter);

#endif
