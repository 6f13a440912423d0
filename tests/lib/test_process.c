/* test_process.c: process groups, sessions and die-with-parent. */
#include "helpers.h"
#include "internal.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
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
 * it must arrive dead of SIGKILL, not sleeping. (If the death signal failed,
 * waitpid would block until hang_guard fails the test.) */
Test(process, child_dies_with_its_parent)
{
    hang_guard(120);
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
    /* The middle's exit reparented the sleeper to us before waitpid returned. */
    cr_assert_eq(waitpid(sleeper, &status, 0), sleeper);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %#x", status);
}

/* The race die-with-parent must close: the parent dies after clone but
 * before the child's prctl, so no death signal will ever come. Simulated by
 * running the child-side code with a parent pid that is not our parent: the
 * child must kill itself with the signal instead of running on unwatched. */
Test(process, death_signal_race_with_a_dead_parent)
{
    int error_pipe[2];
    cr_assert_eq(pipe2(error_pipe, O_CLOEXEC), 0);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        char *argv[] = {"true", NULL};
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL); /* as spawn does before clone */
        struct fl__plan plan = {
            .path = "/bin/true",
            .argv = argv,
            .envp = environ,
            .pgid = -1,
            .pdeathsig = SIGTERM,
            .parent_pid = getppid() + 1, /* "our parent is gone" */
            .error_fd = error_pipe[1],
        };
        fl__child_run(&plan);
    }
    close(error_pipe[1]);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "status %#x", status);
    char byte;
    cr_assert_eq(read(error_pipe[0], &byte, 1), 0, "it died before exec, without a report");
    close(error_pipe[0]);
}
