/* Containment: whatever the target does (floods, spins, ignores SIGTERM,
 * daemonizes, stops, closes everything, kills its own group, forks without
 * end), the run ends with a report and nothing it started is left. */
#include "harness_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Hanging fixtures hang for real, so any deadline shows the kind; the
 * evidence (what each process waits on) needs the fixture to have reached
 * its blocking call first: a second is ample even on a loaded machine. */
#define SHORT 1000

/* Runs argv STABILITY_RUNS times; each run must find exactly `expected`,
 * pass `check` (when given) and leave nothing behind. */
static void contain(char *const *argv, struct check_options *options, kind_set expected,
                    void (*check)(const struct report *))
{
    for (int run = 0; run < STABILITY_RUNS; run++) {
        struct report report;
        run_check(options, argv, &report);
        char want[256], got[256];
        cr_assert_eq(kinds_of(&report), expected, "%s, run %d: found %s, expected %s", argv[0],
                     run + 1, kinds_text(kinds_of(&report), got, sizeof(got)),
                     kinds_text(expected, want, sizeof(want)));
        if (check != NULL)
            check(&report);
        assert_nothing_left(&report);
        report_free(&report);
    }
}

static struct check_options short_run(void)
{
    struct check_options options;
    check_options_init(&options);
    options.timeout_ms = SHORT;
    return options;
}

static void output_capped(const struct report *report)
{
    cr_assert_eq(report->out.length, 65536);
    cr_assert_gt(report->out.total, 65536, "the flood went on past the cap");
    cr_assert_eq(strlen(report->out.data), 65536);
    cr_assert_eq(report->main_end, PROCESS_STOPPED_BY_HARNESS);
}

Test(containment, output_flood)
{
    char *argv[] = {FIXTURE("h-flood"), NULL};
    struct check_options options = short_run();
    options.output_cap = 65536;
    contain(argv, &options, KIND(FINDING_TIMEOUT), output_capped);
}

static void busy_loop_is_running(const struct report *report)
{
    const struct finding *timeout = find_kind(report, FINDING_TIMEOUT);
    cr_assert(evidence_contains(timeout, "running (not in a system call"), "%s", timeout->message);
}

Test(containment, infinite_loop)
{
    char *argv[] = {FIXTURE("h-spin"), NULL};
    struct check_options options = short_run();
    contain(argv, &options, KIND(FINDING_TIMEOUT), busy_loop_is_running);
}

static void stopped_is_said(const struct report *report)
{
    const struct finding *timeout = find_kind(report, FINDING_TIMEOUT);
    cr_assert(evidence_contains(timeout, "stopped by SIGSTOP"), "%s", timeout->message);
}

Test(containment, stopped_process)
{
    char *argv[] = {FIXTURE("h-stop-self"), NULL};
    struct check_options options = short_run();
    contain(argv, &options, KIND(FINDING_TIMEOUT), stopped_is_said);
}

Test(containment, child_ignoring_sigterm)
{
    char *argv[] = {FIXTURE("h-ignore-term"), NULL};
    struct check_options options;
    check_options_init(&options);
    contain(argv, &options, KIND(FINDING_RUNAWAY_CHILD), NULL);
}

static void daemon_found(const struct report *report)
{
    cr_assert_eq(report->process_count, 3);
    const struct finding *runaway = find_kind(report, FINDING_RUNAWAY_CHILD);
    cr_assert_eq(runaway->pid, report->processes[2].pid, "the grandchild is the runaway");
    cr_assert_eq(report->processes[2].end, PROCESS_STOPPED_BY_HARNESS);
}

Test(containment, setsid_double_fork_daemon)
{
    char *argv[] = {FIXTURE("h-daemon"), NULL};
    struct check_options options;
    check_options_init(&options);
    contain(argv, &options, KIND(FINDING_RUNAWAY_CHILD), daemon_found);
}

Test(containment, target_closing_all_its_descriptors)
{
    char *argv[] = {FIXTURE("h-close-all"), NULL};
    struct check_options options;
    check_options_init(&options);
    contain(argv, &options, KIND(FINDING_RUNAWAY_CHILD), NULL);
}

static void killed_itself(const struct report *report)
{
    cr_assert_eq(report->main_end, PROCESS_SIGNALED);
    cr_assert_eq(report->main_code, SIGKILL);
}

Test(containment, kill_own_process_group)
{
    /* kill(0, SIGKILL) reaches the target's group only: this test process
     * is alive to check it. */
    char *argv[] = {FIXTURE("h-kill-group"), NULL};
    struct check_options options;
    check_options_init(&options);
    contain(argv, &options, KIND(FINDING_CRASH), killed_itself);
}

/* ---- the fork bomb, inside a pids cgroup (v1) so a bug cannot hurt the
 * machine: the cgroup caps the tree at 200 tasks whatever the harness does. */

#define CGROUP_PIDS "/sys/fs/cgroup/pids"

struct bomb_result {
    int status;     /* check_run's */
    kind_set kinds; /* of the last run; all runs must agree */
    int runs_agreeing;
    int survivors; /* processes left in the cgroup besides the worker */
    long peak;
};

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t put = write(fd, text, strlen(text));
    int error = put < 0 ? -errno : 0;
    close(fd);
    return error;
}

static int count_cgroup_tasks(const char *cgroup)
{
    char path[256], text[4096];
    snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t length = read(fd, text, sizeof(text) - 1);
    close(fd);
    int lines = 0;
    for (ssize_t i = 0; i < length; i++)
        lines += text[i] == '\n';
    return lines;
}

static void bomb_worker(const char *cgroup, int result_fd)
{
    char path[256], pid_text[32];
    snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
    snprintf(pid_text, sizeof(pid_text), "%d\n", (int)getpid());
    struct bomb_result result = {.status = write_file(path, pid_text)};
    for (int run = 0; run < STABILITY_RUNS && result.status == 0; run++) {
        char *argv[] = {FIXTURE("h-fork-bomb"), NULL};
        struct check_options options;
        check_options_init(&options);
        options.argv = argv;
        struct report report;
        report_init(&report);
        result.status = check_run(&options, &report, NULL, 0);
        kind_set kinds = kinds_of(&report);
        if (run == 0 || kinds == result.kinds)
            result.runs_agreeing++;
        result.kinds = kinds;
        const struct finding *limit = find_kind(&report, FINDING_PROCESS_LIMIT);
        long peak =
            limit == NULL
                ? 0
                : (long)json_integer_value(json_object_get(limit->evidence, "processes_at_once"));
        if (peak > result.peak)
            result.peak = peak; /* the worst run */
        int tasks = count_cgroup_tasks(cgroup);
        if (tasks != 1 && result.survivors == 0)
            result.survivors = tasks - 1;
        report_free(&report);
    }
    write(result_fd, &result, sizeof(result));
    _exit(0);
}

Test(containment, fork_bomb_in_pids_cgroup)
{
    /* A watchdog of our own (criterion's .timeout leaks under ASan when
     * long tests overlap): this test waits on a pipe that a harness bug
     * could keep open. SIGALRM ends the test as a crash. */
    alarm(120);
    if (access(CGROUP_PIDS, W_OK) != 0)
        cr_skip_test("no writable pids cgroup at " CGROUP_PIDS);
    char cgroup[128];
    snprintf(cgroup, sizeof(cgroup), CGROUP_PIDS "/forklab-harness-%d", (int)getpid());
    cr_assert(mkdir(cgroup, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", cgroup, strerror(errno));
    char limit_path[256];
    snprintf(limit_path, sizeof(limit_path), "%s/pids.max", cgroup);
    cr_assert_eq(write_file(limit_path, "200\n"), 0);

    int result_pipe[2];
    cr_assert_eq(pipe2(result_pipe, O_CLOEXEC), 0);
    pid_t worker = fork();
    cr_assert_geq(worker, 0);
    if (worker == 0)
        bomb_worker(cgroup, result_pipe[1]);
    close(result_pipe[1]);
    struct bomb_result result;
    memset(&result, 0, sizeof(result));
    ssize_t got = read(result_pipe[0], &result, sizeof(result));
    close(result_pipe[0]);
    int status;
    waitpid(worker, &status, 0);
    int left = count_cgroup_tasks(cgroup);
    rmdir(cgroup);

    cr_assert_eq(got, (ssize_t)sizeof(result), "the worker died before reporting");
    cr_assert_eq(result.status, 0);
    cr_assert_eq(result.runs_agreeing, STABILITY_RUNS, "the verdict changed between runs");
    cr_assert_eq(result.kinds, KIND(FINDING_PROCESS_LIMIT) | KIND(FINDING_NESTED_FORK));
    /* Killed once past the limit. Processes of a bomb fork in parallel, so a
     * few more children may exist when the tracer reads the next fork event;
     * but each process is held at its own fork until resumed, so at most
     * one new child per process: never twice the limit. */
    cr_assert(result.peak > CHECK_DEFAULT_MAX_PROCS &&
                  result.peak <= 2 * CHECK_DEFAULT_MAX_PROCS + 1,
              "killed with %ld processes at once, limit %d", result.peak, CHECK_DEFAULT_MAX_PROCS);
    cr_assert_eq(result.survivors, 0, "processes were left in the cgroup after a run");
    cr_assert_eq(left, 0, "the cgroup is not empty");
}
