/* Reads /proc/PID/stat and /proc/PID/statm. The second field of stat is
 * "(comm)", and comm is whatever the program set with prctl(PR_SET_NAME):
 * "a b)", ") Z (" or worse. The kernel writes no ')' after it, so the last
 * ')' ends the name. */
#include "trace/proc/proc_stat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int proc_stat_parse(const char *text, struct proc_stat *stat)
{
    const char *open = strchr(text, '(');
    const char *close = strrchr(text, ')');
    if (open == NULL || close == NULL || close < open)
        return -EINVAL;

    memset(stat, 0, sizeof(*stat));
    char *end;
    long pid = strtol(text, &end, 10);
    if (end == text || pid <= 0)
        return -EINVAL;
    stat->pid = (pid_t)pid;

    size_t length = (size_t)(close - open - 1);
    if (length >= sizeof(stat->comm))
        length = sizeof(stat->comm) - 1;
    memcpy(stat->comm, open + 1, length);
    stat->comm[length] = '\0';

    /* After the name: state ppid pgrp session tty_nr tpgid flags minflt
     * cminflt majflt cmajflt utime stime cutime cstime priority nice
     * num_threads itrealvalue starttime (fields 3 to 22 of proc(5)). */
    int ppid, pgrp, session;
    unsigned long long start_time;
    int fields = sscanf(close + 1,
                        " %c %d %d %d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d "
                        "%*d %llu",
                        &stat->state, &ppid, &pgrp, &session, &start_time);
    if (fields != 5)
        return -EINVAL;
    stat->ppid = ppid;
    stat->pgrp = pgrp;
    stat->session = session;
    stat->start_time = start_time;
    return 0;
}

ssize_t proc_read_file(pid_t pid, const char *name, char *text, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
    int fd;
    do
        fd = open(path, O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return -errno;

    /* One read returns the whole file: the kernel builds it in one go. */
    ssize_t length;
    do
        length = read(fd, text, size - 1);
    while (length < 0 && errno == EINTR);
    int error = length < 0 ? -errno : 0;
    close(fd);
    if (error < 0)
        return error;
    if (length == 0)
        return -ESRCH; /* the process died between open and read */
    text[length] = '\0';
    return length;
}

int proc_stat_read(pid_t pid, struct proc_stat *stat)
{
    char text[1024];
    ssize_t length = proc_read_file(pid, "stat", text, sizeof(text));
    if (length < 0)
        return (int)length;
    return proc_stat_parse(text, stat);
}

long proc_resident_kib(pid_t pid)
{
    /* "size resident shared text lib data dt", in pages. */
    char text[256];
    ssize_t length = proc_read_file(pid, "statm", text, sizeof(text));
    if (length < 0)
        return (long)length;
    unsigned long size, resident;
    if (sscanf(text, "%lu %lu", &size, &resident) != 2)
        return -EINVAL;
    long page_kib = sysconf(_SC_PAGESIZE) / 1024;
    return (long)resident * (page_kib > 0 ? page_kib : 4);
}

int proc_written_bytes(pid_t pid, uint64_t *written)
{
    char text[512];
    ssize_t length = proc_read_file(pid, "io", text, sizeof(text));
    if (length < 0)
        return (int)length;
    const char *line = strstr(text, "wchar:");
    unsigned long long bytes;
    if (line == NULL || sscanf(line, "wchar: %llu", &bytes) != 1)
        return -EINVAL;
    *written = bytes;
    return 0;
}

int proc_times_scheduled(pid_t pid, uint64_t *count)
{
    char text[128];
    ssize_t length = proc_read_file(pid, "schedstat", text, sizeof(text));
    if (length < 0)
        return (int)length;
    unsigned long long on_cpu_ns, waited_ns, slices;
    if (sscanf(text, "%llu %llu %llu", &on_cpu_ns, &waited_ns, &slices) != 3)
        return -EINVAL;
    *count = slices;
    return 0;
}
