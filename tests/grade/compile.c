/* The compile step: a compiler past its time limit is killed with its whole
 * tree (the driver's helpers too), one past its memory limit is stopped by
 * the kernel, nothing it started outlives the step, and its messages name
 * the student's files, never a folder of the grader's. */
#include "grade_test.h"
#include "trace/sandbox/cgroup_limits.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FAKE_CC_DIR FORKLAB_SOURCE_DIR "/tests/fixtures/fake-cc"

/* A FIFO the fake compiler's processes hold open for writing, and our read
 * end, opened first and non-blocking so that their open does not wait. */
struct fake_compiler {
    char dir[256], fifo[300];
    int read_fd;
};

/* Puts tests/fixtures/fake-cc first in PATH (this test's process only), in
 * `mode` (see the script). */
static void fake_compiler_install(struct fake_compiler *fake, const char *mode)
{
    grade_test_tmpdir(fake->dir, sizeof(fake->dir));
    snprintf(fake->fifo, sizeof(fake->fifo), "%s/fifo", fake->dir);
    cr_assert_eq(mkfifo(fake->fifo, 0600), 0, "mkfifo: %s", strerror(errno));
    fake->read_fd = open(fake->fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    cr_assert_geq(fake->read_fd, 0, "open %s: %s", fake->fifo, strerror(errno));
    char path[4096];
    snprintf(path, sizeof(path), "%s:%s", FAKE_CC_DIR,
             getenv("PATH") ? getenv("PATH") : "/usr/bin");
    setenv("PATH", path, 1);
    setenv("FORKLAB_TEST_FIFO", fake->fifo, 1);
    setenv("FORKLAB_TEST_CC", mode, 1);
}

/* Reads what the compiler's processes wrote (the helper's pid) and whether
 * any of them still holds the FIFO open: with every writer gone a read
 * gives end of file, with one alive it gives EAGAIN. Kills a survivor so
 * that a failing test leaves nothing behind. */
static void expect_no_process_left(struct fake_compiler *fake)
{
    char text[64] = "";
    size_t length = 0;
    ssize_t got;
    for (;;) {
        got = read(fake->read_fd, text + length, sizeof(text) - 1 - length);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        length += (size_t)got;
    }
    text[length] = '\0';
    long helper = strtol(text, NULL, 10);
    cr_expect_gt(helper, 0, "the fake compiler did not start its helper: '%s'", text);
    cr_expect_eq(got, 0, "a process of the compiler is still running (read: %s)",
                 got < 0 ? strerror(errno) : "data");
    if (got < 0 && helper > 0)
        kill((pid_t)helper, SIGKILL);
    close(fake->read_fd);
    grade_test_rmdir(fake->dir);
}

static void grade_with_compile_timeout(const char *submission, long compile_timeout_ms,
                                       struct grade_result *result, struct manifest *manifest)
{
    struct kit kit;
    grade_test_manifest(manifest);
    struct grade_options options;
    grade_test_options(&options, &kit, grade_test_exercise(manifest, "03"), submission);
    options.compile_timeout_ms = compile_timeout_ms;
    char why[512] = "";
    cr_assert_eq(grade_submission(&options, result, why, sizeof(why)), 0, "%s", why);
}

Test(compile, a_compiler_past_its_time_limit_is_killed_with_its_whole_tree)
{
    test_deadline(30);
    struct fake_compiler fake;
    fake_compiler_install(&fake, "hang");
    struct manifest manifest;
    struct grade_result result;
    /* The limit is what is tested here, not a wait: the fake compiler
     * starts its helper in milliseconds and then never finishes. */
    grade_with_compile_timeout(SUBMISSION("zombies-fixed.c"), 2000, &result, &manifest);
    cr_expect_eq(result.status, GRADE_COMPILE_FAILED);
    cr_expect_not_null(strstr(result.compile.output, "did not finish in 2.0 s"), "%s",
                       result.compile.output);
    cr_expect_eq(result.score, 0);
    expect_no_process_left(&fake);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(compile, nothing_the_compiler_started_outlives_the_compile_step)
{
    test_deadline(30);
    struct fake_compiler fake;
    fake_compiler_install(&fake, "leave");
    struct manifest manifest;
    struct grade_result result;
    grade_with_compile_timeout(SUBMISSION("zombies-fixed.c"), 0, &result, &manifest);
    cr_expect_eq(result.status, GRADE_COMPILE_FAILED);
    cr_expect_not_null(strstr(result.compile.output, "nothing compiled"), "%s",
                       result.compile.output);
    expect_no_process_left(&fake);
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* Every line of the compiler's messages that names a file names it as
 * `name`, and nothing shows a folder: neither the submission's nor ours. */
static void expect_messages_name(const char *output, const char *name, const char *folder)
{
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "%s:", name);
    cr_expect_not_null(strstr(output, prefix), "no %s in: %s", prefix, output);
    cr_expect_null(strstr(output, "forklab-grade-"), "%s", output);
    cr_expect_null(strstr(output, folder), "%s", output);
    for (const char *line = output; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t length = end != NULL ? (size_t)(end - line) : strlen(line);
        if (length > 0 && line[0] == '/')
            cr_expect_fail("a line names a path: %.*s", (int)length, line);
        line += length + (end != NULL);
    }
}

Test(compile, messages_name_the_file_as_the_student_gave_it)
{
    struct manifest manifest;
    struct grade_result result;
    struct kit kit;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    /* Given by its absolute path, as grade-all does. */
    grade_test_run(&kit, grade_test_exercise(&manifest, "03"), SUBMISSION("compile-error.c"), 0,
                   &result);
    cr_expect_eq(result.status, GRADE_COMPILE_FAILED);
    expect_messages_name(result.compile.output, "compile-error.c:7",
                         FORKLAB_SOURCE_DIR "/tests/fixtures");
    /* The command line reads as the student would type it in their folder. */
    bool output_named = false;
    for (size_t i = 0; result.compile.argv[i] != NULL; i++) {
        cr_expect_null(strstr(result.compile.argv[i], "forklab-grade-"), "%s",
                       result.compile.argv[i]);
        if (strcmp(result.compile.argv[i], "-o") == 0 && result.compile.argv[i + 1] != NULL)
            output_named = strcmp(result.compile.argv[i + 1], "03-zombies") == 0;
    }
    cr_expect(output_named, "-o 03-zombies is not on the command line");
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* As Gradescope hands it in: a folder, copied into a temporary folder. */
Test(compile, messages_of_a_folder_submission_name_its_files)
{
    char tmp[256], folder[300], source[400];
    grade_test_tmpdir(tmp, sizeof(tmp));
    snprintf(folder, sizeof(folder), "%s/submission", tmp);
    cr_assert_eq(mkdir(folder, 0755), 0);
    snprintf(source, sizeof(source), "%s/main.c", folder);
    FILE *file = fopen(source, "w");
    cr_assert_not_null(file);
    fputs("#include <stdio.h>\n\nint main(void)\n{\n    puts(\"hi\")\n    return 0;\n}\n", file);
    cr_assert_eq(fclose(file), 0);

    struct manifest manifest;
    struct grade_result result;
    struct kit kit;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    grade_test_run(&kit, grade_test_exercise(&manifest, "03"), folder, 0, &result);
    cr_expect_eq(result.status, GRADE_COMPILE_FAILED);
    expect_messages_name(result.compile.output, "main.c:5", tmp);
    grade_result_free(&result);
    manifest_free(&manifest);
    grade_test_rmdir(tmp);
}

/* The harness's findings name the program by the exercise, not by the
 * temporary folder it was built in. */
Test(compile, findings_name_the_program_not_its_build_folder)
{
    struct manifest manifest;
    struct grade_result result;
    struct kit kit;
    grade_test_kit(&kit);
    grade_test_manifest(&manifest);
    grade_test_run(&kit, grade_test_exercise(&manifest, "03"),
                   FORKLAB_SOURCE_DIR "/pitfalls/03-zombies.c", 0, &result);
    cr_assert(result.ran);
    cr_assert_gt(result.report.finding_count, 0);
    cr_expect_str_eq(result.report.program, "03-zombies");
    for (size_t i = 0; i < result.report.finding_count; i++) {
        const struct finding *finding = &result.report.findings[i];
        cr_expect_null(strstr(finding->message, "forklab-grade-"), "%s", finding->message);
        cr_expect_not_null(strstr(finding->message, "(03-zombies)"), "%s", finding->message);
        char *evidence = json_dumps(finding->evidence, JSON_COMPACT);
        cr_expect_null(strstr(evidence, "forklab-grade-"), "%s", evidence);
        free(evidence);
    }
    for (size_t i = 0; i < result.report.process_count; i++)
        for (size_t j = 0; j < result.report.processes[i].program_count; j++)
            cr_expect_str_eq(result.report.processes[i].programs[j], "03-zombies");
    grade_result_free(&result);
    manifest_free(&manifest);
}

/* Whether this machine gives us a memory cgroup: without one a source that
 * eats memory would eat the machine's, so those tests are skipped. */
static bool memory_cgroup_available(void)
{
    struct cgroup_limits limits;
    cgroup_limits_create(&limits, 0, 64);
    bool available = limits.memory_mib > 0;
    cgroup_limits_remove(&limits);
    return available;
}

/* cc1 grows without end on `submission`; at a 256 MiB limit the kernel
 * stops it, and the compiler's messages end with forklab's note. */
static void expect_stopped_at_the_memory_limit(const char *submission)
{
    test_deadline(120);
    if (!memory_cgroup_available())
        cr_skip_test("no memory cgroup here: the compiler would use the machine's memory");
    struct manifest manifest;
    struct kit kit;
    grade_test_manifest(&manifest);
    struct grade_options options;
    grade_test_options(&options, &kit, grade_test_exercise(&manifest, "03"), submission);
    options.max_memory_mib = 256;
    struct grade_result result;
    char why[512] = "";
    cr_assert_eq(grade_submission(&options, &result, why, sizeof(why)), 0, "%s", why);
    cr_expect_eq(result.status, GRADE_COMPILE_FAILED);
    cr_expect_not_null(
        strstr(result.compile.output, "forklab: the compile used more than 256 MiB of memory"),
        "%s", result.compile.output);
    cr_expect_eq(result.score, 0);
    grade_result_free(&result);
    manifest_free(&manifest);
}

Test(compile, including_dev_zero_stops_at_the_memory_limit)
{
    expect_stopped_at_the_memory_limit(SUBMISSION("dev-zero.c"));
}

Test(compile, a_macro_of_2_to_the_26_tokens_stops_at_the_memory_limit)
{
    expect_stopped_at_the_memory_limit(SUBMISSION("macro-bomb.c"));
}
