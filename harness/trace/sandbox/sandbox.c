/* Containment shared by every run of a target: we become the reaper of
 * orphans, the target gets none of our descriptors, and at the end every
 * descendant is killed and reaped, however it tried to get away. */
#include "trace/sandbox/sandbox.h"
#include "trace/proc/proc_stat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int sandbox_become_subreaper(void)
{
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : -errno;
}

/* Called in the forked child just before it execs the target, so it must be
 * async-signal-safe: raw system calls only. The descriptors are marked
 * close-on-exec rather than closed, so that the harness's own pipe to the
 * child (itself close-on-exec) keeps working until the exec, and the exec
 * then closes them all at once. */
int sandbox_close_inherited_fds(void)
{
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return 0;
    /* Kernels before 5.11: one fcntl per possible descriptor. */
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -errno;
    rlim_t highest = limit.rlim_cur == RLIM_INFINITY ? 65536 : limit.rlim_cur;
    for (rlim_t fd = 3; fd < highest; fd++) {
        int flags = fcntl((int)fd, F_GETFD);
        if (flags >= 0)
            fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC);
    }
    return 0;
}

/* A set of pids, grown as needed. */
struct pid_list {
    pid_t *pids;
    size_t count, capacity;
};

static int pid_list_add(struct pid_list *list, pid_t pid)
{
    if (list->count == list->capacity) {
        size_t wanted = list->capacity ? list->capacity * 2 : 64;
        pid_t *grown = realloc(list->pids, wanted * sizeof(*grown));
        if (grown == NULL)
            return -ENOMEM;
        list->pids = grown;
        list->capacity = wanted;
    }
    list->pids[list->count++] = pid;
    return 0;
}

static bool pid_list_contains(const struct pid_list *list, pid_t pid)
{
    for (size_t i = 0; i < list->count; i++)
        if (list->pids[i] == pid)
            return true;
    return false;
}

/* Every process whose chain of parents leads to us. Reads the parent of
 * each process in /proc once, then grows the set from ourselves until it
 * stops growing. Zombies count too: they need reaping. */
static int find_descendants(struct pid_list *descendants)
{
    struct pid_list pids = {0}, parents = {0};
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return -errno;
    int error = 0;
    struct dirent *item;
    while (error == 0 && (item = readdir(proc)) != NULL) {
        char *end;
        long pid = strtol(item->d_name, &end, 10);
        if (*end != '\0' || pid <= 0)
            continue;
        struct proc_stat stat;
        if (proc_stat_read((pid_t)pid, &stat) < 0)
            continue; /* it exited meanwhile */
        error = pid_list_add(&pids, stat.pid);
        if (error == 0)
            error = pid_list_add(&parents, stat.ppid);
    }
    closedir(proc);

    descendants->count = 0;
    if (error == 0)
        error = pid_list_add(descendants, getpid());
    for (bool grown = true; error == 0 && grown;) {
        grown = false;
        for (size_t i = 0; error == 0 && i < pids.count; i++) {
            if (pid_list_contains(descendants, parents.pids[i]) &&
                !pid_list_contains(descendants, pids.pids[i])) {
                error = pid_list_add(descendants, pids.pids[i]);
                grown = true;
            }
        }
    }
    free(pids.pids);
    free(parents.pids);
    return error;
}

int sandbox_kill_descendants(void)
{
    int killed = 0;
    struct pid_list descendants = {0};
    for (;;) {
        int error = find_descendants(&descendants);
        if (error < 0) {
            free(descendants.pids);
            return error;
        }
        /* descendants.pids[0] is ourselves. */
        if (descendants.count <= 1)
            break;
        for (size_t i = 1; i < descendants.count; i++)
            if (kill(descendants.pids[i], SIGKILL) == 0)
                killed++;
        /* Reap what died. Grandchildren become our children as their parents
         * die (we are a subreaper), so wait for at least one, then take
         * every other one that is ready, and look again. */
        int status;
        pid_t reaped;
        do
            reaped = waitpid(-1, &status, __WALL);
        while (reaped < 0 && errno == EINTR);
        while (reaped > 0)
            reaped = waitpid(-1, &status, __WALL | WNOHANG);
    }
    free(descendants.pids);
    return killed;
}
