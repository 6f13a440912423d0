/* Each finding kind on a small broken program, and its correct twin clean:
 * every fixture runs STABILITY_RUNS times and must give the same verdict
 * every time, with nothing left running afterwards. */
#include "harness_test.h"

#include <criterion/criterion.h>

/* The correct twins get the default timeout: slowness must not flip them. */
#define RELAXED CHECK_DEFAULT_TIMEOUT_MS
/* The hanging fixtures hang for real; any timeout shows it. */
#define SHORT 400

#define STABLE(name, expected, limit_ms, ...)                                                      \
    Test(kinds, name)                                                                              \
    {                                                                                              \
        char *argv[] = {__VA_ARGS__, NULL};                                                        \
        assert_verdict_stable(argv, limit_ms, expected, STABILITY_RUNS);                           \
    }

STABLE(zombie, KIND(FINDING_ZOMBIE), RELAXED, FIXTURE("h-zombie"))
STABLE(zombie_reaped_late_ok, NO_KINDS, RELAXED, FIXTURE("h-zombie-ok"))
STABLE(fd_leak_across_exec, KIND(FINDING_FD_LEAK), RELAXED, FIXTURE("h-fd-leak"))
STABLE(fd_leak_across_exec_ok, NO_KINDS, RELAXED, FIXTURE("h-fd-leak-ok"))
STABLE(fd_leak_at_exit, KIND(FINDING_FD_LEAK), RELAXED, FIXTURE("h-fd-leak-exit"))
STABLE(fd_leak_at_exit_ok, NO_KINDS, RELAXED, FIXTURE("h-fd-leak-exit-ok"))
STABLE(bad_close_double, KIND(FINDING_BAD_CLOSE), RELAXED, FIXTURE("h-bad-close"), "double")
STABLE(bad_close_minus_one, KIND(FINDING_BAD_CLOSE), RELAXED, FIXTURE("h-bad-close"), "minus-one")
STABLE(bad_close_inherited, KIND(FINDING_BAD_CLOSE), RELAXED, FIXTURE("h-bad-close"), "inherited")
STABLE(bad_close_ok, NO_KINDS, RELAXED, FIXTURE("h-bad-close-ok"))
STABLE(nested_fork, KIND(FINDING_NESTED_FORK), RELAXED, FIXTURE("h-nested-fork"))
STABLE(nested_fork_ok, NO_KINDS, RELAXED, FIXTURE("h-nested-fork-ok"))
STABLE(fork_tree_by_design_ok, NO_KINDS, RELAXED, FIXTURE("h-fork-tree-ok"))
STABLE(runaway_after_failed_exec_forks, KIND(FINDING_RUNAWAY_CHILD), RELAXED,
       FIXTURE("h-runaway-exec"), "fork")
STABLE(runaway_after_failed_exec_execs, KIND(FINDING_RUNAWAY_CHILD), RELAXED,
       FIXTURE("h-runaway-exec"), "exec")
STABLE(runaway_after_exec_refused, KIND(FINDING_RUNAWAY_CHILD), RELAXED, FIXTURE("h-runaway-exec"),
       "eacces")
STABLE(runaway_exec_ok, NO_KINDS, RELAXED, FIXTURE("h-runaway-exec-ok"))
STABLE(runaway_orphan, KIND(FINDING_RUNAWAY_CHILD), RELAXED, FIXTURE("h-orphan"))
STABLE(runaway_orphan_ok, NO_KINDS, RELAXED, FIXTURE("h-orphan-ok"))
STABLE(crash_child, KIND(FINDING_CRASH), RELAXED, FIXTURE("h-crash"), "child")
STABLE(crash_main, KIND(FINDING_CRASH), RELAXED, FIXTURE("h-crash"), "main")
STABLE(crash_ok, NO_KINDS, RELAXED, FIXTURE("h-crash-ok"))
STABLE(timeout_pipe_hang, KIND(FINDING_TIMEOUT), SHORT, FIXTURE("h-hang-pipe"))
STABLE(timeout_pipe_ok, NO_KINDS, RELAXED, FIXTURE("h-hang-pipe-ok"))
STABLE(process_limit_ok, NO_KINDS, RELAXED, FIXTURE("h-many-children-ok"))
STABLE(stop_and_continue_ok, NO_KINDS, RELAXED, FIXTURE("h-stop-cont-ok"))
STABLE(threads_ok, NO_KINDS, RELAXED, FIXTURE("h-threads-ok"))
STABLE(vfork_and_posix_spawn_ok, NO_KINDS, RELAXED, FIXTURE("h-spawn-ok"))
