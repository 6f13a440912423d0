/* The helpers of grade_test.h. */
#include "grade_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CGROUP_PIDS "/sys/fs/cgroup/pids"

void grade_test_kit(struct kit *kit)
{
    cr_assert_eq(kit_at(kit, FORKLAB_SOURCE_DIR, FORKLAB_PLAIN_DIR), 0);
    cr_assert_eq(access(kit->library, R_OK), 0, "%s is not built", kit->library);
}

void grade_test_manifest(struct manifest *manifest)
{
    char why[256] = "";
    int error = manifest_load(FORKLAB_SOURCE_DIR "/" MANIFEST_PATH, manifest, why, sizeof(why));
    cr_assert_eq(error, 0, "cannot load the manifest: %s", why);
}

const struct manifest_pitfall *grade_test_exercise(const struct manifest *manifest,
                                                   const char *name)
{
    const struct manifest_pitfall *exercise = manifest_find(manifest, name);
    cr_assert_not_null(exercise, "no exercise %s in the manifest", name);
    return exercise;
}

void grade_test_options(struct grade_options *options, struct kit *kit,
                        const struct manifest_pitfall *exercise, const char *submission)
{
    grade_test_kit(kit);
    grade_options_init(options);
    options->kit = kit;
    options->exercise = exercise;
    options->submission = submission;
}

void grade_test_run(const struct kit *kit, const struct manifest_pitfall *exercise,
                    const char *submission, long timeout_ms, struct grade_result *result)
{
    struct grade_options options;
    grade_options_init(&options);
    options.kit = kit;
    options.exercise = exercise;
    options.submission = submission;
    options.timeout_ms = timeout_ms;
    char why[512] = "";
    int error = grade_submission(&options, result, why, sizeof(why));
    cr_assert_eq(error, 0, "grading %s failed: %s", submission, why);
}

char *grade_test_render_text(grade_renderer render, const struct grade_result *result)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert_not_null(out);
    cr_assert_eq(render(result, out), 0);
    cr_assert_eq(fclose(out), 0);
    return text;
}

json_t *grade_test_render_json(grade_renderer render, const struct grade_result *result)
{
    char *text = grade_test_render_text(render, result);
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    cr_assert_not_null(root, "not JSON (%s): %s", error.text, text);
    free(text);
    return root;
}

const struct grade_check_result *grade_test_check(const struct grade_result *result, const char *id)
{
    for (size_t i = 0; i < result->check_count; i++)
        if (strcmp(result->checks[i].check->id, id) == 0)
            return &result->checks[i];
    cr_assert_fail("no check %s in the result", id);
    return NULL;
}

void test_deadline(unsigned seconds)
{
    alarm(seconds);
}

void grade_test_tmpdir(char *path, size_t size)
{
    snprintf(path, size, "/tmp/forklab-grade-test-XXXXXX");
    cr_assert_not_null(mkdtemp(path), "mkdtemp: %s", strerror(errno));
}

static int remove_entry(const char *path, const struct stat *status, int type, struct FTW *walk)
{
    (void)status;
    (void)type;
    (void)walk;
    return remove(path);
}

void grade_test_rmdir(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- the pids cgroup ---------------------------------------------------------- */

bool pids_cgroup_available(void)
{
    return access(CGROUP_PIDS, W_OK) == 0;
}

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t put = write(fd, text, strlen(text));
    int error = put < 0 ? -errno : 0;
    close(fd);
    return error;
}

static int count_tasks(const char *cgroup)
{
    char path[256], text[8192];
    snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t length = read(fd, text, sizeof(text));
    close(fd);
    int lines = 0;
    for (ssize_t i = 0; i < length; i++)
        lines += text[i] == '\n';
    return lines;
}

void run_in_pids_cgroup(int max_tasks, void (*body)(void *context, int result_fd), void *context,
                        void *result, size_t size)
{
    char cgroup[128], path[256], text[32];
    snprintf(cgroup, sizeof(cgroup), CGROUP_PIDS "/forklab-grade-%d", (int)getpid());
    cr_assert(mkdir(cgroup, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", cgroup, strerror(errno));
    snprintf(path, sizeof(path), "%s/pids.max", cgroup);
    snprintf(text, sizeof(text), "%d\n", max_tasks);
    cr_assert_eq(write_text(path, text), 0, "cannot limit %s", cgroup);

    int result_pipe[2];
    cr_assert_eq(pipe2(result_pipe, O_CLOEXEC), 0);
    pid_t worker = fork();
    cr_assert_geq(worker, 0);
    if (worker == 0) {
        close(result_pipe[0]);
        snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
        snprintf(text, sizeof(text), "%d\n", (int)getpid());
        if (write_text(path, text) != 0)
            _exit(1);
        body(context, result_pipe[1]);
        _exit(0);
    }
    close(result_pipe[1]);
    size_t got = 0;
    for (;;) {
        ssize_t n = read(result_pipe[0], (char *)result + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(result_pipe[0]);
    int status;
    while (waitpid(worker, &status, 0) < 0 && errno == EINTR)
        ;
    int left = count_tasks(cgroup);
    rmdir(cgroup);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the cgroup worker failed");
    cr_assert_eq(got, size, "the cgroup worker reported %zu of %zu bytes", got, size);
    cr_assert_eq(left, 0, "%d processes were left in the cgroup", left);
}
