/* The options of one `forklab check` run and the entry point that runs it:
 * the CLI parses into struct check_options, check_run fills a struct report. */
#ifndef FORKLAB_CHECK_H
#define FORKLAB_CHECK_H

#include "core/report.h"
#include "trace/steer/schedule.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CHECK_DEFAULT_TIMEOUT_MS 10000
#define CHECK_DEFAULT_MAX_PROCS  100
#define CHECK_DEFAULT_OUTPUT_CAP (1024 * 1024)
/* Kept output lives in memory: more than this is a mistake, not a need. */
#define CHECK_OUTPUT_CAP_MAX (1L << 30)
/* Far above what an exercise needs, far below what would hurt the machine. */
#define CHECK_DEFAULT_MAX_MEMORY_MIB 1024

/* Which schedules a check runs the target under (trace/steer/schedule.h). */
enum check_schedules {
    /* The natural run only: one run, as fast as it gets; a race shows only
     * when the scheduler happens to make it. */
    CHECK_SCHEDULES_NATURAL,
    /* The natural run, then one run per steered schedule; a finding any of
     * them shows is reported, naming its schedule. Skipped when the natural
     * run made no second process (nothing to interleave), timed out or hit
     * the process limit (each run would take as long again). */
    CHECK_SCHEDULES_ALL,
    /* One steered schedule alone (check_options.schedule), to reproduce
     * what a finding of `all` names. */
    CHECK_SCHEDULES_ONE,
};

/* Parses "natural", "all" or one schedule's name into `options`; returns
 * 0, or -EINVAL for another name. */
struct check_options;
int check_schedules_parse(const char *name, struct check_options *options);

struct check_options {
    char *const *argv;      /* PROGRAM ARG...; argv[0] is looked up in PATH */
    long timeout_ms;        /* > 0 */
    long max_procs;         /* > 0: more processes than this at once (alive or not yet
                             * reaped, as a pids cgroup counts) is process_limit */
    bool valgrind;          /* also run the valgrind pass */
    const int *allowed_fds; /* descriptors passed on purpose: never an fd_leak */
    size_t allowed_fd_count;
    const char *stdin_path; /* NULL: /dev/null */
    size_t output_cap;      /* bytes kept of stdout and of stderr each */
    long max_memory_mib;    /* the kernel's limit on the program's memory (a memory
                             * cgroup); 0 none */
    /* Run the program outside forklab's box (trace/sandbox/box.h): no
     * namespaces, no cgroups, no CPU limit, as before the box. For a
     * comparison, or a kernel that refuses the box. */
    bool no_isolation;
    enum check_schedules schedules; /* CHECK_SCHEDULES_NATURAL unless set */
    enum schedule schedule;         /* for CHECK_SCHEDULES_ONE */
    /* fd_leak also reports every descriptor a process opened itself and
     * still held at its exit, files included (for courses that grade
     * "close what you open"); by default only what kept someone waiting. */
    bool strict_fds;
    /* Run the target as this user and group (no supplementary groups)
     * instead of the caller's: for a grader running as root, so that a
     * submission cannot touch what root owns. Needs root; the valgrind
     * pass runs as that user too (with valgrind before 3.24, which writes
     * its findings to a descriptor of ours). */
    bool run_as;
    uid_t run_uid;
    gid_t run_gid;
};

void check_options_init(struct check_options *options);

/* Runs the target under the tracer (and valgrind when asked), and fills
 * `report`. Returns 0 when the run happened (findings or not), or a negative
 * errno when the program could not be started; then `why` (if not NULL) gets
 * a one-line reason. When it returns, no process the target started exists.
 * When the valgrind pass was asked for and could not run, its negative errno
 * and reason come back, with the traced part of the report filled in.
 *
 * The program runs in forklab's box unless options->no_isolation: its own
 * PID, mount (and, when not root, user) namespaces, cgroup limits and a CPU
 * limit; report->isolation says what it got, and why not more.
 *
 * What it needs from its caller: while it runs, the calling process must
 * have no other children (it waits for any child, and its final sweep
 * kills every descendant), and it must not use the first real-time signal,
 * SIGRTMIN (the tracer's deadline timer interrupts the calling thread with
 * it). It makes the process a child subreaper for the run, and restores that
 * before returning. */
int check_run(const struct check_options *options, struct report *report, char *why,
              size_t why_size);

#endif
