/* The sandbox on its own: the final sweep finds and kills descendants
 * however they are named and wherever they moved, and the child-side
 * descriptor cleanup leaves nothing inheritable. */
#include "harness_test.h"
#include "sandbox.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

Test(sandbox, kill_descendants_finds_renamed_orphans_in_other_sessions)
{
    cr_assert_eq(sandbox_become_subreaper(), 0);
    int ready[2];
    cr_assert_eq(pipe2(ready, O_CLOEXEC), 0);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        pid_t orphan = fork();
        if (orphan == 0) {
            /* A name that reads "ppid 1" to a parser stopping at the first ')'. */
            prctl(PR_SET_NAME, "x) S 1 (", 0, 0, 0);
            setsid();
            write(ready[1], &orphan, 1);
            for (;;)
                pause();
        }
        char byte;
        read(ready[0], &byte, 1);
        write(ready[1], &orphan, sizeof(orphan));
        _exit(0);
    }
    close(ready[1]);
    pid_t orphan = 0;
    cr_assert_eq(read(ready[0], &orphan, sizeof(orphan)), (ssize_t)sizeof(orphan));
    close(ready[0]);
    int status;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert_eq(kill(orphan, 0), 0, "the orphan lives on, now our child");

    cr_assert_geq(sandbox_kill_descendants(), 1);
    cr_assert_eq(kill(orphan, 0), -1);
    cr_assert_eq(errno, ESRCH, "the orphan was killed and reaped");
}

Test(sandbox, close_inherited_fds_marks_everything_close_on_exec)
{
    int plain = open("/dev/null", O_RDONLY); /* no O_CLOEXEC: as inherited */
    cr_assert_geq(plain, 3);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        if (sandbox_close_inherited_fds() != 0)
            _exit(1);
        int flags = fcntl(plain, F_GETFD);
        int stdio_flags = fcntl(1, F_GETFD);
        _exit(flags >= 0 && (flags & FD_CLOEXEC) && !(stdio_flags & FD_CLOEXEC) ? 0 : 2);
    }
    int status;
    waitpid(child, &status, 0);
    close(plain);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
}
