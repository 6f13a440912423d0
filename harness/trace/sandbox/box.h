/* The box a target runs in: a PID namespace whose pid 1 is a small init of
 * ours (never the target), a mount namespace with that PID namespace's own
 * /proc, a user namespace when we are not root (the kernel grants the
 * others to an unprivileged user only inside one), and the kernel's limits
 * (cgroup_limits.h, RLIMIT_CPU). From inside, the checker's processes,
 * threads and /proc entries do not exist: nothing can signal, trace or
 * wait for them. Where the kernel refuses the namespaces, the target starts
 * as before, outside any, and the box says why. */
#ifndef FORKLAB_BOX_H
#define FORKLAB_BOX_H

#include "trace/sandbox/cgroup_limits.h"
#include "trace/sandbox/target_spawn.h"

#include <stdbool.h>
#include <sys/types.h>

struct box_request {
    bool namespaces;  /* try the namespaces (false: start the target as before) */
    long max_tasks;   /* the pids cgroup's limit; 0 none */
    long memory_mib;  /* the memory cgroup's limit; 0 none */
    long cpu_seconds; /* RLIMIT_CPU of every process; 0 none */
};

struct box {
    struct box_request request;
    pid_t init_pid;      /* the box's init, as our namespace numbers it; 0: no box */
    bool user_namespace; /* the box has one (we were not root) */
    int reports;         /* our end of the socket the box reports on; -1 none */
    struct cgroup_limits limits;
    char why_outside[256]; /* why the target ran outside namespaces; "" when inside */
};

/* Makes the cgroups asked for (what cannot be made is noted in
 * box->limits.why_missing). Nothing runs yet. Returns 0 or -ENOMEM. */
int box_prepare(struct box *box, const struct box_request *request);

/* Starts the target in the box, or outside it when the namespaces were not
 * asked for or the kernel refused them (box->why_outside says which), and
 * attaches the tracer: as target_spawn, whose arguments it takes (their
 * filter, cgroups and CPU limit are the box's). Returns 0 with *main_pid
 * (in our namespace), or a negative errno (nothing is left running then). */
int box_start(struct box *box, const struct target_spawn *spawn, pid_t *main_pid);

/* The next pid the box's init reported reaping, without waiting: 1 with
 * *pid set, 0 when none is waiting, or a negative errno. The init reports
 * each pid before it reaps it, so a report read before a pid was reused
 * names the process that had it. */
int box_next_reaped(struct box *box, pid_t *pid);

/* Stops the init (SIGSTOP from outside) and waits until it has stopped or
 * exited: from then on nothing in the box is reaped, and every reap it did
 * has its report waiting. Returns whether it is there, stopped; false when
 * it has exited (it exits once nothing is left to reap) or there is no box. */
bool box_stop_init(struct box *box);

/* Calls `visit` with each zombie whose parent is the box's init (one pass
 * over /proc). Returns 0 or a negative errno. */
int box_for_each_zombie(const struct box *box, void (*visit)(pid_t pid, void *context),
                        void *context);

/* After the run, once every process of the box is gone: closes the socket
 * and removes the cgroups. */
void box_close(struct box *box);

#endif
