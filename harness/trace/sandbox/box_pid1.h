/* The box's pid 1: a small init of ours, the first process of the box's
 * PID namespace. Shared by trace/sandbox/box.c (which starts it) and
 * trace/sandbox/box_pid1.c (what it does). Not for other files. */
#ifndef FORKLAB_BOX_PID1_H
#define FORKLAB_BOX_PID1_H

#include "trace/sandbox/cgroup_limits.h"
#include "trace/sandbox/target_spawn.h"

#include <stdbool.h>
#include <sys/types.h>

/* One message from the box to the harness (a SOCK_SEQPACKET socket keeps
 * them apart). The pid is in the credentials the kernel attaches, which it
 * translates into the receiver's PID namespace: the box's pids mean nothing
 * outside it. */
struct box_message {
    char kind; /* BOX_MAIN_READY, BOX_REAPED or BOX_FAILED */
    int step;  /* BOX_FAILED: the setup step (enum box_step) */
    int error; /* BOX_FAILED: its errno */
};

#define BOX_MAIN_READY TARGET_READY_BYTE /* from the target, set up: its pid is the sender's */
#define BOX_REAPED     'R'               /* from the init: it is about to reap this pid */
#define BOX_FAILED     'E'               /* from the init: its setup failed; it exits */

enum box_step {
    BOX_STEP_CGROUP,
    BOX_STEP_USER_MAP,
    BOX_STEP_MOUNT_PROC,
    BOX_STEP_FORK,
};

/* What the init needs, copied in its memory when it was forked. */
struct box_pid1_setup {
    int socket;          /* the box's end of the harness's socket */
    bool user_namespace; /* map our uid and gid to themselves in it */
    uid_t uid;
    gid_t gid;
    const struct cgroup_limits *limits; /* joined first; NULL none */
    const struct target_spawn *spawn;   /* the target it forks */
    const struct seccomp_filter *filter;
};

/* clone() with no new stack, as fork() (the child continues here with a
 * copy of the stack), with namespace flags. Returns as fork does. */
pid_t box_clone(unsigned long flags);

/* The init's life, from right after the clone that made it. Never returns. */
_Noreturn void box_pid1_run(const struct box_pid1_setup *setup);

#endif
