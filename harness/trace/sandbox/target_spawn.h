/* Starts the target: a child in its own session and process group, with
 * stdin, stdout and stderr as given, default signal handling, none of the
 * harness's descriptors, its CPU time limited, the seccomp filter, and the
 * tracer attached (PTRACE_SEIZE) before it execs the program. */
#ifndef FORKLAB_TARGET_SPAWN_H
#define FORKLAB_TARGET_SPAWN_H

#include "trace/sandbox/cgroup_limits.h"
#include "trace/sandbox/seccomp_filter.h"

#include <stdbool.h>
#include <sys/types.h>

/* The byte the child writes to announce it is set up (see target_child_start). */
#define TARGET_READY_BYTE 'M'

/* The ptrace options of every traced task (children inherit them). */
#define TARGET_PTRACE_OPTIONS                                                                      \
    (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |      \
     PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)

struct target_spawn {
    const char *path; /* the resolved program */
    char *const *argv;
    int stdin_fd, stdout_fd, stderr_fd; /* become 0, 1, 2 in the child */
    struct seccomp_protected protect;   /* what the filter protects */
    bool run_as;                        /* become uid and gid (and no other group) before exec */
    uid_t uid;
    gid_t gid;
    long cpu_seconds;                   /* RLIMIT_CPU of the target and all it starts; 0 none */
    const struct cgroup_limits *limits; /* joined before anything runs; NULL none */
};

/* Forks and seizes the child, then lets it exec. On return the child is
 * traced and on its way to execve (its first stop will be the seccomp stop
 * of that execve). Returns 0 with *pid set, or a negative errno (nothing is
 * left running then). */
int target_spawn(const struct target_spawn *spawn, pid_t *pid);

/* The child's side, from its fork to the exec of the program, for a parent
 * that forks it some other way (the box's init). Once set up it writes one
 * byte to `ready_fd` (-1: none), then waits for one byte on `go_fd`, sent
 * once the tracer has attached. Async-signal-safe; never returns. */
_Noreturn void target_child_start(const struct target_spawn *spawn,
                                  const struct seccomp_filter *filter, int ready_fd, int go_fd);

#endif
