/* Forking the target. The child side runs between fork and exec in a copy
 * of a possibly multithreaded harness, so it makes async-signal-safe calls
 * only, and reports nothing: if it fails it exits 127, and the tracer sees
 * how (it is traced from before its first step that matters). */
#include "trace/sandbox/target_spawn.h"
#include "trace/sandbox/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int retry_read(int fd, void *buffer, size_t size)
{
    ssize_t got;
    do
        got = read(fd, buffer, size);
    while (got < 0 && errno == EINTR);
    return (int)got;
}

static int retry_write(int fd, const void *buffer, size_t size)
{
    ssize_t put;
    do
        put = write(fd, buffer, size);
    while (put < 0 && errno == EINTR);
    return (int)put;
}

/* In the child. The order matters: the cgroups first (whatever it starts
 * is counted), then the new session (so nothing the target does reaches the
 * harness's terminal or group), then the standard descriptors, then clean
 * signal state (the harness handles its deadline signal and may ignore
 * SIGPIPE or block signals: the target must start with the defaults, as
 * from a shell), then wait until the parent has attached. The harness has a
 * second thread by now (the output reader): everything here is
 * async-signal-safe. */
_Noreturn void target_child_start(const struct target_spawn *spawn,
                                  const struct seccomp_filter *filter, int ready_fd, int go_fd)
{
    if (spawn->limits != NULL && cgroup_limits_join(spawn->limits) < 0)
        _exit(127);
    if (setsid() < 0)
        _exit(127);
    if (dup2(spawn->stdin_fd, 0) < 0 || dup2(spawn->stdout_fd, 1) < 0 ||
        dup2(spawn->stderr_fd, 2) < 0)
        _exit(127);

    struct sigaction default_action;
    memset(&default_action, 0, sizeof(default_action));
    default_action.sa_handler = SIG_DFL;
    for (int signo = 1; signo < NSIG; signo++)
        sigaction(signo, &default_action, NULL); /* fails harmlessly for KILL, STOP, glibc's own */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* A backstop the kernel keeps even if the tracer cannot: soft and hard
     * alike, so the limit is a SIGKILL. */
    struct rlimit cpu = {.rlim_cur = (rlim_t)spawn->cpu_seconds,
                         .rlim_max = (rlim_t)spawn->cpu_seconds};
    if (spawn->cpu_seconds > 0 && setrlimit(RLIMIT_CPU, &cpu) != 0)
        _exit(127);

    if (sandbox_close_inherited_fds() < 0)
        _exit(127);
    char go = TARGET_READY_BYTE;
    if (ready_fd >= 0 && retry_write(ready_fd, &go, 1) != 1)
        _exit(127);
    if (retry_read(go_fd, &go, 1) != 1)
        _exit(127); /* the parent could not attach and gave up */
    /* Raw system calls: glibc's setresuid would try to reach threads that
     * only the parent has. Groups first: after setresuid we could not. The
     * tracer stays attached (root may trace anyone); the filter comes after,
     * so it never has to allow these calls. */
    if (spawn->run_as && (syscall(SYS_setgroups, 1, &spawn->gid) != 0 ||
                          syscall(SYS_setresgid, spawn->gid, spawn->gid, spawn->gid) != 0 ||
                          syscall(SYS_setresuid, spawn->uid, spawn->uid, spawn->uid) != 0))
        _exit(127);
    if (seccomp_filter_install(filter) < 0)
        _exit(127);
    execve(spawn->path, spawn->argv, environ);
    _exit(127); /* the tracer saw the error at the execve's exit stop */
}

int target_spawn(const struct target_spawn *spawn, pid_t *pid)
{
    struct seccomp_filter filter;
    seccomp_filter_build(&filter, &spawn->protect);
    int go[2];
    if (pipe2(go, O_CLOEXEC) < 0)
        return -errno;
    pid_t child = fork();
    if (child < 0) {
        int error = -errno;
        close(go[0]);
        close(go[1]);
        return error;
    }
    if (child == 0) {
        close(go[1]);
        target_child_start(spawn, &filter, -1, go[0]);
    }

    close(go[0]);
    int error = 0;
    if (ptrace(PTRACE_SEIZE, child, 0L, (long)TARGET_PTRACE_OPTIONS) < 0)
        error = -errno;
    else if (retry_write(go[1], "g", 1) != 1)
        error = -errno;
    close(go[1]);
    if (error < 0) {
        kill(child, SIGKILL);
        int status;
        while (waitpid(child, &status, __WALL) < 0 && errno == EINTR)
            ;
        return error;
    }
    *pid = child;
    return 0;
}
