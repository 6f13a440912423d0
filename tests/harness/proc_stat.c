/* The /proc/PID/stat reader against names made to fool it: a process may
 * call itself ") Z (" or "x) R 1 (" with prctl(PR_SET_NAME); and the
 * /proc/PID/status reader (threads, signal sets), and the resident size from
 * /proc/PID/statm. */
#include "harness_test.h"
#include "trace/proc/proc_stat.h"
#include "trace/proc/proc_status.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* The fields after the name, as the kernel writes them (fields 3-22 and
 * one more). */
#define REST "7 40 40 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 12345 9999"

Test(proc_stat, parse_plain)
{
    struct proc_stat stat;
    cr_assert_eq(proc_stat_parse("40 (cat) S " REST "\n", &stat), 0);
    cr_assert_eq(stat.pid, 40);
    cr_assert_str_eq(stat.comm, "cat");
    cr_assert_eq(stat.state, 'S');
    cr_assert_eq(stat.ppid, 7);
    cr_assert_eq(stat.pgrp, 40);
    cr_assert_eq(stat.session, 40);
    cr_assert_eq(stat.start_time, 12345);
}

Test(proc_stat, parse_names_with_parentheses_and_spaces)
{
    struct {
        const char *line, *comm;
    } cases[] = {
        {"40 () Z () R " REST, ") Z ("},
        {"40 (a b)) R " REST, "a b)"},
        {"40 (x) S 1 () R " REST, "x) S 1 ("},
        {"40 (() R " REST, "("},
        {"40 ()) R " REST, ")"},
        {"40 ( ) R " REST, " "},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct proc_stat stat;
        cr_assert_eq(proc_stat_parse(cases[i].line, &stat), 0, "%s", cases[i].line);
        cr_assert_str_eq(stat.comm, cases[i].comm);
        cr_assert_eq(stat.state, 'R', "%s", cases[i].line);
        cr_assert_eq(stat.ppid, 7, "%s", cases[i].line);
    }
}

Test(proc_stat, parse_rejects_garbage)
{
    struct proc_stat stat;
    cr_assert_eq(proc_stat_parse("", &stat), -EINVAL);
    cr_assert_eq(proc_stat_parse("40 cat S 1", &stat), -EINVAL);
    cr_assert_eq(proc_stat_parse("40 (cat) S", &stat), -EINVAL);
    cr_assert_eq(proc_stat_parse("x (cat) S " REST, &stat), -EINVAL);
}

/* A real process with each name: it sets it, says ready, and blocks until
 * we close its pipe. */
Test(proc_stat, read_real_processes_with_hostile_names)
{
    const char *names[] = {") Z (", "a b)", "x) R 1 (", "((", ")", "x) S 1 (y"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        int ready[2], hold[2];
        cr_assert_eq(pipe2(ready, O_CLOEXEC), 0);
        cr_assert_eq(pipe2(hold, O_CLOEXEC), 0);
        pid_t child = fork();
        cr_assert_geq(child, 0);
        if (child == 0) {
            close(ready[0]);
            close(hold[1]);
            prctl(PR_SET_NAME, names[i], 0, 0, 0);
            write(ready[1], "r", 1);
            char byte;
            read(hold[0], &byte, 1);
            _exit(0);
        }
        close(ready[1]);
        close(hold[0]);
        char byte;
        cr_assert_eq(read(ready[0], &byte, 1), 1);
        struct proc_stat stat;
        int status = proc_stat_read(child, &stat);
        close(hold[1]);
        close(ready[0]);
        int wait_status;
        waitpid(child, &wait_status, 0);
        cr_assert_eq(status, 0);
        cr_assert_str_eq(stat.comm, names[i]);
        cr_assert_eq(stat.ppid, getpid(), "name %s", names[i]);
        /* Asleep in read, or just about to be: either is a live state. */
        cr_assert(stat.state == 'S' || stat.state == 'R', "name %s: state %c", names[i],
                  stat.state);
        cr_assert_eq(stat.pgrp, getpgrp(), "name %s", names[i]);
        cr_assert_eq(stat.session, getsid(0), "name %s", names[i]);
    }
    struct proc_stat gone;
    cr_assert_lt(proc_stat_read(0x3fffffff, &gone), 0);
}

/* End to end: zombies named "x) R 1 (" must still count as zombies (state
 * Z) toward the process limit, or a naive parser would let them pile up. */
Test(proc_stat, zombies_with_hostile_names_count_toward_the_limit)
{
    char *argv[] = {FIXTURE("h-comm"), "x) R 1 (", "zombies", "5", NULL};
    for (int run = 0; run < STABILITY_RUNS; run++) {
        struct check_options options;
        check_options_init(&options);
        options.max_procs = 4;
        struct report report;
        run_check(&options, argv, &report);
        cr_assert_eq(kinds_of(&report), KIND(FINDING_PROCESS_LIMIT) | KIND(FINDING_ZOMBIE));
        assert_nothing_left(&report);
        report_free(&report);
    }
}

Test(proc_stat, timeout_evidence_with_a_hostile_name)
{
    char *argv[] = {FIXTURE("h-comm"), ") Z (", "hang", NULL};
    for (int run = 0; run < STABILITY_RUNS; run++) {
        struct report report;
        run_program(argv, 1000, &report); /* long enough to be blocked by then */
        cr_assert_eq(kinds_of(&report), KIND(FINDING_TIMEOUT));
        const struct finding *timeout = find_kind(&report, FINDING_TIMEOUT);
        json_t *main_state = json_array_get(json_object_get(timeout->evidence, "processes"), 0);
        cr_assert_str_eq(json_string_value(json_object_get(main_state, "state")), "S");
        cr_assert_str_eq(json_string_value(json_object_get(main_state, "syscall")), "read");
        assert_nothing_left(&report);
        report_free(&report);
    }
}

/* /proc/PID/status: the thread count and the signal sets the evidence of a
 * hang reads. */
Test(proc_status, parse_threads_and_signal_sets)
{
    const char *text = "Name:\tsleep\nState:\tS (sleeping)\nThreads:\t3\n"
                       "SigQ:\t1/63471\nSigPnd:\t0000000000000200\nShdPnd:\t0000000000004000\n"
                       "SigBlk:\t0000000000014002\nSigIgn:\t0000000000001000\n"
                       "SigCgt:\t0000000180000000\nCapInh:\t0000000000000000\n";
    struct proc_status status;
    cr_assert_eq(proc_status_parse(text, &status), 0);
    cr_expect_eq(status.threads, 3);
    cr_expect_eq(status.pending, SIGNAL_BIT(SIGUSR1) | SIGNAL_BIT(SIGTERM), "thread and shared");
    cr_expect_eq(status.blocked, SIGNAL_BIT(SIGINT) | SIGNAL_BIT(SIGTERM) | SIGNAL_BIT(SIGCHLD));
    cr_expect_eq(status.ignored, SIGNAL_BIT(SIGPIPE));
    cr_expect_eq(status.caught, 0x180000000ULL);
}

Test(proc_status, a_missing_line_is_an_error)
{
    struct proc_status status;
    cr_expect_eq(proc_status_parse("Name:\tx\nThreads:\t1\nSigPnd:\t0\n", &status), -EINVAL);
    cr_expect_eq(proc_status_parse("", &status), -EINVAL);
    /* "SigBlkX:" is not "SigBlk:" */
    cr_expect_eq(proc_status_parse("Threads:\t1\nSigPnd:\t0\nShdPnd:\t0\nSigBlkX:\t0\nSigIgn:\t0\n"
                                   "SigCgt:\t0\n",
                                   &status),
                 -EINVAL);
}

Test(proc_status, reads_this_process)
{
    sigset_t usr2, old;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    cr_assert_eq(sigprocmask(SIG_BLOCK, &usr2, &old), 0);
    struct proc_status status;
    int error = proc_status_read(gettid(), &status); /* the mask is per thread */
    sigprocmask(SIG_SETMASK, &old, NULL);
    cr_assert_eq(error, 0);
    cr_expect_geq(status.threads, 1);
    cr_expect(status.blocked & SIGNAL_BIT(SIGUSR2));
    cr_expect_eq(proc_status_read(0x7ffffff0, &status), -ENOENT);
}

/* statm's resident pages, in KiB: memory this process touches shows up, and
 * a pid that is gone is an error, not a size. */
Test(proc_stat, resident_memory_grows_with_touched_pages)
{
    long before = proc_resident_kib(getpid());
    cr_assert_gt(before, 0, "%ld", before);
    size_t size = (size_t)16 << 20;
    char *block = malloc(size);
    cr_assert_not_null(block);
    memset(block, 1, size);
    long after = proc_resident_kib(getpid());
    cr_expect_geq(after - before, 15L * 1024, "before %ld KiB, after %ld KiB", before, after);
    free(block);

    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0)
        _exit(0);
    int status;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_expect_lt(proc_resident_kib(child), 0, "a reaped pid has no memory to read");
}
