/* spawn_fork.c: the slow path, taken only when a pre-exec hook is set. The
 * hook is arbitrary code, so the child gets a private copy of the memory
 * (fork) rather than the parent's own. */
#include "internal.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int fl__spawn_fork(const struct fl__plan *plan, pid_t *pid, int *pidfd)
{
    /* _Fork, not fork: no atfork handlers run, and the child is a plain copy
     * whose only job is to reach exec. */
    pid_t child = _Fork();
    if (child < 0)
        return -errno;
    if (child == 0)
        fl__child_run(plan);

    /* The child is ours and not yet waited for, so its pid cannot have been
     * reused: pidfd_open here is race-free (unless the caller sets SIGCHLD to
     * SIG_IGN, which makes the kernel reap children behind everyone's back). */
    int fd = (int)syscall(SYS_pidfd_open, child, 0);
    if (fd < 0) {
        int code = errno;
        /* Out of descriptors, most likely. Still unreaped, so this pid is
         * certainly our child: kill(pid) is safe here, and only here. */
        kill(child, SIGKILL);
        FL_RETRY(waitpid(child, NULL, 0));
        return -code;
    }
    *pid = child;
    *pidfd = fd;
    return 0;
}
