/* What a process waits for, from /proc/PID/syscall ("NR ARG1 ... SP PC",
 * "running", or "-1 SP PC" outside a call), /proc/PID/wchan and its fd
 * links. Read at the timeout, while the processes still sit where they hung. */
#include "trace/proc/blocked_on.h"
#include "trace/proc/proc_stat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The calls a hung program usually sits in; `fd_arg` is the argument that
 * names a descriptor (-1: none), `is_wait` marks wait4/waitid. */
static const struct {
    long nr;
    const char *name;
    int fd_arg;
    bool is_wait;
} known_calls[] = {
    {SYS_read, "read", 0, false},
    {SYS_write, "write", 0, false},
    {SYS_readv, "readv", 0, false},
    {SYS_writev, "writev", 0, false},
    {SYS_pread64, "pread64", 0, false},
    {SYS_pwrite64, "pwrite64", 0, false},
    {SYS_recvfrom, "recvfrom", 0, false},
    {SYS_recvmsg, "recvmsg", 0, false},
    {SYS_sendto, "sendto", 0, false},
    {SYS_sendmsg, "sendmsg", 0, false},
    {SYS_accept, "accept", 0, false},
    {SYS_accept4, "accept4", 0, false},
    {SYS_connect, "connect", 0, false},
    {SYS_flock, "flock", 0, false},
    {SYS_wait4, "wait4", -1, true},
    {SYS_waitid, "waitid", -1, true},
    {SYS_ppoll, "ppoll", -1, false},
    {SYS_pselect6, "pselect6", -1, false},
    {SYS_epoll_pwait, "epoll_pwait", -1, false},
    {SYS_nanosleep, "nanosleep", -1, false},
    {SYS_clock_nanosleep, "clock_nanosleep", -1, false},
    {SYS_rt_sigsuspend, "sigsuspend", -1, false},
    {SYS_rt_sigtimedwait, "sigtimedwait", -1, false},
    {SYS_futex, "futex", -1, false},
    {SYS_openat, "openat", -1, false}, /* opening a FIFO blocks until the other side opens */
#ifdef SYS_poll
    {SYS_poll, "poll", -1, false},
    {SYS_select, "select", -1, false},
    {SYS_epoll_wait, "epoll_wait", -1, false},
    {SYS_pause, "pause", -1, false},
    {SYS_open, "open", -1, false},
#endif
};

/* One look, read from three files that the process may change between
 * reads: stat, wchan, syscall. */
static int read_once(pid_t pid, struct blocked_on *blocked)
{
    struct proc_stat stat;
    int error = proc_stat_read(pid, &stat);
    if (error < 0)
        return error;
    blocked->state = stat.state;

    char text[256];
    if (proc_read_file(pid, "wchan", text, sizeof(text)) > 0 && strcmp(text, "0") != 0)
        snprintf(blocked->wchan, sizeof(blocked->wchan), "%.63s", text);

    blocked->valid = true;
    if (proc_read_file(pid, "syscall", text, sizeof(text)) < 0 || strncmp(text, "running", 7) == 0)
        return 0;
    unsigned long long args[6] = {0};
    long nr;
    if (sscanf(text, "%ld %llx %llx %llx %llx %llx %llx", &nr, &args[0], &args[1], &args[2],
               &args[3], &args[4], &args[5]) < 1 ||
        nr < 0)
        return 0;
    blocked->syscall = nr;
    for (size_t i = 0; i < sizeof(known_calls) / sizeof(known_calls[0]); i++) {
        if (known_calls[i].nr != nr)
            continue;
        blocked->syscall_name = known_calls[i].name;
        if (known_calls[i].is_wait) /* wait4(pid, ...); waitid(idtype, id, ...) */
            blocked->waited_pid = nr == SYS_wait4    ? (pid_t)args[0]
                                  : args[0] == P_PID ? (pid_t)args[1]
                                                     : -1;
        if (known_calls[i].fd_arg >= 0) {
            blocked->fd = (int)args[known_calls[i].fd_arg];
            if (fd_entry_read(pid, blocked->fd, &blocked->target) < 0)
                snprintf(blocked->target.target, sizeof(blocked->target.target), "(closed)");
        }
        break;
    }
    return 0;
}

int blocked_on_read(pid_t pid, int stop_signal, struct blocked_on *blocked)
{
    memset(blocked, 0, sizeof(*blocked));
    blocked->syscall = -1;
    blocked->fd = -1;
    blocked->stop_signal = stop_signal;
    /* The look holds together only if the process stayed off the CPU
     * throughout: else it may have left the call the stat line shows. */
    uint64_t runs_before, runs_after;
    bool counted = proc_times_scheduled(pid, &runs_before) == 0;
    int error = read_once(pid, blocked);
    if (error == 0 && counted)
        blocked->moved = proc_times_scheduled(pid, &runs_after) < 0 || runs_after != runs_before;
    return error;
}

bool blocked_on_settled(const struct blocked_on *blocked)
{
    if (!blocked->valid || blocked->moved)
        return false;
    if (blocked->stop_signal != 0 || blocked->state == 'T' || blocked->state == 'Z' ||
        blocked->state == 'X')
        return true;
    return (blocked->state == 'S' || blocked->state == 'D') && blocked->syscall >= 0;
}

int blocked_on_activity(pid_t pid, enum activity *activity)
{
    struct proc_stat stat;
    int error = proc_stat_read(pid, &stat);
    if (error == -ENOENT || error == -ESRCH || (error == 0 && strchr("ZXx", stat.state))) {
        *activity = ACTIVITY_GONE;
        return 0;
    }
    if (error < 0)
        return error;
    *activity = ACTIVITY_RUNS;
    if (stat.state == 'T' || stat.state == 't') {
        *activity = ACTIVITY_STOPPED;
        return 0;
    }
    if (stat.state != 'S')
        return 0;
    char text[256];
    long nr;
    if (proc_read_file(pid, "syscall", text, sizeof(text)) < 0 || sscanf(text, "%ld", &nr) != 1 ||
        nr < 0)
        return 0; /* "running", or asleep outside a call: a page fault, say */
    if (nr == SYS_nanosleep || nr == SYS_clock_nanosleep)
        *activity = ACTIVITY_SLEEPS;
    else if (nr == SYS_wait4 || nr == SYS_waitid)
        *activity = ACTIVITY_WAITS_CHILD;
    else
        *activity = ACTIVITY_BLOCKED;
    return 0;
}

void blocked_on_find_other_end(struct blocked_on *blocked, const pid_t *pids, size_t count)
{
    blocked->holder_count = 0;
    if (blocked->fd < 0 || !fd_target_is_pipe(blocked->target.target) || blocked->target.flags < 0)
        return;
    /* A reader waits for the writers to write or to close; a writer for the
     * readers to read. O_RDWR holds both ends. */
    int mine = blocked->target.flags & O_ACCMODE;
    int wanted = mine == O_RDONLY ? O_WRONLY : O_RDONLY;
    for (size_t i = 0; i < count && blocked->holder_count < BLOCKED_ON_MAX_HOLDERS; i++) {
        struct fd_table table;
        fd_table_init(&table);
        if (fd_table_read(pids[i], 0, &table) == 0) {
            for (size_t j = 0; j < table.count; j++) {
                const struct fd_entry *entry = &table.entries[j];
                int access = entry->flags & O_ACCMODE;
                if (strcmp(entry->target, blocked->target.target) == 0 && entry->flags >= 0 &&
                    (access == wanted || access == O_RDWR) &&
                    blocked->holder_count < BLOCKED_ON_MAX_HOLDERS)
                    blocked->holders[blocked->holder_count++] =
                        (struct pipe_holder){.pid = pids[i], .fd = entry->fd};
            }
        }
        fd_table_free(&table);
    }
}

void blocked_on_describe(const struct blocked_on *blocked, char *text, size_t size)
{
    if (!blocked->valid) {
        snprintf(text, size, "unknown (it was gone)");
    } else if (blocked->stop_signal != 0 || blocked->state == 'T') {
        int signo = blocked->stop_signal ? blocked->stop_signal : SIGSTOP;
        snprintf(text, size, "stopped by SIG%s", sigabbrev_np(signo));
    } else if (blocked->state == 'Z') {
        snprintf(text, size, "exited, waiting to be reaped (zombie)");
    } else if (blocked->syscall < 0) {
        snprintf(text, size, "running (not in a system call: a busy loop?)");
    } else if (blocked->waited_pid != 0) {
        if (blocked->waited_pid > 0)
            snprintf(text, size, "waiting for child %d (%s)", (int)blocked->waited_pid,
                     blocked->syscall_name);
        else
            snprintf(text, size, "waiting for any child (%s)", blocked->syscall_name);
    } else if (blocked->fd >= 0) {
        snprintf(text, size, "%s on fd %d, %s (%s)", blocked->syscall_name, blocked->fd,
                 blocked->target.target, fd_entry_access(&blocked->target));
    } else if (blocked->syscall_name != NULL) {
        snprintf(text, size, "in %s", blocked->syscall_name);
    } else {
        snprintf(text, size, "in system call %ld", blocked->syscall);
    }
}
