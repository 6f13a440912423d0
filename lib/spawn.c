/* spawn.c: fl_command_spawn(), in the parent: resolve everything the child
 * needs (program path, envp, descriptors), start it by the fast or the fork
 * path, then learn from the error pipe whether exec succeeded. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KERNEL_SIGSET_SIZE 8

/* Raw rt_sigprocmask: glibc's sigfillset and pthread_sigmask leave out the two
 * signals glibc uses internally, and those must be blocked too. */
void fl__block_all_signals(sigset_t *old)
{
    sigset_t all;
    memset(&all, 0xff, sizeof all);
    memset(old, 0, sizeof *old);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, old, KERNEL_SIGSET_SIZE);
}

void fl__restore_signals(const sigset_t *old)
{
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, old, NULL, KERNEL_SIGSET_SIZE);
}

/* The text that makes an error message useful: which file, which directory. */
static const char *failure_detail(const struct fl__plan *plan, const struct fl__child_report *r)
{
    switch (r->step) {
    case FL_STEP_EXEC:
        return plan->path;
    case FL_STEP_CHDIR:
        return plan->cwd;
    case FL_STEP_OPEN:
        if (r->stream >= 0 && r->stream <= 2)
            return plan->stdio[r->stream].kind == FL__NULL ? "/dev/null"
                                                           : plan->stdio[r->stream].path;
        return NULL;
    default:
        return NULL;
    }
}

/* Waits for the child to exec (EOF on the error pipe) or to report failure.
 * Returns 0, or the child's report in *report and 1. */
static int read_child_report(int fd, struct fl__child_report *report)
{
    ssize_t n = FL_RETRY(read(fd, report, sizeof *report));
    if (n == 0)
        return 0;
    if (n != (ssize_t)sizeof *report)
        *report = (struct fl__child_report){
            .step = FL_STEP_CLONE, .code = n < 0 ? errno : EIO, .stream = -1};
    return 1;
}

/* The error pipe's write end must not sit on 0..2, where the child's stdio
 * placement would overwrite it (possible when the caller closed its stdin). */
static int make_error_pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    if (fds[1] < 3) {
        int moved = fcntl(fds[1], F_DUPFD_CLOEXEC, 3);
        int code = errno;
        close(fds[1]);
        fds[1] = moved;
        if (moved < 0)
            return -code;
    }
    return 0;
}

/* A child that reported failure is exiting; reap it so that a failed spawn
 * leaves no zombie. (The SIGKILL only matters if reading the report itself
 * failed and the child might still be running.) */
static void reap_failed_child(pid_t pid, int pidfd)
{
    struct fl_child child = {.pid = pid, .pidfd = pidfd};
    fl_child_kill(&child, SIGKILL);
    if (fl__reap(&child, true) < 0)
        close(pidfd);
}

int fl__spawn(struct fl_command *cmd, const struct fl__stdio_spec override[3],
              struct fl_child **childp)
{
    *childp = NULL;
    fl__clear_error(cmd);
    if (cmd->build_error)
        return fl__fail(cmd, cmd->build_error, FL_STEP_BUILD, -1, cmd->build_setter);
    if (cmd->argv[0][0] == '\0')
        return fl__fail(cmd, EINVAL, FL_STEP_ARGS, -1, "");

    struct fl__stdio_spec spec[3];
    for (int stream = 0; stream < 3; stream++)
        spec[stream] =
            override && override[stream].kind != FL__UNSET ? override[stream] : cmd->stdio[stream];

    /* Allocate the handle first: once a child exists, nothing may fail for
     * lack of memory and leave it without an owner. */
    struct fl_child *child = calloc(1, sizeof *child);
    if (!child)
        return fl__fail(cmd, ENOMEM, FL_STEP_BUILD, -1, NULL);

    char *found = NULL;
    char **envp = NULL;
    bool envp_allocated = false;
    int parent_ends[3] = {-1, -1, -1}, child_ends[3] = {-1, -1, -1};
    int error_pipe[2] = {-1, -1};
    struct fl__plan plan = {
        .argv = cmd->argv,
        .cwd = cmd->cwd,
        .keep_fds = cmd->keep_fds,
        .keep_count = cmd->keep_count,
        .blocked = cmd->blocked,
        .ignored = cmd->ignored,
        .pgid = cmd->pgid,
        .new_session = cmd->new_session,
        .pdeathsig = cmd->pdeathsig,
        /* Only the die-with-parent check needs it: a syscall saved per spawn. */
        .parent_pid = cmd->pdeathsig > 0 ? getpid() : 0,
        .pre_exec = cmd->pre_exec,
        .pre_exec_arg = cmd->pre_exec_arg,
    };

    int rc = fl__find_program(cmd->argv[0], fl__env_path(cmd), cmd->cwd, &found);
    if (rc < 0) {
        fl__fail(cmd, -rc, FL_STEP_LOOKUP, -1, cmd->argv[0]);
        goto out;
    }
    plan.path = found ? found : cmd->argv[0];

    rc = fl__env_build(cmd, &envp, &envp_allocated);
    if (rc < 0) {
        fl__fail(cmd, -rc, FL_STEP_BUILD, -1, NULL);
        goto out;
    }
    plan.envp = envp;

    rc = fl__stdio_prepare(cmd, spec, &plan, parent_ends, child_ends);
    if (rc < 0)
        goto out;

    rc = make_error_pipe(error_pipe);
    if (rc < 0) {
        fl__fail(cmd, -rc, FL_STEP_PIPE, -1, NULL);
        goto out;
    }
    plan.error_fd = error_pipe[1];

    pid_t pid;
    int pidfd;
    sigset_t caller_mask;
    fl__block_all_signals(&caller_mask);
    rc = cmd->pre_exec ? fl__spawn_fork(&plan, &pid, &pidfd) : fl__spawn_clone(&plan, &pid, &pidfd);
    fl__restore_signals(&caller_mask);

    /* Our copies of the child's ends: keeping them would mean the child never
     * sees EOF on its stdin, and we never see EOF on its stdout. */
    fl__close_fds(child_ends);
    close(error_pipe[1]);
    error_pipe[1] = -1;
    if (rc < 0) {
        fl__fail(cmd, -rc, FL_STEP_CLONE, -1, NULL);
        goto out;
    }

    struct fl__child_report report;
    if (read_child_report(error_pipe[0], &report)) {
        reap_failed_child(pid, pidfd);
        rc = fl__fail(cmd, report.code, (enum fl_step)report.step, report.stream,
                      failure_detail(&plan, &report));
        goto out;
    }

    *child = (struct fl_child){
        .pid = pid,
        .pidfd = pidfd,
        .fds = {parent_ends[0], parent_ends[1], parent_ends[2]},
        .release = cmd->release,
        .grace_ms = cmd->grace_ms,
        .output_limit = cmd->output_limit,
        .error = {.step = FL_STEP_NONE, .stream = -1},
    };
    snprintf(child->name, sizeof child->name, "%s", cmd->argv[0]);
    parent_ends[0] = parent_ends[1] = parent_ends[2] = -1;
    *childp = child;
    child = NULL;
    rc = 0;
out:
    fl__close_fds(parent_ends);
    fl__close_fds(child_ends);
    if (error_pipe[0] >= 0)
        close(error_pipe[0]);
    if (error_pipe[1] >= 0)
        close(error_pipe[1]);
    if (envp_allocated)
        free(envp);
    free(found);
    free(child);
    return rc;
}

int fl_command_spawn(struct fl_command *cmd, struct fl_child **child)
{
    return fl__spawn(cmd, NULL, child);
}
