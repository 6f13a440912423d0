/* The report as TAP version 13 for CI runners and `prove`: one test per
 * finding kind, in the contract's order. A kind with findings is "not ok"
 * with YAML diagnostics listing them; a kind that did not run is a SKIP. */
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>

/* The YAML diagnostics of one failing kind, built as JSON first so the YAML
 * writer only has to print values, never to construct them. */
static json_t *kind_diagnostics(const struct report *report, enum finding_kind kind)
{
    json_t *findings = json_array();
    for (size_t i = 0; findings != NULL && i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        if (finding->kind != kind)
            continue;
        json_t *entry =
            json_pack("{s:i, s:s, s:s, s:O}", "pid", finding->pid, "message", finding->message,
                      "lesson", finding->lesson, "evidence", finding->evidence);
        if (json_array_append_new(findings, entry) < 0) {
            json_decref(findings);
            return NULL;
        }
    }
    size_t count = report_count_kind(report, kind);
    char *message = NULL, lessons[256];
    if (asprintf(&message, "%zu %s finding%s", count, finding_kind_name(kind),
                 count == 1 ? "" : "s") < 0) {
        json_decref(findings);
        return NULL;
    }
    json_t *diagnostics = json_pack(
        "{s:s, s:s, s:s, s:o}", "message", message, "severity", "fail", "lesson",
        report_kind_lessons(report, kind, lessons, sizeof(lessons)), "findings", findings);
    free(message);
    return diagnostics;
}

/* A TAP comment line: one line, whatever the text holds. */
static void put_comment_text(FILE *out, const char *text)
{
    for (; *text != '\0'; text++)
        fputc(*text == '\n' || *text == '\r' ? ' ' : *text, out);
}

int render_tap(const struct report *report, FILE *out)
{
    fprintf(out, "TAP version 13\n1..%d\n", FINDING_KIND_COUNT);
    if (report->program != NULL) {
        fputs("# forklab check ", out);
        put_comment_text(out, report->program);
        fputc('\n', out);
    }
    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++) {
        const char *name = finding_kind_name(kind);
        int number = kind + 1;
        if (!report_kind_checked(report, kind)) {
            fprintf(out, "ok %d - %s # SKIP %s\n", number, name, finding_kind_skip_reason(kind));
        } else if (report_count_kind(report, kind) == 0) {
            fprintf(out, "ok %d - %s\n", number, name);
        } else {
            fprintf(out, "not ok %d - %s\n", number, name);
            json_t *diagnostics = kind_diagnostics(report, kind);
            if (diagnostics == NULL)
                return -ENOMEM;
            fputs("  ---\n", out);
            yaml_write_mapping(out, diagnostics, 2);
            fputs("  ...\n", out);
            json_decref(diagnostics);
        }
    }
    char end[PROCESS_END_SIZE];
    fprintf(out, "# main program: %s; %zu finding%s\n",
            process_end_describe(report->main_end, report->main_code,
                                 report_main_core_dumped(report), end),
            report->finding_count, report->finding_count == 1 ? "" : "s");
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}
