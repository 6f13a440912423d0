/* Facts about a process that both the tracer (which records them) and the
 * report (which shows them) need: how it was created, and what it wrote.
 * The facts layer includes this, not the report. */
#ifndef FORKLAB_PROCESS_H
#define FORKLAB_PROCESS_H

#include <stddef.h>

/* How a process was created, which decides what its creation cost the parent. */
enum process_creation {
    PROCESS_CREATED_UNKNOWN, /* its creation was not seen */
    PROCESS_CREATED_FORKLAB, /* the main process: forklab started it */
    /* A copy of its parent's address space (fork, clone without CLONE_VM): the
     * kernel copied the parent's page tables, work that grows with its memory. */
    PROCESS_CREATED_FORK,
    /* It shared its parent's memory until it exec'd or exited (vfork,
     * posix_spawn, the wrapper: clone with CLONE_VM): nothing was copied. */
    PROCESS_CREATED_VFORK,
    PROCESS_CREATED_THREAD, /* a thread of its creator's process */
};

/* "unknown", "forklab", "fork", "vfork", "thread". */
const char *process_creation_name(enum process_creation creation);

/* Bytes a process wrote to a stream, as far as they were kept. */
struct captured_output {
    char *data;    /* what was kept, NUL-terminated */
    size_t length; /* bytes kept */
    size_t total;  /* bytes the target wrote; > length when the cap dropped some */
};

#endif
