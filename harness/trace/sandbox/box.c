/* The harness's side of the box: the cgroups, the clone that makes the
 * namespaces and their init (box_pid1.c), the attach to the target the
 * init forks, the init's reports, and the fallback to a start outside any
 * namespace when the kernel refuses them. Read bubblewrap's bubblewrap.c
 * for a fuller sandbox built from the same pieces. */
#include "trace/sandbox/box.h"
#include "trace/proc/proc_stat.h"
#include "trace/sandbox/box_pid1.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Room for the init's reports the harness has not read yet: at the default
 * socket buffer a few hundred fit; a parent dying with more zombies than
 * that would make the init wait for the tracer's next read. The kernel caps
 * what an unprivileged caller asks for at net.core.wmem_max. */
#define REPORT_BUFFER_BYTES (16 * 1024 * 1024)

int box_prepare(struct box *box, const struct box_request *request)
{
    memset(box, 0, sizeof(*box));
    box->request = *request;
    box->reports = -1;
    return cgroup_limits_create(&box->limits, request->max_tasks, request->memory_mib);
}

static const char *step_name(int step)
{
    switch (step) {
    case BOX_STEP_CGROUP:
        return "joining the cgroups";
    case BOX_STEP_USER_MAP:
        return "mapping our user in the user namespace";
    case BOX_STEP_MOUNT_PROC:
        return "mounting the namespace's own /proc";
    case BOX_STEP_FORK:
        return "forking the program";
    default:
        return "setting the box up";
    }
}

/* The target outside any namespace: as before the box, with the cgroups
 * and the CPU limit still. */
static int start_outside(struct box *box, const struct target_spawn *spawn, pid_t *main_pid)
{
    struct target_spawn outside = *spawn;
    outside.protect.in_box = false;
    outside.cpu_seconds = box->request.cpu_seconds;
    outside.limits = &box->limits;
    return target_spawn(&outside, main_pid);
}

/* One message from the box, blocking; the pid from its credentials. Returns
 * 1, 0 at end of file (the box is gone), or a negative errno. */
static int receive(int socket, struct box_message *message, pid_t *sender, int flags)
{
    memset(message, 0, sizeof(*message));
    struct iovec part = {.iov_base = message, .iov_len = sizeof(*message)};
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(struct ucred))];
    } control;
    struct msghdr header = {.msg_iov = &part,
                            .msg_iovlen = 1,
                            .msg_control = control.space,
                            .msg_controllen = sizeof(control.space)};
    ssize_t got;
    do
        got = recvmsg(socket, &header, flags | MSG_CMSG_CLOEXEC);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return -errno;
    if (got == 0)
        return 0;
    *sender = 0;
    for (struct cmsghdr *item = CMSG_FIRSTHDR(&header); item != NULL;
         item = CMSG_NXTHDR(&header, item))
        if (item->cmsg_level == SOL_SOCKET && item->cmsg_type == SCM_CREDENTIALS &&
            item->cmsg_len == CMSG_LEN(sizeof(struct ucred))) {
            struct ucred who;
            memcpy(&who, CMSG_DATA(item), sizeof(who));
            *sender = who.pid;
        }
    return 1;
}

/* Ends a box that did not get going: the init's death ends the namespace
 * and everything in it. A target we already seized must be collected by us
 * before the init can finish dying, so collect any child until the init. */
static void discard(struct box *box)
{
    if (box->init_pid > 0) {
        kill(box->init_pid, SIGKILL);
        pid_t reaped;
        do
            reaped = waitpid(-1, NULL, __WALL);
        while (reaped != box->init_pid && (reaped > 0 || errno == EINTR));
    }
    box->init_pid = 0;
    if (box->reports >= 0)
        close(box->reports);
    box->reports = -1;
}

/* Clones the init into new namespaces. Root may make them without a user
 * namespace; anyone else (or root in a container that lacks CAP_SYS_ADMIN)
 * needs one. */
static pid_t clone_init(struct box *box, const struct box_pid1_setup *setup, int *error)
{
    unsigned long flags = CLONE_NEWPID | CLONE_NEWNS | SIGCHLD;
    bool root = geteuid() == 0;
    for (int attempt = root ? 0 : 1; attempt < 2; attempt++) {
        struct box_pid1_setup copy = *setup;
        copy.user_namespace = attempt == 1;
        pid_t pid = box_clone(flags | (copy.user_namespace ? CLONE_NEWUSER : 0));
        if (pid == 0)
            box_pid1_run(&copy);
        if (pid > 0) {
            box->user_namespace = copy.user_namespace;
            return pid;
        }
        *error = errno;
    }
    return -1;
}

/* Waits for the target's "set up" message (an init that failed says where
 * instead). Returns the target's pid, 0 when the box could not be set up
 * (why_outside says why: start outside), or a negative errno. */
static pid_t wait_until_ready(struct box *box)
{
    struct box_message message;
    pid_t sender = 0;
    int got = receive(box->reports, &message, &sender, 0);
    if (got == 1 && message.kind == BOX_MAIN_READY && sender > 0)
        return sender;
    if (got == 1 && message.kind == BOX_FAILED) {
        snprintf(box->why_outside, sizeof(box->why_outside), "the box's init failed %s: %s",
                 step_name(message.step), strerror(message.error));
        return 0;
    }
    if (got == 1 && message.kind == BOX_REAPED)
        return -ECHILD; /* the target died before it was set up */
    if (got == 0) {
        snprintf(box->why_outside, sizeof(box->why_outside), "the box's init died at its start");
        return 0;
    }
    return got < 0 ? got : -EPROTO;
}

int box_start(struct box *box, const struct target_spawn *spawn, pid_t *main_pid)
{
    if (!box->request.namespaces)
        return start_outside(box, spawn, main_pid);

    int sockets[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0)
        return -errno;
    int on = 1, buffer = REPORT_BUFFER_BYTES;
    setsockopt(sockets[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
    if (setsockopt(sockets[1], SOL_SOCKET, SO_SNDBUFFORCE, &buffer, sizeof(buffer)) != 0)
        setsockopt(sockets[1], SOL_SOCKET, SO_SNDBUF, &buffer, sizeof(buffer));

    /* The target inside: the init joined the cgroups for it, and the filter
     * guards the init instead of the harness, which it cannot see. */
    struct target_spawn inside = *spawn;
    inside.protect.in_box = true;
    inside.cpu_seconds = box->request.cpu_seconds;
    inside.limits = NULL;
    struct seccomp_filter filter;
    seccomp_filter_build(&filter, &inside.protect);
    struct box_pid1_setup setup = {.socket = sockets[1],
                                   .uid = geteuid(),
                                   .gid = getegid(),
                                   .limits = &box->limits,
                                   .spawn = &inside,
                                   .filter = &filter};
    int error = 0;
    pid_t init = clone_init(box, &setup, &error);
    close(sockets[1]);
    box->reports = sockets[0];
    if (init < 0) {
        snprintf(box->why_outside, sizeof(box->why_outside),
                 "the kernel refused new namespaces (%s): forklab needs root, or unprivileged "
                 "user namespaces",
                 strerror(error));
        discard(box);
        return start_outside(box, spawn, main_pid);
    }
    box->init_pid = init;

    pid_t target = wait_until_ready(box);
    if (target == 0) {
        discard(box);
        return start_outside(box, spawn, main_pid);
    }
    if (target < 0) {
        discard(box);
        return target;
    }
    if (ptrace(PTRACE_SEIZE, target, 0L, (long)TARGET_PTRACE_OPTIONS) < 0) {
        error = -errno;
        discard(box);
        return error;
    }
    ssize_t put;
    do
        put = send(box->reports, "g", 1, MSG_NOSIGNAL);
    while (put < 0 && errno == EINTR);
    if (put != 1) {
        error = put < 0 ? -errno : -EIO;
        discard(box);
        return error;
    }
    *main_pid = target;
    return 0;
}

int box_next_reaped(struct box *box, pid_t *pid)
{
    if (box->reports < 0)
        return 0;
    for (;;) {
        struct box_message message;
        pid_t sender = 0;
        int got = receive(box->reports, &message, &sender, MSG_DONTWAIT);
        if (got == -EAGAIN || got == 0)
            return 0;
        if (got < 0)
            return got;
        if (message.kind == BOX_REAPED && sender > 0) {
            *pid = sender;
            return 1;
        }
    }
}

bool box_stop_init(struct box *box)
{
    if (box->init_pid <= 0 || kill(box->init_pid, SIGSTOP) != 0)
        return false;
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    int waited;
    do
        waited = waitid(P_PID, (id_t)box->init_pid, &info, WSTOPPED | WEXITED | WNOWAIT);
    while (waited < 0 && errno == EINTR);
    return waited == 0 && info.si_code == CLD_STOPPED;
}

int box_for_each_zombie(const struct box *box, void (*visit)(pid_t pid, void *context),
                        void *context)
{
    if (box->init_pid <= 0)
        return 0;
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return -errno;
    struct dirent *item;
    while ((item = readdir(proc)) != NULL) {
        char *end;
        long pid = strtol(item->d_name, &end, 10);
        struct proc_stat stat;
        if (*end != '\0' || pid <= 0 || proc_stat_read((pid_t)pid, &stat) < 0)
            continue;
        if (stat.ppid == box->init_pid && stat.state == 'Z')
            visit(stat.pid, context);
    }
    closedir(proc);
    return 0;
}

void box_close(struct box *box)
{
    if (box->reports >= 0)
        close(box->reports);
    box->reports = -1;
    cgroup_limits_remove(&box->limits);
}
