/* Attacks on the checker, made as a hostile submission would make them
 * (issue 12): SIGKILL to each of its threads, SIGIO turned into SIGKILL, a
 * pidfd from /proc/PPID, a ptrace attach, untraced children past the
 * process limit, an untraced daemon. In forklab's box the checker is not
 * there to hit: each run reports, the same way every time, and nothing the
 * program started is left. Where the kernel refuses the box these tests
 * are skipped: the attacks would end this test process, the checker. */
#include "harness_test.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Skips the test when a trivial run does not get the box. */
static void require_box(void)
{
    char *argv[] = {"/bin/true", NULL};
    struct report report;
    run_program(argv, 5000, &report);
    bool boxed = report.isolation.namespaces;
    char missing[256];
    snprintf(missing, sizeof(missing), "%s",
             report.isolation.missing ? report.isolation.missing : "");
    report_free(&report);
    if (!boxed)
        cr_skip_test("no box here: %s", missing);
}

/* Runs the fixture STABILITY_RUNS times: each run must report exactly
 * `expected` kinds and output, in the box, and leave nothing behind. */
static void attack(const char *fixture, const char *mode, long max_procs, kind_set expected,
                   const char *expected_output, const char *expected_probe)
{
    /* A watchdog of our own (criterion's .timeout leaks under ASan when
     * long tests overlap): an attack that worked could hang the checker. */
    alarm(120);
    require_box();
    for (int run = 1; run <= STABILITY_RUNS; run++) {
        struct holder_probe probe;
        holder_probe_open(&probe);
        char *argv[] = {(char *)fixture, (char *)(mode ? mode : probe.path),
                        mode ? probe.path : NULL, NULL};
        struct check_options options;
        check_options_init(&options);
        options.max_procs = max_procs;
        struct report report;
        run_check(&options, argv, &report);
        char want[256], got[256], written[64];
        cr_assert(report.isolation.namespaces, "run %d was not in the box", run);
        cr_assert_eq(kinds_of(&report), expected, "%s %s, run %d: found %s, expected %s", fixture,
                     mode ? mode : "", run, kinds_text(kinds_of(&report), got, sizeof(got)),
                     kinds_text(expected, want, sizeof(want)));
        cr_assert_str_eq(report.out.data, expected_output, "run %d", run);
        assert_nothing_left(&report);
        cr_assert(holder_probe_all_gone(&probe, written, sizeof(written)),
                  "run %d: a process of the program still holds the probe", run);
        cr_assert_str_eq(written, expected_probe, "run %d", run);
        holder_probe_close(&probe);
        report_free(&report);
    }
}

#define ATTACKER FIXTURE("h-attack-checker")

/* The parent the program sees is forklab's init, pid 1, one thread: the
 * kernel drops every signal sent to it from inside the box, SIGKILL too. */
Test(attacks, sigkill_to_each_thread_of_the_parent)
{
    attack(ATTACKER, "signal", CHECK_DEFAULT_MAX_PROCS, NO_KINDS,
           "parent threads: 1\n"
           "kill: returned 0\n"
           "tkill: returned 0\n"
           "tgkill: returned 0\n"
           "still running\n",
           "");
}

Test(attacks, sigio_made_sigkill_with_the_parent_as_owner)
{
    attack(ATTACKER, "sigio", CHECK_DEFAULT_MAX_PROCS, NO_KINDS,
           "parent threads: 1\n"
           "F_SETOWN_EX: returned 0\n"
           "F_SETSIG: returned 0\n"
           "O_ASYNC: returned 0\n"
           "write: returned 0\n"
           "still running\n",
           "");
}

/* A /proc/PID descriptor is a pidfd to pidfd_send_signal; pidfd_open on
 * the init is refused by the filter. */
Test(attacks, pidfd_from_proc_of_the_parent)
{
    attack(ATTACKER, "pidfd", CHECK_DEFAULT_MAX_PROCS, NO_KINDS,
           "open /proc/PPID: returned 0\n"
           "pidfd_send_signal(/proc/PPID): returned 0\n"
           "pidfd_open(parent): EPERM\n"
           "still running\n",
           "");
}

/* The filter refuses ptrace and process_vm_readv on the init; the kernel
 * refuses an attach to the program's own child, which forklab traces. */
Test(attacks, ptrace_attach_to_each_thread_of_the_parent)
{
    attack(ATTACKER, "ptrace", CHECK_DEFAULT_MAX_PROCS, NO_KINDS,
           "parent threads: 1\n"
           "PTRACE_ATTACH: EPERM\n"
           "PTRACE_SEIZE: EPERM\n"
           "process_vm_readv: EPERM\n"
           "PTRACE_ATTACH own child: EPERM\n"
           "still running\n",
           "");
}

/* CLONE_UNTRACED refused, the daemon is forked, traced, a runaway child,
 * and killed with the box. */
Test(attacks, untraced_setsid_daemon_and_signals_to_the_parent)
{
    attack(ATTACKER, "daemon", CHECK_DEFAULT_MAX_PROCS, KIND(FINDING_RUNAWAY_CHILD),
           "clone(CLONE_UNTRACED): EPERM\n"
           "parent threads: 1\n"
           "kill: returned 0\n"
           "tkill: returned 0\n"
           "tgkill: returned 0\n"
           "still running\n",
           "d");
}

/* 200 children asked for without tracing, 20 allowed: every one is seen. */
Test(attacks, untraced_children_past_the_process_limit)
{
    attack(FIXTURE("h-untraced-bomb"), NULL, 20, KIND(FINDING_PROCESS_LIMIT),
           "clone3: ENOSYS\n"
           "clone(CLONE_UNTRACED): EPERM\n",
           "");
}
