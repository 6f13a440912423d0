/* A grade as JUnit XML for CI dashboards: one <testsuite> for the exercise,
 * one <testcase> per check, the program's output in <system-out> and the
 * compiler's messages with the program's stderr in <system-err>. */
#include "grade/render/grade_render.h"
#include "grade/sessions.h"
#include "render/xml_escape.h"

#include <errno.h>
#include <string.h>

static void put_attribute(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    xml_put_escaped(out, value, strlen(value), true);
    fputc('"', out);
}

static void put_property(FILE *out, const char *name, const char *value)
{
    fputs("    <property", out);
    put_attribute(out, "name", name);
    put_attribute(out, "value", value);
    fputs("/>\n", out);
}

static void put_properties(FILE *out, const struct grade_result *result)
{
    char number[32];
    fputs("  <properties>\n", out);
    put_property(out, "submission", result->submission);
    put_property(out, "status", grade_status_name(result->status));
    snprintf(number, sizeof(number), "%d", result->score);
    put_property(out, "score", number);
    snprintf(number, sizeof(number), "%d", result->max_score);
    put_property(out, "max_score", number);
    put_property(out, "explanation", result->explanation != NULL ? result->explanation : "");
    fputs("  </properties>\n", out);
}

static void put_testcase(FILE *out, const struct grade_result *result,
                         const struct grade_check_result *check)
{
    char name[GRADE_CHECK_NAME_SIZE], classname[GRADE_CHECK_NAME_SIZE], message[64];
    snprintf(classname, sizeof(classname), "forklab.grade.%s", result->exercise->name);
    fputs("  <testcase", out);
    put_attribute(out, "classname", classname);
    put_attribute(out, "name", grade_check_name(result, check, name));
    if (check->score == check->check->points) {
        fputs("/>\n", out);
        return;
    }
    snprintf(message, sizeof(message), "%d of %d points", check->score, check->check->points);
    fputs(">\n    <failure", out);
    put_attribute(out, "type", check->check->id);
    put_attribute(out, "message", message);
    fputc('>', out);
    xml_put_escaped(out, check->detail, strlen(check->detail), false);
    fputs("</failure>\n  </testcase>\n", out);
}

int grade_render_junit(const struct grade_result *result, FILE *out)
{
    size_t failures = 0;
    for (size_t i = 0; i < result->check_count; i++)
        failures += result->checks[i].score < result->checks[i].check->points;
    char suite[GRADE_CHECK_NAME_SIZE];
    snprintf(suite, sizeof(suite), "forklab grade %s", result->exercise->name);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite", out);
    put_attribute(out, "name", suite);
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"%ld.%03ld\">\n",
            result->check_count, failures, result->duration_ms / 1000, result->duration_ms % 1000);
    put_properties(out, result);
    for (size_t i = 0; i < result->check_count; i++)
        put_testcase(out, result, &result->checks[i]);

    /* The program's streams: of its one run, or of each session in turn. */
    size_t runs = result->session_count > 0 ? result->session_count : 1;
    fputs("  <system-out>", out);
    for (size_t i = 0; result->ran && i < runs; i++) {
        const struct report *report =
            result->session_count > 0 ? &result->sessions[i].report : &result->report;
        xml_put_escaped(out, report->out.data, report->out.length, false);
    }
    fputs("</system-out>\n  <system-err>", out);
    if (result->compile.output_length > 0)
        xml_put_escaped(out, result->compile.output, result->compile.output_length, false);
    for (size_t i = 0; result->ran && i < runs; i++) {
        const struct report *report =
            result->session_count > 0 ? &result->sessions[i].report : &result->report;
        xml_put_escaped(out, report->err.data, report->err.length, false);
    }
    fputs("</system-err>\n</testsuite>\n", out);
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}
