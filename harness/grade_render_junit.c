/* A grade as JUnit XML for CI dashboards: one <testsuite> for the exercise,
 * one <testcase> per check, the program's output in <system-out> and the
 * compiler's messages with the program's stderr in <system-err>. */
#include "grade_render.h"
#include "render.h"

#include <errno.h>
#include <string.h>

/* Whether XML 1.0 allows a character at all (its Char production). */
static bool xml_allows(long c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Text escaped for an element or a double-quoted attribute. A character XML
 * cannot hold (a control byte, a byte that is not UTF-8) becomes U+FFFD, so
 * nothing the submission prints can break the document. (The same rules as
 * render_junit.c's escaper.) */
static void put_escaped(FILE *out, const char *text, size_t length, bool in_attribute)
{
    for (size_t at = 0; at < length;) {
        size_t size;
        long c = utf8_decode(text + at, length - at, &size);
        if (c == '&')
            fputs("&amp;", out);
        else if (c == '<')
            fputs("&lt;", out);
        else if (c == '>')
            fputs("&gt;", out);
        else if (c == '"' && in_attribute)
            fputs("&quot;", out);
        else if (c == '\r' || ((c == '\n' || c == '\t') && in_attribute))
            fprintf(out, "&#%ld;", c);
        else if (c == UTF8_INVALID || !xml_allows(c))
            fputs("\xEF\xBF\xBD", out);
        else
            fwrite(text + at, 1, size, out);
        at += size;
    }
}

static void put_attribute(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    put_escaped(out, value, strlen(value), true);
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
    put_escaped(out, check->detail, strlen(check->detail), false);
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

    fputs("  <system-out>", out);
    if (result->ran)
        put_escaped(out, result->report.out.data, result->report.out.length, false);
    fputs("</system-out>\n  <system-err>", out);
    if (result->compile.output_length > 0)
        put_escaped(out, result->compile.output, result->compile.output_length, false);
    if (result->ran)
        put_escaped(out, result->report.err.data, result->report.err.length, false);
    fputs("</system-err>\n</testsuite>\n", out);
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}
