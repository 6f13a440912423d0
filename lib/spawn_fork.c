/* spawn_fork.c: the slow path, taken only when a pre-exec hook is set. The
 * hook is arbitrary code, so the child gets a private copy of the memory (a
 * fork) rather than the parent's own. */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A fork that also hands back a pidfd (CLONE_PIDFD), like the fast path: the
 * pidfd exists before anyone could reap the child, so there is no window for
 * pid reuse, and no pidfd_open (which valgrind 3.19 does not know). Raw clone
 * skips glibc's atfork handlers, as _Fork does; glibc's raise() asks the
 * kernel for the thread id, so it still works in the child. */
int fl__spawn_fork(const struct fl__plan *plan, pid_t *pid, int *pidfd)
{
    int fd = -1;
    /* clone(flags, stack, parent_tid, ...): parent_tid receives the pidfd,
     * and is the third argument on every architecture. A NULL stack means
     * "continue on a copy of mine", as fork does. */
    long child = syscall(SYS_clone, SIGCHLD | CLONE_PIDFD, NULL, &fd, NULL, 0);
    if (child < 0)
        return -errno;
    if (child == 0)
        fl__child_run(plan);
    *pid = (pid_t)child;
    *pidfd = fd;
    return 0;
}
