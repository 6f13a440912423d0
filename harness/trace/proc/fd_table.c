/* Reads descriptor tables from /proc. The tracer calls this at stops, when
 * the process cannot change its own table under us (its other threads can:
 * a multithreaded target may race, which is a documented limit). */
#include "trace/proc/fd_table.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fd_table_init(struct fd_table *table)
{
    memset(table, 0, sizeof(*table));
}

void fd_table_free(struct fd_table *table)
{
    free(table->entries);
    fd_table_init(table);
}

int fd_is_open(pid_t pid, int fd)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
    struct stat link;
    /* One lookup, no open: the link exists exactly while the fd is open. */
    if (fstatat(AT_FDCWD, path, &link, AT_SYMLINK_NOFOLLOW) == 0)
        return 1;
    if (errno != ENOENT)
        return -errno;
    /* ENOENT also means "the whole process is gone"; tell the two apart. */
    snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
    if (access(path, F_OK) != 0)
        return -ESRCH;
    return 0;
}

static int read_flags(pid_t pid, int fd, int *flags)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
    int info;
    do
        info = open(path, O_RDONLY | O_CLOEXEC);
    while (info < 0 && errno == EINTR);
    if (info < 0)
        return -errno;
    char text[512];
    ssize_t length;
    do
        length = read(info, text, sizeof(text) - 1);
    while (length < 0 && errno == EINTR);
    int error = length < 0 ? -errno : 0;
    close(info);
    if (error < 0)
        return error;
    text[length] = '\0';
    /* "pos:\t0\nflags:\t0100001\n...": the flags are octal. */
    const char *line = strstr(text, "flags:");
    if (line == NULL)
        return -EINVAL;
    *flags = (int)strtol(line + strlen("flags:"), NULL, 8);
    return 0;
}

int fd_entry_read(pid_t pid, int fd, struct fd_entry *entry)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
    ssize_t length = readlink(path, entry->target, sizeof(entry->target) - 1);
    if (length < 0)
        return -errno;
    entry->target[length] = '\0';
    entry->fd = fd;
    if (read_flags(pid, fd, &entry->flags) < 0)
        entry->flags = -1;
    return 0;
}

static int append_entry(struct fd_table *table, const struct fd_entry *entry)
{
    if (table->count == table->capacity) {
        size_t wanted = table->capacity ? table->capacity * 2 : 8;
        struct fd_entry *grown = realloc(table->entries, wanted * sizeof(*grown));
        if (grown == NULL)
            return -ENOMEM;
        table->entries = grown;
        table->capacity = wanted;
    }
    table->entries[table->count++] = *entry;
    return 0;
}

static int compare_fd(const void *a, const void *b)
{
    const struct fd_entry *left = a, *right = b;
    return (left->fd > right->fd) - (left->fd < right->fd);
}

int fd_table_read(pid_t pid, int lowest_fd, struct fd_table *table)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
    int directory_fd;
    do
        directory_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    while (directory_fd < 0 && errno == EINTR);
    if (directory_fd < 0)
        return -errno;
    DIR *directory = fdopendir(directory_fd);
    if (directory == NULL) {
        int error = -errno;
        close(directory_fd);
        return error;
    }

    table->count = 0;
    int error = 0;
    struct dirent *item;
    while ((item = readdir(directory)) != NULL) {
        char *end;
        long fd = strtol(item->d_name, &end, 10);
        if (*end != '\0' || end == item->d_name || fd < lowest_fd)
            continue;
        struct fd_entry entry;
        /* A descriptor closed between readdir and readlink was not open. */
        if (fd_entry_read(pid, (int)fd, &entry) < 0)
            continue;
        error = append_entry(table, &entry);
        if (error < 0)
            break;
    }
    closedir(directory);
    /* qsort wants a valid pointer even for zero elements. */
    if (error == 0 && table->count > 0)
        qsort(table->entries, table->count, sizeof(*table->entries), compare_fd);
    return error;
}

bool fd_target_is_pipe(const char *target)
{
    return strncmp(target, "pipe:[", 6) == 0;
}

bool fd_target_is_socket(const char *target)
{
    return strncmp(target, "socket:[", 8) == 0;
}

const char *fd_entry_access(const struct fd_entry *entry)
{
    if (entry->flags < 0)
        return "unknown";
    bool pipe = fd_target_is_pipe(entry->target);
    switch (entry->flags & O_ACCMODE) {
    case O_RDONLY:
        return pipe ? "read end" : "read";
    case O_WRONLY:
        return pipe ? "write end" : "write";
    default:
        return "read-write";
    }
}
