/* spawn_clone.c: the fast path. The child shares the parent's memory
 * (CLONE_VM) and the parent sleeps until the child has called exec or exited
 * (CLONE_VFORK), so no page table is copied, whatever the parent's size. This
 * is how musl's and glibc's posix_spawn work. */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <sys/mman.h>

/* The child runs on its own small stack: on the parent's it would overwrite
 * the frames of the parent, which is suspended mid-call and will need them. */
#define CHILD_STACK_SIZE (64 * 1024)

FL_CHILD_CODE static int clone_child_main(void *plan)
{
    fl__child_run(plan);
}

/* Starts the child; the caller has blocked every signal, so no handler of the
 * parent can run on the shared memory in the child. */
int fl__spawn_clone(const struct fl__plan *plan, pid_t *pid, int *pidfd)
{
    void *stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        return -errno;

    /* CLONE_PIDFD: the pidfd exists before clone returns, so there is no
     * window in which the child could be reaped and its pid reused. */
    int fd = -1;
    pid_t child = clone(clone_child_main, (char *)stack + CHILD_STACK_SIZE,
                        CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, (void *)plan, &fd);
    int code = errno;
    /* Safe: with CLONE_VFORK we resume only once the child left this stack. */
    munmap(stack, CHILD_STACK_SIZE);
    if (child < 0)
        return -code;
    *pid = child;
    *pidfd = fd;
    return 0;
}
