/* kill(-1, SIGKILL) as root would kill every process of the machine: the
 * harness's seccomp filter refuses it (and, outside a box, kill/tgkill/
 * pidfd_open aimed at the harness) with EPERM. In the box the fixture's
 * parent is forklab's init: the kernel drops signals to it, and the filter
 * refuses pidfd_open on it. Tested only inside a new PID namespace, with its
 * own /proc, so that a broken filter kills a few test processes, not the
 * machine: an init (pid 1), a sentinel process that is no descendant of the
 * harness, and the harness, which runs the fixture. */
#include "harness_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static const char expected_outside_a_box[] = "kill(-1): EPERM\n"
                                             "kill(harness): EPERM\n"
                                             "kill(-harness group): EPERM\n"
                                             "tgkill(harness): EPERM\n"
                                             "pidfd_open(harness): EPERM\n";
/* The parent is the box's init, in a session of its own: its group is -1. */
static const char expected_in_a_box[] = "kill(-1): EPERM\n"
                                        "kill(harness): succeeded\n"
                                        "kill(-harness group): EPERM\n"
                                        "tgkill(harness): succeeded\n"
                                        "pidfd_open(harness): EPERM\n";

static void say(int fd, const char *text)
{
    write(fd, text, strlen(text));
}

/* The harness side, in the namespace: its own process group (the fixture
 * aims at it), STABILITY_RUNS runs, one line per run. */
static void harness_in_namespace(int out, bool no_isolation)
{
    setpgid(0, 0);
    for (int run = 0; run < STABILITY_RUNS; run++) {
        char *argv[] = {FIXTURE("h-kill-all"), NULL};
        struct check_options options;
        check_options_init(&options);
        options.argv = argv;
        options.no_isolation = no_isolation;
        struct report report;
        report_init(&report);
        char why[256] = "", line[512];
        int status = check_run(&options, &report, why, sizeof(why));
        const char *expected = no_isolation ? expected_outside_a_box : expected_in_a_box;
        bool ok = status == 0 && report.out.data != NULL &&
                  strcmp(report.out.data, expected) == 0 && report.finding_count == 0 &&
                  report.isolation.namespaces == !no_isolation;
        snprintf(line, sizeof(line), "run %d: %s\n", run + 1, ok ? "ok" : "WRONG");
        say(out, line);
        if (!ok && report.out.data != NULL)
            say(out, report.out.data);
        report_free(&report);
    }
    _exit(0);
}

static void init_of_namespace(int out, bool no_isolation)
{
    /* Our own /proc, so the harness sees the namespace's pids. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
        say(out, "cannot mount /proc\n");
        _exit(1);
    }
    /* The sentinel answers each ping with a pong while it lives; dead, its
     * end of `pong` is closed and the read says end of file: a liveness
     * probe with no timing in it. */
    int ping[2], pong[2];
    if (pipe2(ping, O_CLOEXEC) != 0 || pipe2(pong, O_CLOEXEC) != 0)
        _exit(1);
    pid_t sentinel = fork();
    if (sentinel == 0) {
        close(ping[1]);
        close(pong[0]);
        char byte;
        while (read(ping[0], &byte, 1) == 1)
            write(pong[1], &byte, 1);
        _exit(0);
    }
    close(ping[0]);
    close(pong[1]);
    pid_t harness = fork();
    if (harness == 0)
        harness_in_namespace(out, no_isolation);
    int status;
    while (waitpid(harness, &status, 0) < 0 && errno == EINTR)
        ;
    say(out, WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "harness: survived\n"
                                                           : "harness: KILLED\n");
    char byte = 'p';
    signal(SIGPIPE, SIG_IGN); /* a dead sentinel must not take init with it */
    write(ping[1], &byte, 1);
    say(out, read(pong[0], &byte, 1) == 1 ? "sentinel: survived\n" : "sentinel: KILLED\n");
    kill(sentinel, SIGKILL);
    waitpid(sentinel, &status, 0);
    _exit(0);
}

static void run_in_a_pid_namespace(bool no_isolation)
{
    /* A watchdog of our own (criterion's .timeout leaks under ASan when
     * long tests overlap): this test waits on a pipe that a harness bug
     * could keep open. SIGALRM ends the test as a crash. */
    alarm(120);
    if (geteuid() != 0)
        cr_skip_test("a PID namespace needs root");
    int pipe_ends[2];
    cr_assert_eq(pipe2(pipe_ends, O_CLOEXEC), 0);
    pid_t outer = fork();
    cr_assert_geq(outer, 0);
    if (outer == 0) {
        close(pipe_ends[0]);
        if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0) {
            say(pipe_ends[1], "unshare failed\n");
            _exit(1);
        }
        pid_t init = fork(); /* pid 1 of the new namespace */
        if (init == 0)
            init_of_namespace(pipe_ends[1], no_isolation);
        int status;
        waitpid(init, &status, 0);
        _exit(0);
    }
    close(pipe_ends[1]);
    char text[8192];
    size_t length = 0;
    ssize_t got;
    while ((got = read(pipe_ends[0], text + length, sizeof(text) - 1 - length)) > 0)
        length += (size_t)got;
    text[length] = '\0';
    close(pipe_ends[0]);
    int status;
    waitpid(outer, &status, 0);

    for (int run = 1; run <= STABILITY_RUNS; run++) {
        char line[32];
        snprintf(line, sizeof(line), "run %d: ok\n", run);
        cr_assert(strstr(text, line) != NULL, "missing \"%s\" in:\n%s", line, text);
    }
    cr_assert(strstr(text, "harness: survived") != NULL, "%s", text);
    cr_assert(strstr(text, "sentinel: survived") != NULL, "%s", text);
}

Test(kill_all, refused_outside_a_box)
{
    run_in_a_pid_namespace(true);
}

Test(kill_all, refused_or_dropped_in_a_box)
{
    run_in_a_pid_namespace(false);
}
