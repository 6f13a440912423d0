/* The report as Gradescope's results.json (the autograder specification at
 * gradescope-autograders.readthedocs.io/en/latest/specs/): one test worth one
 * point per finding kind, passed when the run shows none of that kind. */
#include "core/json_document.h"
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define POINTS_PER_KIND 1
/* Gradescope shows output in a <pre> box; more than this of each captured
 * stream only buries the findings. */
#define CAPTURED_BYTES_SHOWN 8192

/* One kind's explanation for the student: each finding, then the lesson. */
static char *kind_output(const struct report *report, enum finding_kind kind)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    const char *name = finding_kind_name(kind);
    if (!report_kind_checked(report, kind)) {
        fprintf(out, "Not checked: %s, %s.\n", name, finding_kind_skip_reason(kind));
    } else if (report_count_kind(report, kind) == 0) {
        fprintf(out, "No %s found.\n", name);
    } else {
        for (size_t i = 0; i < report->finding_count; i++) {
            const struct finding *finding = &report->findings[i];
            if (finding->kind != kind)
                continue;
            char *evidence = json_dumps(finding->evidence, JSON_COMPACT);
            fprintf(out, "pid %d: %s\n  evidence: %s\n", (int)finding->pid, finding->message,
                    evidence ? evidence : "{}");
            free(evidence);
        }
        char lessons[256];
        fprintf(out, "Read %s to see why this happens and how to fix it.\n",
                report_kind_lessons(report, kind, lessons, sizeof(lessons)));
    }
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static json_t *kind_test(const struct report *report, enum finding_kind kind)
{
    char *output = kind_output(report, kind);
    if (output == NULL)
        return NULL;
    size_t length;
    char *valid = utf8_repair(output, strlen(output), &length);
    free(output);
    if (valid == NULL)
        return NULL;
    json_t *test;
    if (!report_kind_checked(report, kind)) {
        /* Worth nothing and marked with no status: a check that did not run
         * neither earns nor costs points. */
        test = json_pack("{s:s, s:i, s:i, s:s%, s:s}", "name", finding_kind_name(kind), "score", 0,
                         "max_score", 0, "output", valid, length, "visibility", "visible");
    } else {
        bool passed = report_count_kind(report, kind) == 0;
        test = json_pack("{s:s, s:i, s:i, s:s, s:s%, s:s}", "name", finding_kind_name(kind),
                         "score", passed ? POINTS_PER_KIND : 0, "max_score", POINTS_PER_KIND,
                         "status", passed ? "passed" : "failed", "output", valid, length,
                         "visibility", "visible");
    }
    free(valid);
    return test;
}

static void put_captured(FILE *out, const char *name, const struct captured_output *output)
{
    size_t shown = output->length < CAPTURED_BYTES_SHOWN ? output->length : CAPTURED_BYTES_SHOWN;
    fprintf(out, "\n%s (%zu bytes):\n", name, output->total);
    if (output->data != NULL)
        fwrite(output->data, 1, shown, out);
    if (output->total > shown)
        fprintf(out, "\n[%zu more bytes not shown]\n", output->total - shown);
}

/* The text for the whole submission: what ran, how it ended, what it printed. */
static json_t *submission_output(const struct report *report)
{
    char *text = NULL, end[PROCESS_END_SIZE];
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    fputs("forklab check", out);
    for (size_t i = 0; report->argv != NULL && report->argv[i] != NULL; i++)
        fprintf(out, " %s", report->argv[i]);
    fprintf(out, "\nMain program: %s; %zu finding%s.\n",
            process_end_describe(report->main_end, report->main_code,
                                 report_main_core_dumped(report), end),
            report->finding_count, report->finding_count == 1 ? "" : "s");
    put_captured(out, "stdout", &report->out);
    put_captured(out, "stderr", &report->err);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    size_t length;
    char *valid = utf8_repair(text, size, &length);
    free(text);
    json_t *string = valid ? json_stringn(valid, length) : NULL;
    free(valid);
    return string;
}

int render_gradescope(const struct report *report, FILE *out)
{
    json_t *tests = json_array();
    int score = 0;
    for (int kind = 0; tests != NULL && kind < FINDING_KIND_COUNT; kind++) {
        if (json_array_append_new(tests, kind_test(report, kind)) < 0) {
            json_decref(tests);
            return -ENOMEM;
        }
        if (report_kind_checked(report, kind) && report_count_kind(report, kind) == 0)
            score += POINTS_PER_KIND;
    }
    json_t *root = json_pack("{s:i, s:f, s:o, s:s, s:o}", "score", score, "execution_time",
                             report->duration_ms / 1000.0, "output", submission_output(report),
                             "visibility", "visible", "tests", tests);
    return json_document_write(root, out);
}
