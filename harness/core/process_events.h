/* The life of one process as the report keeps it: when it was forked,
 * exec'd, exited and reaped, its descriptor table at each exec, at its exit
 * and at the timeout, and what it waited on when the run timed out. The
 * tracer records these at its stops; renderers draw them as timelines and
 * descriptor views, and never add to them. */
#ifndef FORKLAB_PROCESS_EVENTS_H
#define FORKLAB_PROCESS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum process_event_kind {
    PROCESS_EVENT_FORK,    /* created (main: started by forklab) */
    PROCESS_EVENT_EXEC,    /* a successful exec; its table is what crossed it */
    PROCESS_EVENT_EXIT,    /* it began to exit; a table when it exited on its own */
    PROCESS_EVENT_TIMEOUT, /* still alive when the run timed out; its table then */
    PROCESS_EVENT_REAP,    /* its exit status was collected: it is gone, not a zombie */
    PROCESS_EVENT_KIND_COUNT
};

/* "fork", "exec", "exit", "timeout", "reap"; NULL out of range. */
const char *process_event_kind_name(enum process_event_kind kind);

/* What a descriptor points to, from the text of its /proc/PID/fd link. */
enum fd_kind {
    FD_KIND_FILE,   /* a path */
    FD_KIND_PIPE,   /* pipe:[inode] */
    FD_KIND_SOCKET, /* socket:[inode] */
    FD_KIND_TTY,    /* /dev/pts/N, /dev/ttyN, /dev/tty, /dev/console */
    FD_KIND_OTHER,  /* anon_inode:[eventfd], ... */
};

/* "file", "pipe", "socket", "tty", "other". */
const char *fd_kind_name(enum fd_kind kind);
enum fd_kind fd_kind_of(const char *target);

/* How it was opened (O_ACCMODE), which for a pipe tells the end. */
enum fd_access { FD_ACCESS_UNKNOWN, FD_ACCESS_READ, FD_ACCESS_WRITE, FD_ACCESS_READ_WRITE };

/* "read", "write", "read-write", "unknown". */
const char *fd_access_name(enum fd_access access);
/* For a pipe "read end", "write end"; else the access name. */
const char *fd_end_name(const char *target, enum fd_access access);

struct fd_record {
    int fd;
    enum fd_access access;
    char *target; /* the link text: "pipe:[123]", "/dev/pts/0", "/tmp/x" */
};

struct process_event {
    enum process_event_kind kind;
    unsigned long seq;     /* the run's order of events: a smaller seq happened first */
    long at_us;            /* when the tracer saw it, in µs since the run started */
    char *program;         /* the program running then (exec: the new one); NULL none */
    pid_t by;              /* reap: the process that reaped it, 0 forklab */
    bool has_fds;          /* the table was read (fds may still be empty) */
    struct fd_record *fds; /* sorted by fd, 0 to 2 included */
    size_t fd_count;
};

/* One holder of the other end of the pipe a process waited on. */
struct wait_holder {
    pid_t pid;
    int fd;
};

#define PROCESS_WAIT_MAX_HOLDERS 16

/* What a process was blocked on when the run timed out. */
struct process_wait {
    bool valid;
    char description[200]; /* "read on fd 3, pipe:[12] (read end)" */
    int fd;                /* the descriptor its call used; -1 none */
    char target[256];      /* what that descriptor is, when fd >= 0 */
    enum fd_access access;
    /* For a pipe: who held its other end then (the writers a reader waits
     * to see close, the readers a writer waits for). */
    struct wait_holder holders[PROCESS_WAIT_MAX_HOLDERS];
    size_t holder_count;
};

/* Appends an event (copying `program`) with an empty table. Returns it, or
 * NULL when out of memory. */
struct process_event *process_events_add(struct process_event **events, size_t *count,
                                         enum process_event_kind kind, unsigned long seq,
                                         long at_us, const char *program);
/* Appends one descriptor (copying `target`) to an event's table and marks
 * the table read. Returns 0 or -ENOMEM. */
int process_event_add_fd(struct process_event *event, int fd, enum fd_access access,
                         const char *target);
void process_events_free(struct process_event *events, size_t count);

/* The first event of a kind, or NULL. */
const struct process_event *process_events_find(const struct process_event *events, size_t count,
                                                enum process_event_kind kind);

#endif
