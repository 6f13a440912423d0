/* The limits the kernel enforces on one run: a pids cgroup and a memory
 * cgroup made for it (cgroup v2 where our hierarchy offers the controller,
 * v1 otherwise), joined by the target before it runs, read back after the
 * run (did the kernel refuse a fork, kill for memory?) and removed. */
#ifndef FORKLAB_CGROUP_LIMITS_H
#define FORKLAB_CGROUP_LIMITS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* One cgroup made for the run, in one controller's hierarchy. */
struct cgroup_dir {
    char path[PATH_MAX]; /* "" when this limit is not in place */
    bool v2;
    int procs_fd; /* its cgroup.procs, open for the child to join; -1 none */
};

struct cgroup_limits {
    struct cgroup_dir pids, memory;
    long max_tasks;        /* pids.max written (threads count too); 0 none */
    long memory_mib;       /* the memory limit written; 0 none */
    char why_missing[256]; /* why a limit asked for is not in place; "" none */
};

/* Makes the cgroups, below the caller's own in each hierarchy, named after
 * our pid and a counter (runs of other processes and other runs of this one
 * never share one), and writes the limits (0: that limit is not wanted).
 * Best effort: a controller that is missing or not writable is left out,
 * and why_missing says so. Returns 0, or -ENOMEM. */
int cgroup_limits_create(struct cgroup_limits *limits, long max_tasks, long memory_mib);

/* Moves the calling process into every cgroup made (writes "0" to each
 * cgroup.procs opened by create). Async-signal-safe: for a child between
 * fork and exec, before it starts anything, so all it starts is inside.
 * Returns 0 or a negative errno. */
int cgroup_limits_join(const struct cgroup_limits *limits);

/* After the run: forks the pids limit refused, and processes the memory
 * limit made the kernel kill (0 when that cgroup is not there). */
long cgroup_limits_refused_forks(const struct cgroup_limits *limits);
long cgroup_limits_memory_kills(const struct cgroup_limits *limits);

/* Closes the descriptors and removes the cgroups (every process in them
 * must be gone). Safe on a limits record that create left empty. */
void cgroup_limits_remove(struct cgroup_limits *limits);

#endif
