/* test_process.c: process groups, sessions and die-with-parent. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long probe_number(const char *text, const char *key)
{
    char value[64];
    cr_assert_not_null(probe_field(text, key, value, sizeof value), "%s", text);
    return strtol(value, NULL, 10);
}

Test(process, new_process_group)
{
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    cr_assert_eq(fl_command_process_group(cmd, 0), 0);
    char *out = output_of(cmd);
    cr_assert_eq(probe_number(out, "pgid"), probe_number(out, "pid"), "%s", out);
    cr_assert_neq(probe_number(out, "pgid"), getpgid(0));
    cr_assert_eq(probe_number(out, "sid"), getsid(0), "same session");
    free(out);
    fl_command_free(&cmd);
}

Test(process, join_an_existing_group)
{
    struct fl_command *leader_cmd = fl_command_new("cat");
    fl_command_stdio(leader_cmd, FL_STDIN, FL_PIPE);
    fl_command_process_group(leader_cmd, 0);
    struct fl_child *leader;
    cr_assert_eq(fl_command_spawn(leader_cmd, &leader), 0);

    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    fl_command_process_group(cmd, fl_child_pid(leader));
    char *out = output_of(cmd);
    cr_assert_eq(probe_number(out, "pgid"), fl_child_pid(leader));
    free(out);
    fl_child_free(&leader);
    fl_command_free(&leader_cmd);
    fl_command_free(&cmd);
}

Test(process, new_session)
{
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    cr_assert_eq(fl_command_new_session(cmd), 0);
    char *out = output_of(cmd);
    cr_assert_eq(probe_number(out, "sid"), probe_number(out, "pid"));
    cr_assert_eq(probe_number(out, "pgid"), probe_number(out, "pid"));
    free(out);
    fl_command_free(&cmd);
}

Test(process, death_signal_is_armed)
{
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    cr_assert_eq(fl_command_die_with_parent(cmd, SIGTERM), 0);
    char *out = output_of(cmd);
    cr_assert_eq(probe_number(out, "pdeathsig"), SIGTERM);
    cr_assert_eq(probe_number(out, "ppid"), getpid());
    free(out);
    fl_command_free(&cmd);
}

/* A middle process spawns `sleep` with die-with-parent, reports its pid and
 * exits without releasing it. We are a subreaper, so the orphan comes to us:
 * it must arrive dead of SIGKILL, not sleeping. */
Test(process, child_dies_with_its_parent)
{
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    int report[2];
    cr_assert_eq(pipe2(report, O_CLOEXEC), 0);
    pid_t middle = fork();
    cr_assert_geq(middle, 0);
    if (middle == 0) {
        struct fl_command *cmd = fl_command_new("sleep");
        fl_command_arg(cmd, "1000");
        fl_command_die_with_parent(cmd, SIGKILL);
        struct fl_child *child;
        if (fl_command_spawn(cmd, &child) < 0)
            _exit(1);
        pid_t pid = fl_child_pid(child);
        if (write(report[1], &pid, sizeof pid) != sizeof pid)
            _exit(2);
        _exit(0); /* no release: the death signal is all that stops it */
    }
    close(report[1]);
    pid_t sleeper;
    cr_assert_eq(read(report[0], &sleeper, sizeof sleeper), sizeof sleeper);
    close(report[0]);
    int status;
    cr_assert_eq(waitpid(middle, &status, 0), middle);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* The orphan is ours now. A pidfd lets us bound the wait, so a failure
     * shows up as a failed assertion rather than a hung test. */
    int pidfd = (int)syscall(SYS_pidfd_open, sleeper, 0);
    cr_assert_geq(pidfd, 0);
    struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
    int ready = poll(&pfd, 1, 60000);
    if (ready == 0)
        kill(sleeper, SIGKILL);
    cr_assert_eq(waitpid(sleeper, &status, 0), sleeper);
    close(pidfd);
    cr_assert_eq(ready, 1, "the child outlived its parent");
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %#x", status);
}
