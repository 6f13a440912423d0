/* The report as JUnit XML for CI dashboards: one <testsuite>, one <testcase>
 * per finding kind, with the target's output in <system-out>/<system-err>.
 * All text goes through one escaper, so target output cannot break the XML. */
#include "render/render.h"
#include "render/xml_escape.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void put_escaped_string(FILE *out, const char *text, bool in_attribute)
{
    xml_put_escaped(out, text, strlen(text), in_attribute);
}

static void put_property(FILE *out, const char *name, const char *value)
{
    fprintf(out, "    <property name=\"%s\" value=\"", name);
    put_escaped_string(out, value, true);
    fputs("\"/>\n", out);
}

static void put_properties(FILE *out, const struct report *report)
{
    char end[PROCESS_END_SIZE];
    fputs("  <properties>\n", out);
    if (report->program != NULL)
        put_property(out, "program", report->program);
    for (size_t i = 0; report->argv != NULL && report->argv[i] != NULL; i++) {
        char name[32];
        snprintf(name, sizeof(name), "argv.%zu", i);
        put_property(out, name, report->argv[i]);
    }
    put_property(out, "exit",
                 process_end_describe(report->main_end, report->main_code,
                                      report_main_core_dumped(report), end));
    for (size_t i = 0; i < report->check_count; i++)
        put_property(out, "check", report->checks[i]);
    fputs("  </properties>\n", out);
}

/* The body of a <failure>: each finding with its evidence and lesson. */
static void put_failure(FILE *out, const struct report *report, enum finding_kind kind)
{
    size_t count = report_count_kind(report, kind);
    fprintf(out, "    <failure type=\"%s\" message=\"%zu %s finding%s\">", finding_kind_name(kind),
            count, finding_kind_name(kind), count == 1 ? "" : "s");
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        if (finding->kind != kind)
            continue;
        fprintf(out, "pid %d: ", (int)finding->pid);
        put_escaped_string(out, finding->message, false);
        char *evidence = json_dumps(finding->evidence, JSON_COMPACT);
        if (evidence != NULL) {
            fputs("\nevidence: ", out);
            put_escaped_string(out, evidence, false);
            free(evidence);
        }
        fputc('\n', out);
    }
    char lessons[256];
    fprintf(out, "lesson: %s\n</failure>\n",
            report_kind_lessons(report, kind, lessons, sizeof(lessons)));
}

static void put_captured(FILE *out, const char *element, const struct captured_output *output)
{
    fprintf(out, "  <%s>", element);
    if (output->data != NULL)
        xml_put_escaped(out, output->data, output->length, false);
    if (output->total > output->length)
        fprintf(out, "\n[forklab kept %zu of %zu bytes; the rest was dropped]\n", output->length,
                output->total);
    fprintf(out, "</%s>\n", element);
}

int render_junit(const struct report *report, FILE *out)
{
    int failures = 0, skipped = 0;
    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++) {
        if (!report_kind_checked(report, kind))
            skipped++;
        else if (report_count_kind(report, kind) > 0)
            failures++;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"forklab check ", out);
    put_escaped_string(out, report->argv && report->argv[0] ? report->argv[0] : "", true);
    fprintf(out,
            "\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%ld.%03ld\">\n",
            FINDING_KIND_COUNT, failures, skipped, report->duration_ms / 1000,
            report->duration_ms % 1000);
    put_properties(out, report);

    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++) {
        fprintf(out, "  <testcase classname=\"forklab.check\" name=\"%s\"",
                finding_kind_name(kind));
        if (!report_kind_checked(report, kind)) {
            fputs(">\n    <skipped message=\"", out);
            put_escaped_string(out, finding_kind_skip_reason(kind), true);
            fputs("\"/>\n  </testcase>\n", out);
        } else if (report_count_kind(report, kind) > 0) {
            fputs(">\n", out);
            put_failure(out, report, kind);
            fputs("  </testcase>\n", out);
        } else {
            fputs("/>\n", out);
        }
    }
    put_captured(out, "system-out", &report->out);
    put_captured(out, "system-err", &report->err);
    fputs("</testsuite>\n", out);
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}
