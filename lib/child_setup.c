/* child_setup.c: what the new process does between clone and exec, in order.
 * It may share the parent's memory (CLONE_VM), so it uses raw syscalls only,
 * allocates nothing, and reports any failure through the error pipe. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's struct sigaction (not glibc's, whose mask is 128 bytes). */
struct kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

#define KERNEL_SIGSET_SIZE 8

/* Sends {step, errno} to the parent and ends the child. The parent is waiting
 * on the other end; after this write it sees a report, never an EOF. The
 * write end is closed as soon as it is done with, like any other (exit would
 * close it a moment later, but a checker rightly asks a process that ends
 * holding a pipe's write end why it kept it). */
FL_CHILD_CODE _Noreturn static void report(const struct fl__plan *plan, enum fl_step step,
                                           int stream, int code)
{
    struct fl__child_report record = {.step = step, .code = code, .stream = stream};
    FL_RETRY(syscall(SYS_write, plan->error_fd, &record, sizeof record));
    syscall(SYS_close, plan->error_fd);
    for (;;)
        syscall(SYS_exit_group, 127);
}

/* Gives every signal its default action, or SIG_IGN for those in `ignored`.
 * Two reasons. A caught signal's handler lives in the parent's code: exec
 * resets it, but between clone and exec it would run in our half-built child.
 * And an ignored signal stays ignored across exec: a child that inherits an
 * ignored SIGPIPE spins on EPIPE instead of dying when its reader goes away,
 * one with SIGINT ignored survives Ctrl-C. One rt_sigaction per signal, with
 * no need to read the old action first: about 6 us, under 1% of a spawn
 * (bench/spawn.c times it).
 * Returns 0 or -errno. */
FL_CHILD_CODE int fl__reset_signal_actions(uint64_t ignored)
{
    for (int sig = 1; sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        struct kernel_sigaction action = {.handler =
                                              ignored & (1ULL << (sig - 1)) ? SIG_IGN : SIG_DFL};
        /* EINVAL: a signal the runtime keeps for itself (valgrind does);
         * then it is not ours to set. */
        if (syscall(SYS_rt_sigaction, sig, &action, NULL, KERNEL_SIGSET_SIZE) < 0 &&
            errno != EINVAL)
            return -errno;
    }
    return 0;
}

FL_CHILD_CODE static void arm_death_signal(const struct fl__plan *plan)
{
    if (syscall(SYS_prctl, PR_SET_PDEATHSIG, plan->pdeathsig, 0, 0, 0) < 0)
        report(plan, FL_STEP_PDEATHSIG, -1, errno);
    /* If the parent died before prctl, nobody will send the signal: we were
     * reparented, and getppid() no longer matches. Deliver it ourselves. */
    if (syscall(SYS_getppid) != plan->parent_pid) {
        uint64_t only = 1ULL << (plan->pdeathsig - 1);
        syscall(SYS_kill, syscall(SYS_getpid), plan->pdeathsig);
        syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &only, NULL, KERNEL_SIGSET_SIZE);
        for (;;)
            syscall(SYS_exit_group, 127);
    }
}

FL_CHILD_CODE static int open_source(const struct fl__plan *plan, int stream)
{
    const struct fl__child_stdio *s = &plan->stdio[stream];
    const char *path = s->kind == FL__NULL ? "/dev/null" : s->path;
    int flags = s->kind == FL__NULL ? (stream == FL_STDIN ? O_RDONLY : O_WRONLY) : s->flags;
    int fd = (int)FL_RETRY(syscall(SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC, s->mode));
    if (fd < 0)
        report(plan, FL_STEP_OPEN, stream, errno);
    return fd;
}

/* Puts each stream's source on 0, 1 or 2. The trap: a source may itself be
 * 0, 1 or 2 (the caller had closed its stdin, so pipe2 returned 0), and
 * placing another stream first would overwrite it. So every source sitting on
 * a low number that is not its own moves above 2 before anything is placed. */
FL_CHILD_CODE static void place_stdio(const struct fl__plan *plan)
{
    int source[3];
    for (int stream = 0; stream < 3; stream++) {
        switch (plan->stdio[stream].kind) {
        case FL__NULL:
        case FL__PATH:
            source[stream] = open_source(plan, stream);
            break;
        case FL__FD:
            source[stream] = plan->stdio[stream].fd;
            break;
        default: /* inherit, merge */
            source[stream] = -1;
            break;
        }
    }
    for (int stream = 0; stream < 3; stream++) {
        if (source[stream] >= 0 && source[stream] < 3 && source[stream] != stream) {
            source[stream] = (int)syscall(SYS_fcntl, source[stream], F_DUPFD_CLOEXEC, 3);
            if (source[stream] < 0)
                report(plan, FL_STEP_DUP2, stream, errno);
        }
    }
    for (int stream = 0; stream < 3; stream++) {
        long rc = 0;
        if (source[stream] == stream) /* already in place: just let it survive exec */
            rc = syscall(SYS_fcntl, stream, F_SETFD, 0);
        else if (source[stream] >= 0)
            rc = FL_RETRY(syscall(SYS_dup3, source[stream], stream, 0));
        if (rc < 0)
            report(plan, FL_STEP_DUP2, stream, errno);
    }
    if (plan->stdio[FL_STDERR].kind == FL__MERGE &&
        FL_RETRY(syscall(SYS_dup3, FL_STDOUT, FL_STDERR, 0)) < 0)
        report(plan, FL_STEP_DUP2, FL_STDERR, errno);
}

FL_CHILD_CODE _Noreturn void fl__child_run(const struct fl__plan *plan)
{
    /* All signals are blocked (the parent did it before clone), so no handler
     * can run here until the child's own mask is set below. */
    int rc = fl__reset_signal_actions(plan->ignored);
    if (rc < 0)
        report(plan, FL_STEP_SIGNALS, -1, -rc);

    if (plan->new_session && syscall(SYS_setsid) < 0)
        report(plan, FL_STEP_SETSID, -1, errno);
    if (plan->pgid >= 0 && syscall(SYS_setpgid, 0, plan->pgid) < 0)
        report(plan, FL_STEP_SETPGID, -1, errno);
    if (plan->pdeathsig > 0)
        arm_death_signal(plan);

    /* Files open relative to the caller's directory, before chdir. */
    place_stdio(plan);

    if (plan->cwd && syscall(SYS_chdir, plan->cwd) < 0)
        report(plan, FL_STEP_CHDIR, -1, errno);

    rc = fl__mark_cloexec_from(3);
    if (rc < 0)
        report(plan, FL_STEP_CLOSE_FDS, -1, -rc);
    for (size_t i = 0; i < plan->keep_count; i++)
        if (syscall(SYS_fcntl, plan->keep_fds[i], F_SETFD, 0) < 0)
            report(plan, FL_STEP_KEEP_FD, -1, errno);

    if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &plan->blocked, NULL, KERNEL_SIGSET_SIZE) < 0)
        report(plan, FL_STEP_SIGNALS, -1, errno);

    if (plan->pre_exec) {
        rc = plan->pre_exec(plan->pre_exec_arg);
        if (rc != 0)
            report(plan, FL_STEP_PRE_EXEC, -1, rc < 0 ? -rc : rc);
    }

    syscall(SYS_execve, plan->path, plan->argv, plan->envp);
    report(plan, FL_STEP_EXEC, -1, errno);
}
