/* The box (trace/sandbox/box.h) seen from both sides: inside, the program
 * sees forklab's init and itself, nothing more; the kernel's limits stop
 * threads and memory the tracer does not count, and the report says so;
 * an unprivileged user gets a user namespace; where the kernel refuses the
 * namespaces the run happens outside them and the report says why; and no
 * cgroup is left behind. */
#include "harness_test.h"
#include "../copy_executable.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs the fixture STABILITY_RUNS times with `options`: each run in the
 * box, with exactly `expected` and the output `expected_output`. */
static void run_boxed(const char *fixture, struct check_options *options, kind_set expected,
                      const char *expected_output)
{
    for (int run = 1; run <= STABILITY_RUNS; run++) {
        char *argv[] = {(char *)fixture, NULL};
        struct report report;
        run_check(options, argv, &report);
        if (run == 1 && !report.isolation.namespaces)
            cr_skip_test("no box here: %s", report.isolation.missing);
        char want[256], got[256];
        cr_assert_eq(kinds_of(&report), expected, "run %d: found %s, expected %s", run,
                     kinds_text(kinds_of(&report), got, sizeof(got)),
                     kinds_text(expected, want, sizeof(want)));
        cr_assert_str_eq(report.out.data, expected_output, "run %d", run);
        assert_nothing_left(&report);
        report_free(&report);
    }
}

Test(box, the_program_sees_forklabs_init_and_itself_only)
{
    struct check_options options;
    check_options_init(&options);
    run_boxed(FIXTURE("h-box-view"), &options, NO_KINDS, "pid: 2\nparent: 1\nprocesses: 1 2\n");
}

/* --max-procs 10 makes a pids limit of 2 * 10 + 2 + 64 tasks: the init,
 * main, and 84 threads. */
Test(box, threads_past_the_task_limit_are_refused_and_reported)
{
    struct check_options options;
    check_options_init(&options);
    options.max_procs = 10;
    run_boxed(FIXTURE("h-thread-flood"), &options, KIND(FINDING_PROCESS_LIMIT),
              "pthread_create: EAGAIN after 84 threads\n");
}

static void names_the_memory_limit(const struct report *report)
{
    const struct finding *crash = find_kind(report, FINDING_CRASH);
    cr_assert(evidence_contains(crash, "\"memory_limit_mib\":64"), "%s", crash->message);
    cr_assert(strstr(crash->message, "past 64 MiB") != NULL, "%s", crash->message);
}

Test(box, memory_past_the_limit_is_a_crash_that_names_it)
{
    struct check_options options;
    check_options_init(&options);
    options.max_memory_mib = 64;
    for (int run = 1; run <= STABILITY_RUNS; run++) {
        char *argv[] = {FIXTURE("h-memory-hog"), NULL};
        struct report report;
        run_check(&options, argv, &report);
        if (report.isolation.memory_mib == 0)
            cr_skip_test("no memory cgroup here: %s", report.isolation.missing);
        cr_assert_eq(kinds_of(&report), KIND(FINDING_CRASH), "run %d", run);
        names_the_memory_limit(&report);
        assert_nothing_left(&report);
        report_free(&report);
    }
}

/* The run's pids cgroup folder for this process: forklab-PID-N below ours. */
static int count_own_cgroups(const char *hierarchy)
{
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "forklab-%d-", (int)getpid());
    DIR *dir = opendir(hierarchy);
    int count = 0;
    struct dirent *entry;
    while (dir != NULL && (entry = readdir(dir)) != NULL)
        count += strncmp(entry->d_name, prefix, strlen(prefix)) == 0;
    if (dir != NULL)
        closedir(dir);
    return count;
}

Test(box, no_cgroup_is_left_after_a_run)
{
    char *argv[] = {FIXTURE("h-fork-tree-ok"), NULL};
    struct report report;
    run_program(argv, 5000, &report);
    if (report.isolation.max_tasks == 0)
        cr_skip_test("no pids cgroup here: %s", report.isolation.missing);
    report_free(&report);
    /* Below the pids hierarchy's root: where this test process is. */
    cr_assert_eq(count_own_cgroups("/sys/fs/cgroup/pids"), 0);
}

/* ---- where the box cannot be made ---------------------------------------- */

/* Refuses clone with CLONE_NEWPID (EPERM) in this process and its children,
 * as a container's seccomp profile does; every other call runs. */
static void refuse_new_pid_namespaces(void)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 2), /* else: allow */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args)),
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEWPID, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    };
    struct sock_fprog program = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0)
        _exit(3);
}

/* Runs `program` (h-zombie) in a child (after `setup`) and sends back its
 * kinds, its isolation and why it lacked some. */
struct child_run {
    int status;
    kind_set kinds;
    bool namespaces, user_namespace;
    char missing[256];
};

static void run_in_child(void (*setup)(void), const char *program, struct child_run *result)
{
    int ends[2];
    cr_assert_eq(pipe2(ends, O_CLOEXEC), 0);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        setup();
        char *argv[] = {(char *)program, NULL};
        struct check_options options;
        check_options_init(&options);
        options.argv = argv;
        struct report report;
        report_init(&report);
        struct child_run found = {.status = check_run(&options, &report, NULL, 0)};
        found.kinds = kinds_of(&report);
        found.namespaces = report.isolation.namespaces;
        found.user_namespace = report.isolation.user_namespace;
        snprintf(found.missing, sizeof(found.missing), "%s",
                 report.isolation.missing ? report.isolation.missing : "");
        write(ends[1], &found, sizeof(found));
        _exit(0);
    }
    close(ends[1]);
    memset(result, 0, sizeof(*result));
    ssize_t got = read(ends[0], result, sizeof(*result));
    close(ends[0]);
    int status;
    waitpid(child, &status, 0);
    cr_assert_eq(got, (ssize_t)sizeof(*result), "the child died (status %d)", status);
}

Test(box, refused_namespaces_leave_the_run_outside_and_say_why)
{
    struct child_run result;
    run_in_child(refuse_new_pid_namespaces, FIXTURE("h-zombie"), &result);
    cr_assert_eq(result.status, 0);
    cr_assert_eq(result.kinds, KIND(FINDING_ZOMBIE), "the verdict is the same outside");
    cr_assert(!result.namespaces);
    cr_assert(strstr(result.missing, "the kernel refused new namespaces (Operation not "
                                     "permitted)") != NULL,
              "%s", result.missing);
}

/* Nobody, as a login would make it: a process that changed its uid is not
 * dumpable, and nobody could trace its children then. */
static void become_nobody(void)
{
    gid_t nobody = 65534;
    if (setgroups(1, &nobody) != 0 || setresgid(nobody, nobody, nobody) != 0 ||
        setresuid(nobody, nobody, nobody) != 0 || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
        _exit(3);
}

/* Whether the kernel lets an unprivileged user make a user namespace. */
static bool unprivileged_user_namespaces(void)
{
    pid_t child = fork();
    if (child == 0) {
        become_nobody();
        _exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

Test(box, an_unprivileged_user_gets_a_user_namespace)
{
    if (geteuid() != 0)
        cr_skip_test("becoming nobody needs root");
    bool allowed = unprivileged_user_namespaces();
    /* A copy nobody can reach, wherever the build lies. */
    char open_dir[] = "/tmp/forklab-box-test-XXXXXX", program[sizeof(open_dir) + 16];
    cr_assert_not_null(mkdtemp(open_dir), "mkdtemp: %s", strerror(errno));
    cr_assert_eq(chmod(open_dir, 0755), 0);
    snprintf(program, sizeof(program), "%s/h-zombie", open_dir);
    copy_executable(FIXTURE("h-zombie"), program);
    struct child_run result;
    run_in_child(become_nobody, program, &result);
    unlink(program);
    rmdir(open_dir);
    cr_assert_eq(result.status, 0);
    cr_assert_eq(result.kinds, KIND(FINDING_ZOMBIE));
    if (allowed) {
        cr_assert(result.namespaces && result.user_namespace, "%s", result.missing);
    } else {
        cr_assert(!result.namespaces);
        cr_assert(strstr(result.missing, "the kernel refused new namespaces") != NULL, "%s",
                  result.missing);
    }
}
