/* Reads a process's open descriptors from /proc/PID/fd and /proc/PID/fdinfo:
 * what each one is ("pipe:[123]", "socket:[9]", "/tmp/x") and how it was
 * opened (which end of a pipe). */
#ifndef FORKLAB_FD_TABLE_H
#define FORKLAB_FD_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct fd_entry {
    int fd;
    int flags;        /* the open flags from fdinfo (O_ACCMODE tells the end); -1 unknown */
    char target[256]; /* the link text, truncated when longer */
};

struct fd_table {
    struct fd_entry *entries; /* sorted by fd */
    size_t count, capacity;
};

void fd_table_init(struct fd_table *table);
void fd_table_free(struct fd_table *table);

/* Fills `table` with the descriptors >= lowest_fd that `pid` (a process or a
 * thread id) has open. Returns 0, or a negative errno (-ENOENT: it is gone). */
int fd_table_read(pid_t pid, int lowest_fd, struct fd_table *table);

/* Whether `fd` is open in `pid`: 1 open, 0 not open, or a negative errno. */
int fd_is_open(pid_t pid, int fd);

/* Reads one descriptor into `entry`. Returns 0 or a negative errno. */
int fd_entry_read(pid_t pid, int fd, struct fd_entry *entry);

bool fd_target_is_pipe(const char *target);
bool fd_target_is_socket(const char *target);

/* "read end", "write end" or "read-write" for a pipe; "read", "write" or
 * "read-write" for anything else; "unknown" when the flags were not read. */
const char *fd_entry_access(const struct fd_entry *entry);

#endif
