/* Steered schedules: a racy reaper is caught on every check under all the
 * schedules, with the schedule that showed it named in its evidence, and
 * the same evidence each time; every correct way to reap is clean on every
 * check; no hold hangs a program whose children wait on their parent; and
 * the kernel, not the tracer's timing, says who is a zombie. */
#include "harness_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

/* Slowness must not flip a verdict: the default timeout. */
#define RELAXED CHECK_DEFAULT_TIMEOUT_MS

#define ALL_STABLE(name, expected, ...)                                                            \
    Test(schedules, name)                                                                          \
    {                                                                                              \
        char *argv[] = {__VA_ARGS__, NULL};                                                        \
        assert_schedules_stable(CHECK_SCHEDULES_ALL, argv, RELAXED, expected, STABILITY_RUNS);     \
    }

/* The races: caught on every check, whatever the natural run did. */
ALL_STABLE(wait_once_handler_caught, KIND(FINDING_ZOMBIE), FIXTURE("h-reap-wait-once"))
ALL_STABLE(siginfo_pid_handler_caught, KIND(FINDING_ZOMBIE), FIXTURE("h-reap-siginfo-pid"))
ALL_STABLE(poll_once_caught, KIND(FINDING_ZOMBIE) | KIND(FINDING_RUNAWAY_CHILD),
           FIXTURE("h-reap-poll-once"))

/* The correct ways to reap: clean on every check, under every schedule. */
ALL_STABLE(reap_each_pid_ok, NO_KINDS, FIXTURE("h-reap-pids-ok"))
ALL_STABLE(reap_any_until_echild_ok, NO_KINDS, FIXTURE("h-reap-any-ok"))
ALL_STABLE(sigchld_ignored_ok, NO_KINDS, FIXTURE("h-reap-sig-ign-ok"))
ALL_STABLE(sa_nocldwait_ok, NO_KINDS, FIXTURE("h-reap-nocldwait-ok"))
ALL_STABLE(handler_with_wnohang_loop_ok, NO_KINDS, FIXTURE("h-reap-handler-ok"))
ALL_STABLE(posix_spawn_ok, NO_KINDS, FIXTURE("h-reap-spawn-ok"))
ALL_STABLE(worker_waiting_on_its_parent_ok, NO_KINDS, FIXTURE("h-reap-gate-ok"))
ALL_STABLE(result_by_dprintf_ok, NO_KINDS, FIXTURE("h-fd-result-ok"))

/* The bugs that do not depend on the schedule read the same under all. */
ALL_STABLE(zombie_under_all, KIND(FINDING_ZOMBIE), FIXTURE("h-zombie"))
ALL_STABLE(orphan_under_all, KIND(FINDING_RUNAWAY_CHILD), FIXTURE("h-orphan"))
ALL_STABLE(fd_held_after_writing_under_all, KIND(FINDING_FD_LEAK), FIXTURE("h-fd-leak-exit"))

static void check_with(enum check_schedules schedules, char *const *argv, struct report *report)
{
    struct check_options options;
    check_options_init(&options);
    options.schedules = schedules;
    run_check(&options, argv, report);
}

static const char *schedule_field(const struct finding *finding, const char *field)
{
    return json_string_value(
        json_object_get(json_object_get(finding->evidence, "schedule"), field));
}

Test(schedules, wait_once_evidence_names_the_coalescing)
{
    char *argv[] = {FIXTURE("h-reap-wait-once"), NULL};
    struct report report;
    check_with(CHECK_SCHEDULES_ALL, argv, &report);
    const struct finding *zombie = find_kind(&report, FINDING_ZOMBIE);
    cr_assert_not_null(zombie);
    cr_assert_str_eq(schedule_field(zombie, "name"), "sigchld_held");
    const char *held = schedule_field(zombie, "held");
    cr_assert_not_null(strstr(held, "until all 3 of its children had exited, then delivered once"),
                       "held: %s", held);
    /* One delivery for three exits: the handler reaped one, two stayed. */
    cr_assert_eq(json_integer_value(json_object_get(zombie->evidence, "count")), 2);
    cr_assert(strncmp(zombie->message, "With SIGCHLD held in pid ", 25) == 0, "message: %s",
              zombie->message);
    cr_assert_not_null(strstr(zombie->message, "(schedule sigchld_held)"));
    report_free(&report);
}

Test(schedules, one_schedule_alone_reproduces_it)
{
    char *argv[] = {FIXTURE("h-reap-wait-once"), NULL};
    for (int run = 0; run < STABILITY_RUNS; run++) {
        struct check_options options;
        check_options_init(&options);
        cr_assert_eq(check_schedules_parse("sigchld_held", &options), 0);
        struct report report;
        run_check(&options, argv, &report);
        cr_assert_eq(kinds_of(&report), KIND(FINDING_ZOMBIE), "run %d", run + 1);
        report_free(&report);
    }
}

Test(schedules, names_parse)
{
    struct check_options options;
    check_options_init(&options);
    cr_assert_eq(options.schedules, CHECK_SCHEDULES_NATURAL, "the engine's default is one run");
    cr_assert_eq(check_schedules_parse("all", &options), 0);
    cr_assert_eq(options.schedules, CHECK_SCHEDULES_ALL);
    cr_assert_eq(check_schedules_parse("natural", &options), 0);
    cr_assert_eq(options.schedules, CHECK_SCHEDULES_NATURAL);
    cr_assert_eq(check_schedules_parse("exit_last", &options), 0);
    cr_assert_eq(options.schedules, CHECK_SCHEDULES_ONE);
    cr_assert_eq(options.schedule, SCHEDULE_EXIT_LAST);
    cr_assert_eq(check_schedules_parse("random", &options), -EINVAL);
    cr_assert_eq(check_schedules_parse("", &options), -EINVAL);
}

/* SIG_IGN and SA_NOCLDWAIT: the kernel reaps, so no worker can be a zombie
 * and every one shows as reaped in the process tree, on every run and
 * whatever order the tracer reads the exits in (the natural schedule is the
 * one where that order varies). */
static void expect_kernel_reaps(const char *fixture)
{
    char *argv[] = {(char *)fixture, NULL};
    for (int run = 0; run < STABILITY_RUNS; run++) {
        struct report report;
        check_with(CHECK_SCHEDULES_NATURAL, argv, &report);
        cr_assert_eq(report.finding_count, 0, "%s, run %d: %s", fixture, run + 1,
                     report.finding_count ? report.findings[0].message : "");
        for (size_t i = 0; i < report.process_count; i++)
            if (!report.processes[i].is_thread && report.processes[i].pid != report.main_pid)
                cr_assert(report.processes[i].reaped_by_parent, "%s, run %d: pid %d not reaped",
                          fixture, run + 1, (int)report.processes[i].pid);
        report_free(&report);
    }
}

Test(schedules, sig_ign_workers_reaped_by_the_kernel)
{
    expect_kernel_reaps(FIXTURE("h-reap-sig-ign-ok"));
}

Test(schedules, sa_nocldwait_workers_reaped_by_the_kernel)
{
    expect_kernel_reaps(FIXTURE("h-reap-nocldwait-ok"));
}

/* Each steered schedule alone, on correct programs whose processes wait on
 * each other (a gated worker, a filter fed through pipes): every hold ends,
 * nothing hangs, nothing is found. */
static void expect_clean_under(const char *schedule, char *const *argv)
{
    for (int run = 0; run < STABILITY_RUNS / 2; run++) {
        struct check_options options;
        check_options_init(&options);
        cr_assert_eq(check_schedules_parse(schedule, &options), 0);
        struct report report;
        run_check(&options, argv, &report);
        cr_assert_eq(report.finding_count, 0, "%s under %s, run %d: %s", argv[0], schedule, run + 1,
                     report.finding_count ? report.findings[0].message : "");
        assert_nothing_left(&report);
        report_free(&report);
    }
}

Test(schedules, every_schedule_alone_lets_correct_programs_finish)
{
    const char *schedules[] = {"sigchld_held", "child_first", "parent_first", "reader_late",
                               "exit_last"};
    char *gated[] = {FIXTURE("h-reap-gate-ok"), NULL};
    char *filter[] = {FORKLAB_PLAIN_DIR "/solutions/08-pipe-deadlock", NULL};
    for (size_t i = 0; i < sizeof(schedules) / sizeof(schedules[0]); i++) {
        expect_clean_under(schedules[i], gated);
        expect_clean_under(schedules[i], filter);
    }
}
