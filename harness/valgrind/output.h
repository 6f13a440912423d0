/* What valgrind said about each process of one run, whichever output it came
 * from (its text log or its XML): the one shape both parsers fill in and the
 * merge into the report reads. */
#ifndef FORKLAB_VALGRIND_OUTPUT_H
#define FORKLAB_VALGRIND_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct valgrind_frame {
    char *function; /* "main", "???" when valgrind had no symbol */
    char *file;     /* source path as valgrind printed it, or NULL */
    int line;       /* 0 when unknown */
    char *object;   /* the binary or library, or NULL when valgrind did not say */
};

struct valgrind_stack {
    struct valgrind_frame *frames; /* innermost first */
    size_t count, capacity;
};

enum valgrind_loss { VALGRIND_DEFINITELY_LOST, VALGRIND_INDIRECTLY_LOST };

struct valgrind_leak {
    enum valgrind_loss loss;
    unsigned long long bytes, blocks;
    struct valgrind_stack stack; /* where the blocks were allocated */
};

/* A descriptor still open when the process exited. */
struct valgrind_open_fd {
    int fd;
    char *target;   /* a path, "pipe" or "socket"; NULL when valgrind did not name it */
    bool inherited; /* open before valgrind started this program: came through exec */
    struct valgrind_stack stack; /* where it was opened, when valgrind saw it */
};

/* A close() of something that was not an open descriptor. */
struct valgrind_bad_close {
    int fd;
    bool already_closed; /* valgrind 3.24+: it was open once; else (3.19) an impossible number */
    char *target;        /* what it used to be, when valgrind knew; else NULL */
    struct valgrind_stack stack; /* the bad call, when valgrind printed it */
};

struct valgrind_process {
    pid_t pid;
    pid_t ppid;           /* 0 when the output did not say */
    char *program;        /* NULL for a forked child in a text log: it prints no preamble */
    bool started_program; /* valgrind printed a preamble: main program or an exec'd one */
    bool finished;        /* valgrind printed its exit summary (so the leak check ran) */
    int fatal_signal;     /* the signal that ended it under valgrind, or 0 */
    bool fds_checked;     /* valgrind listed its open descriptors at exit */
    struct valgrind_leak *leaks;
    size_t leak_count, leak_capacity;
    struct valgrind_open_fd *open_fds;
    size_t open_fd_count, open_fd_capacity;
    struct valgrind_bad_close *bad_closes;
    size_t bad_close_count, bad_close_capacity;
};

struct valgrind_output {
    struct valgrind_process *processes; /* in the order they first appeared */
    size_t count, capacity;
    size_t skipped_lines; /* log lines that belonged to no process (torn or foreign) */
};

void valgrind_output_init(struct valgrind_output *output);
void valgrind_output_free(struct valgrind_output *output);

/* The record of pid, added (zeroed, with that pid) when it is new; NULL when
 * out of memory. Pointers stay valid only until the next process is added. */
struct valgrind_process *valgrind_output_process(struct valgrind_output *output, pid_t pid);
/* The record of pid, or NULL. */
const struct valgrind_process *valgrind_output_find(const struct valgrind_output *output,
                                                    pid_t pid);

/* Each appends one zeroed item and returns it, or NULL when out of memory. */
struct valgrind_leak *valgrind_process_add_leak(struct valgrind_process *process);
struct valgrind_open_fd *valgrind_process_add_open_fd(struct valgrind_process *process);
struct valgrind_bad_close *valgrind_process_add_bad_close(struct valgrind_process *process);
/* Appends a frame; copies the strings (any may be NULL). Returns 0 or -ENOMEM. */
int valgrind_stack_add(struct valgrind_stack *stack, const char *function, const char *file,
                       int line, const char *object);

/* valgrind names no target for a pipe or a socketpair end, but the call that
 * created it does: gives such descriptors the target "pipe" or "socket". */
void valgrind_output_name_targets(struct valgrind_output *output);

/* Replaces *field with a copy of value (NULL allowed). Returns 0 or -ENOMEM. */
int valgrind_set_string(char **field, const char *value);

/* True when a frame is in the program's own code rather than in libc, the
 * dynamic loader or valgrind's preloaded allocator: it has a file and line,
 * and neither its object nor (without object) its absolute source path is a
 * system one. */
bool valgrind_frame_in_program(const struct valgrind_frame *frame);

#endif
