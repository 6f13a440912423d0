/* The sandbox on its own: the final sweep finds and kills descendants
 * however they are named and wherever they moved, and the child-side
 * descriptor cleanup leaves nothing inheritable. */
#include "harness_test.h"
#include "trace/sandbox/sandbox.h"

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
    /* `report` carries the orphan's pid to us once it is set up; `hold` is
     * read by the orphan: if this test dies, it sees end of file and exits
     * instead of lingering. */
    int report[2], hold[2];
    cr_assert_eq(pipe2(report, O_CLOEXEC), 0);
    cr_assert_eq(pipe2(hold, O_CLOEXEC), 0);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        close(report[0]);
        close(hold[1]);
        pid_t orphan = fork();
        if (orphan == 0) {
            /* A name that reads "ppid 1" to a parser stopping at the first ')'. */
            prctl(PR_SET_NAME, "x) S 1 (", 0, 0, 0);
            setsid();
            pid_t self = getpid();
            write(report[1], &self, sizeof(self));
            char byte;
            read(hold[0], &byte, 1);
            _exit(0);
        }
        _exit(orphan > 0 ? 0 : 1);
    }
    close(report[1]);
    close(hold[0]);
    pid_t orphan = 0;
    cr_assert_eq(read(report[0], &orphan, sizeof(orphan)), (ssize_t)sizeof(orphan));
    close(report[0]);
    int status;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert_eq(kill(orphan, 0), 0, "the orphan lives on, now our child");

    cr_assert_geq(sandbox_kill_descendants(), 1);
    cr_assert_eq(kill(orphan, 0), -1);
    cr_assert_eq(errno, ESRCH, "the orphan was killed and reaped");
    close(hold[1]);
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
