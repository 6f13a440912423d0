/* The valgrind command line of the pass: which checks run, where the output
 * goes, which exec'd programs stay uninstrumented, and how the run is fenced. */
#ifndef FORKLAB_VALGRIND_COMMAND_H
#define FORKLAB_VALGRIND_COMMAND_H

#include "forklab.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What the pass runs, with the same limits as the traced run (check_run
 * fills it from its options). */
struct valgrind_target {
    char *const *argv;      /* PROGRAM ARG...; argv[0] is looked up in PATH */
    long timeout_ms;        /* > 0 */
    const char *stdin_path; /* NULL: /dev/null */
    const int *allowed_fds; /* descriptors passed on purpose: never an fd_leak */
    size_t allowed_fd_count;
    /* Run valgrind and the program as this user and group (no supplementary
     * groups), as the traced run does; the caller is root. Only with
     * VALGRIND_READ_LOG: the XML files go to a folder that user would have
     * to write. */
    bool run_as;
    uid_t run_uid;
    gid_t run_gid;
};

/* Where the pass reads what valgrind found. */
enum valgrind_source {
    VALGRIND_READ_LOG, /* everything from the text log (valgrind before 3.24) */
    VALGRIND_READ_XML, /* leaks and descriptor errors from per-process XML files */
};

struct valgrind_plan {
    enum valgrind_source source;
    int log_fd;             /* the caller's descriptor valgrind writes its text log to */
    const char *output_dir; /* private directory for the XML files */
};

/* Exec'd programs valgrind does not instrument: system programs and scripts
 * (their interpreter is a system program). Instrumenting them costs about
 * 0.4 s per exec and finds only the system's leaks, not the student's. */
#define VALGRIND_SKIP_PATTERNS "/bin/*,/sbin/*,/usr/*,/lib/*,/lib64/*,*.sh,*.py,*.pl,*.rb"

/* A command running the target under memcheck, in its own session, stdin
 * from options->stdin_path or /dev/null, stdout and stderr discarded, and
 * nothing inherited but 0-2 and the log descriptor. NULL when out of memory. */
struct fl_command *valgrind_command_new(const struct valgrind_target *options,
                                        const struct valgrind_plan *plan);

#endif
