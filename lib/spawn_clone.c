/* spawn_clone.c: the fast path. The child shares the parent's memory
 * (CLONE_VM) and the parent sleeps until the child has called exec or exited
 * (CLONE_VFORK), so no page table is copied, whatever the parent's size. This
 * is how musl's and glibc's posix_spawn work. */
#include "internal.h"

#include <errno.h>
#include <sched.h>

/* The child runs on a small stack of its own: on our live frames it would
 * overwrite those of the parent, which is suspended mid-call and will need
 * them. Its code has small frames (the largest local is a 2 KiB buffer);
 * musl's posix_spawn gets by with about 5 KiB. */
#define CHILD_STACK_SIZE (8 * 1024)

FL_CHILD_CODE static int clone_child_main(void *plan)
{
    fl__child_run(plan);
}

/* Starts the child; the caller has blocked every signal, so no handler of the
 * parent can run on the shared memory in the child. */
int fl__spawn_clone(const struct fl__plan *plan, pid_t *pid, int *pidfd)
{
    /* The child's stack is an array in this frame, as in musl. A fresh mmap
     * per spawn (as glibc does) costs a page fault in the child every time,
     * about 90 us of a 2 ms spawn on a virtual machine with shadow page
     * tables; our own stack's pages stay mapped from one spawn to the next.
     * Safe: with CLONE_VFORK we stay inside clone() until the child has
     * called exec or exited, so nothing else uses the array meanwhile. */
    _Alignas(16) char stack[CHILD_STACK_SIZE];

    /* CLONE_PIDFD: the pidfd exists before clone returns, so there is no
     * window in which the child could be reaped and its pid reused. */
    int fd = -1;
    pid_t child = clone(clone_child_main, stack + sizeof stack,
                        CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, (void *)plan, &fd);
    if (child < 0)
        return -errno;
    *pid = child;
    *pidfd = fd;
    return 0;
}
