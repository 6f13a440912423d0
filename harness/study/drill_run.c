/* A drill's program run for real: compiled as the grader compiles a
 * submission, in a private folder, then run under the checker; what the
 * question asks about is read back from the checker's report. */
#include "study/drill.h"

#include "check/check.h"
#include "grade/grade.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DRILL_TIMEOUT_MS 10000 /* a drill runs in milliseconds: this is a hang */

static int write_source(const char *path, const char *source)
{
    FILE *out = fopen(path, "wxe");
    if (out == NULL)
        return -errno;
    fputs(source, out);
    return fclose(out) == 0 ? 0 : -EIO;
}

static int compile(const struct kit *kit, const char *source, const char *program, char *why,
                   size_t why_size)
{
    struct grade_options options;
    grade_options_init(&options);
    options.kit = kit;
    options.submission = source;
    struct grade_result result;
    grade_result_init(&result);
    int error = grade_compile(&options, source, program, &result, why, why_size);
    if (error == 0 && result.status != GRADE_GRADED) {
        snprintf(why, why_size, "the drill's program does not compile: %s",
                 result.compile.output != NULL ? result.compile.output : "");
        error = -EINVAL;
    }
    grade_result_free(&result);
    return error;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* The descriptors above 2 the drill's exec'd program started with, and
 * what each was: the checker reports each as an fd_leak at that exec. */
static uint32_t fds_at_exec(const struct report *report, const char *program,
                            struct drill_truth *truth)
{
    uint32_t fds = 0;
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        const char *when = json_string_value(json_object_get(finding->evidence, "when"));
        const char *exec = json_string_value(json_object_get(finding->evidence, "program"));
        json_int_t fd = json_integer_value(json_object_get(finding->evidence, "fd"));
        if (finding->kind == FINDING_FD_LEAK && when != NULL && strcmp(when, "exec") == 0 &&
            exec != NULL && strcmp(base_name(exec), program) == 0 && fd >= 3 &&
            fd <= DRILL_MAX_FD) {
            fds |= (uint32_t)1 << fd;
            const char *target = json_string_value(json_object_get(finding->evidence, "target"));
            const char *end = json_string_value(json_object_get(finding->evidence, "end"));
            snprintf(truth->fd_what[fd], sizeof(truth->fd_what[fd]), "%s%s%s%s",
                     target != NULL ? target : "?", end != NULL ? " (" : "", end != NULL ? end : "",
                     end != NULL ? ")" : "");
        }
    }
    return fds;
}

static void read_truth(const struct drill *drill, struct drill_truth *truth)
{
    const struct report *report = &truth->report;
    const char *out = report->out.data != NULL ? report->out.data : "";
    truth->lines = 0;
    for (size_t i = 0; i < report->out.length; i++)
        truth->lines += out[i] == '\n';
    truth->candidate = truth->output = -1;
    for (size_t i = 0; i < drill->candidate_count && drill->kind == DRILL_ORDERS; i++)
        if (strcmp(drill->candidates[i], out) == 0)
            truth->candidate = (int)i;
    for (size_t i = 0; i < drill->output_count; i++)
        if (strcmp(drill->outputs[i], out) == 0)
            truth->output = (int)i;
    truth->fds = drill->kind == DRILL_FDS ? fds_at_exec(report, drill->exec_name, truth) : 0;
    truth->clean_end =
        report->main_end == PROCESS_EXITED && report->out.total == report->out.length &&
        report_count_kind(report, FINDING_TIMEOUT) == 0 &&
        report_count_kind(report, FINDING_PROCESS_LIMIT) == 0 && !report_is_incomplete(report);
}

int drill_build(const struct kit *kit, const struct drill *drill, const char *folder, char *why,
                size_t why_size)
{
    char source[PATH_MAX], program[PATH_MAX];
    if (snprintf(source, sizeof(source), "%s/drill.c", folder) >= (int)sizeof(source) ||
        snprintf(program, sizeof(program), "%s/drill", folder) >= (int)sizeof(program)) {
        snprintf(why, why_size, "%s: the path is too long", folder);
        return -ENAMETOOLONG;
    }
    int error = write_source(source, drill->source);
    if (error < 0)
        snprintf(why, why_size, "cannot write %s: %s", source, strerror(-error));
    if (error == 0)
        error = compile(kit, source, program, why, why_size);
    unlink(source);
    return error;
}

int drill_check(const struct drill *drill, const char *folder, struct drill_truth *truth, char *why,
                size_t why_size)
{
    memset(truth, 0, sizeof(*truth));
    report_init(&truth->report);
    char program[PATH_MAX];
    snprintf(program, sizeof(program), "%s/drill", folder);
    char *argv[] = {program, NULL};
    struct check_options options;
    check_options_init(&options);
    options.argv = argv;
    options.timeout_ms = DRILL_TIMEOUT_MS;
    int error = check_run(&options, &truth->report, why, why_size);
    if (error == 0 && (truth->shape = drill_tree_of_report(&truth->report)) == NULL) {
        snprintf(why, why_size, "out of memory");
        error = -ENOMEM;
    }
    if (error == 0)
        read_truth(drill, truth);
    return error;
}

int drill_run(const struct kit *kit, const struct drill *drill, struct drill_truth *truth,
              char *why, size_t why_size)
{
    memset(truth, 0, sizeof(*truth));
    report_init(&truth->report);
    const char *tmp = getenv("TMPDIR");
    char folder[PATH_MAX], program[PATH_MAX + 8];
    snprintf(folder, sizeof(folder), "%s/forklab-drill-XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(folder) == NULL) {
        int error = -errno;
        snprintf(why, why_size, "cannot create a folder for the drill: %s", strerror(errno));
        return error;
    }
    int error = drill_build(kit, drill, folder, why, why_size);
    if (error == 0)
        error = drill_check(drill, folder, truth, why, why_size);
    snprintf(program, sizeof(program), "%s/drill", folder);
    unlink(program);
    rmdir(folder);
    return error;
}

void drill_truth_free(struct drill_truth *truth)
{
    report_free(&truth->report);
    free(truth->shape);
    memset(truth, 0, sizeof(*truth));
}

bool drill_truth_agrees(const struct drill *drill, const struct drill_truth *truth)
{
    if (!truth->clean_end)
        return false;
    switch (drill->kind) {
    case DRILL_LINES:
        return truth->lines == drill->lines;
    case DRILL_TREE:
        for (size_t i = 0; i < drill->candidate_count; i++)
            if (drill->right & (1u << i))
                return strcmp(drill->candidates[i], truth->shape) == 0;
        return false;
    case DRILL_ORDERS:
        return truth->output >= 0 &&
               (truth->candidate < 0 || (drill->right & (1u << truth->candidate)) != 0);
    case DRILL_FDS:
        return truth->fds == drill->fds;
    case DRILL_KIND_COUNT:
        break;
    }
    return false;
}
