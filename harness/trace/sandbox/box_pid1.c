/* The box's pid 1. It sets the box up (the cgroups, a user namespace's id
 * maps, the namespace's own /proc), forks the target, and from then on does
 * one thing: reap whatever dies in the box, telling the harness each pid
 * just before it reaps it, until nothing is left. It installs no signal
 * handler, and the kernel drops every signal sent from inside a PID
 * namespace to its init when no handler is installed, SIGKILL included: the
 * target cannot end it, and the harness, outside, can. It is a copy of a
 * possibly multithreaded harness: system calls only, no allocation, no
 * stdio, no glibc fork. */
#include "trace/sandbox/box_pid1.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t box_clone(unsigned long flags)
{
    /* On every architecture seccomp_filter.c knows, clone takes the flags
     * first; a zero stack means "the same stack pointer", as with fork. */
    return (pid_t)syscall(SYS_clone, flags, 0L, 0L, 0L, 0L);
}

/* A message to the harness. For BOX_REAPED, credentials naming the child:
 * the kernel checks that the pid exists (so it must be sent before the
 * reap) and hands it to the harness as a pid of the harness's namespace.
 * Without them the kernel attaches our own. */
static void tell(int socket, char kind, int step, int error, pid_t child)
{
    struct box_message message = {.kind = kind, .step = step, .error = error};
    struct iovec part = {.iov_base = &message, .iov_len = sizeof(message)};
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(struct ucred))];
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr header = {.msg_iov = &part, .msg_iovlen = 1};
    if (child > 0) {
        header.msg_control = control.space;
        header.msg_controllen = sizeof(control.space);
        struct cmsghdr *credentials = CMSG_FIRSTHDR(&header);
        credentials->cmsg_level = SOL_SOCKET;
        credentials->cmsg_type = SCM_CREDENTIALS;
        credentials->cmsg_len = CMSG_LEN(sizeof(struct ucred));
        struct ucred who = {.pid = child, .uid = getuid(), .gid = getgid()};
        memcpy(CMSG_DATA(credentials), &who, sizeof(who));
    }
    while (sendmsg(socket, &header, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
}

static _Noreturn void fail(int socket, enum box_step step, int error)
{
    tell(socket, BOX_FAILED, step, error, 0);
    _exit(1);
}

static int write_file(const char *path, const char *text, size_t length)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t put;
    do
        put = write(fd, text, length);
    while (put < 0 && errno == EINTR);
    int error = put < 0 ? -errno : 0;
    close(fd);
    return error;
}

/* "ID ID 1\n": the id maps to itself, the only map an unprivileged user may
 * write. Formatted by hand: snprintf is not async-signal-safe. */
static int write_id_map(const char *path, unsigned id)
{
    char digits[16], line[40];
    int count = 0;
    do
        digits[count++] = (char)('0' + id % 10);
    while ((id /= 10) != 0);
    size_t length = 0;
    for (int copy = 0; copy < 2; copy++) {
        for (int i = count - 1; i >= 0; i--)
            line[length++] = digits[i];
        line[length++] = ' ';
    }
    memcpy(line + length, "1\n", 2);
    return write_file(path, line, length + 2);
}

/* In a new user namespace we are nobody until our ids are mapped. The
 * kernel wants setgroups denied before an unprivileged gid map. Same ids
 * inside and out: the program sees the user it runs as. */
static int map_ids(uid_t uid, gid_t gid)
{
    int error = write_file("/proc/self/setgroups", "deny", 4);
    if (error == 0)
        error = write_id_map("/proc/self/uid_map", (unsigned)uid);
    if (error == 0)
        error = write_id_map("/proc/self/gid_map", (unsigned)gid);
    return error;
}

/* Our mounts stop propagating to the harness's namespace first, so the new
 * /proc, which shows only the box's processes, is seen in the box alone. */
static int mount_own_proc(void)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return -errno;
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        return -errno;
    return 0;
}

/* Closes every descriptor but those in `keep` (ascending): we hold copies of
 * all the harness's, the write ends of its output pipes among them, which
 * must reach end of file when the target is done. */
static void close_all_but(const int *keep, int count)
{
    unsigned first = 0;
    for (int i = 0; i <= count; i++) {
        unsigned last = i < count ? (unsigned)keep[i] : ~0U;
        if (i < count && (unsigned)keep[i] < first)
            continue; /* a repeat */
        if (last > first)
            syscall(SYS_close_range, first, last - 1, 0U);
        first = last + 1;
    }
}

static void sort_ascending(int *fds, int count)
{
    for (int i = 1; i < count; i++)
        for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
            int swap = fds[j];
            fds[j] = fds[j - 1];
            fds[j - 1] = swap;
        }
}

/* WNOWAIT first: the pid stays taken (a zombie) while the harness is told,
 * so the pid it receives is that process's and no newer one's. */
static _Noreturn void reap_until_empty(int socket)
{
    for (;;) {
        siginfo_t info;
        memset(&info, 0, sizeof(info));
        if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT | __WALL) < 0) {
            if (errno == EINTR)
                continue;
            _exit(0); /* ECHILD: nothing is left in the box */
        }
        tell(socket, BOX_REAPED, 0, 0, info.si_pid);
        while (waitid(P_PID, (id_t)info.si_pid, &info, WEXITED | __WALL) < 0 && errno == EINTR)
            ;
    }
}

_Noreturn void box_pid1_run(const struct box_pid1_setup *setup)
{
    int socket = setup->socket;
    const struct target_spawn *spawn = setup->spawn;

    struct sigaction default_action;
    memset(&default_action, 0, sizeof(default_action));
    default_action.sa_handler = SIG_DFL;
    for (int signo = 1; signo < NSIG; signo++)
        sigaction(signo, &default_action, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* Our own session: the harness's group id means nothing in here. If the
     * harness dies the box goes too (the kernel kills a namespace with its
     * init). */
    setsid();
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);

    int error = setup->limits != NULL ? cgroup_limits_join(setup->limits) : 0;
    if (error < 0)
        fail(socket, BOX_STEP_CGROUP, -error);
    if (setup->user_namespace && (error = map_ids(setup->uid, setup->gid)) < 0)
        fail(socket, BOX_STEP_USER_MAP, -error);
    if ((error = mount_own_proc()) < 0)
        fail(socket, BOX_STEP_MOUNT_PROC, -error);

    int keep[] = {socket, spawn->stdin_fd, spawn->stdout_fd, spawn->stderr_fd};
    sort_ascending(keep, 4);
    close_all_but(keep, 4);

    pid_t target = box_clone(SIGCHLD);
    if (target < 0)
        fail(socket, BOX_STEP_FORK, errno);
    if (target == 0)
        target_child_start(spawn, setup->filter, socket, socket);
    close(spawn->stdin_fd);
    close(spawn->stdout_fd);
    close(spawn->stderr_fd);
    /* Not dumpable (the target, forked before, is): a program of the same
     * user cannot read or write our memory through /proc/1/mem. Never the
     * memory limit's victim (root only; the target, forked before, keeps
     * its score): the box would die with us. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    write_file("/proc/self/oom_score_adj", "-1000", 5);
    reap_until_empty(socket);
}
