/* The JUnit renderer, parsed back with expat (a real XML parser): the shape
 * of the document, and text that survives escaping exactly. */
#include "render/render.h"
#include "sample_report.h"

#include <criterion/criterion.h>
#include <expat.h>
#include <string.h>

/* What the parse saw: element counts, and the text and attributes the tests
 * look at. */
struct junit_document {
    int testsuites, testcases, failures, skipped, properties;
    char suite_tests[16], suite_failures[16], suite_skipped[16];
    char failure_names[256]; /* the testcase name of each failure, space-separated */
    char last_testcase[64];
    char fd_leak_message[256]; /* the fd_leak <failure>'s text */
    char *system_out;
    size_t system_out_length;
    bool in_system_out, in_fd_leak_failure;
};

static const char *attribute(const char **attributes, const char *name)
{
    for (int i = 0; attributes[i] != NULL; i += 2)
        if (strcmp(attributes[i], name) == 0)
            return attributes[i + 1];
    return "";
}

static void on_start(void *data, const char *name, const char **attributes)
{
    struct junit_document *doc = data;
    if (strcmp(name, "testsuite") == 0) {
        doc->testsuites++;
        snprintf(doc->suite_tests, 16, "%s", attribute(attributes, "tests"));
        snprintf(doc->suite_failures, 16, "%s", attribute(attributes, "failures"));
        snprintf(doc->suite_skipped, 16, "%s", attribute(attributes, "skipped"));
    } else if (strcmp(name, "testcase") == 0) {
        doc->testcases++;
        snprintf(doc->last_testcase, 64, "%s", attribute(attributes, "name"));
    } else if (strcmp(name, "failure") == 0) {
        doc->failures++;
        size_t used = strlen(doc->failure_names);
        snprintf(doc->failure_names + used, sizeof(doc->failure_names) - used, "%s ",
                 doc->last_testcase);
        doc->in_fd_leak_failure = strcmp(doc->last_testcase, "fd_leak") == 0;
    } else if (strcmp(name, "skipped") == 0) {
        doc->skipped++;
        cr_expect_str_eq(doc->last_testcase, "memory_leak");
        cr_expect_str_eq(attribute(attributes, "message"), "not run (use --valgrind)");
    } else if (strcmp(name, "property") == 0) {
        doc->properties++;
    } else if (strcmp(name, "system-out") == 0) {
        doc->in_system_out = true;
    }
}

static void on_end(void *data, const char *name)
{
    struct junit_document *doc = data;
    if (strcmp(name, "system-out") == 0)
        doc->in_system_out = false;
    if (strcmp(name, "failure") == 0)
        doc->in_fd_leak_failure = false;
}

static void on_text(void *data, const char *text, int length)
{
    struct junit_document *doc = data;
    if (doc->in_system_out) {
        doc->system_out = realloc(doc->system_out, doc->system_out_length + length + 1);
        memcpy(doc->system_out + doc->system_out_length, text, length);
        doc->system_out_length += length;
        doc->system_out[doc->system_out_length] = '\0';
    }
    if (doc->in_fd_leak_failure) {
        size_t used = strlen(doc->fd_leak_message);
        snprintf(doc->fd_leak_message + used, sizeof(doc->fd_leak_message) - used, "%.*s", length,
                 text);
    }
}

static void parse(const char *xml, struct junit_document *doc)
{
    memset(doc, 0, sizeof(*doc));
    XML_Parser parser = XML_ParserCreate(NULL);
    XML_SetUserData(parser, doc);
    XML_SetElementHandler(parser, on_start, on_end);
    XML_SetCharacterDataHandler(parser, on_text);
    enum XML_Status status = XML_Parse(parser, xml, (int)strlen(xml), 1);
    cr_assert_eq(status, XML_STATUS_OK, "invalid XML: %s at line %lu\n%s",
                 XML_ErrorString(XML_GetErrorCode(parser)),
                 (unsigned long)XML_GetCurrentLineNumber(parser), xml);
    XML_ParserFree(parser);
}

Test(junit, clean_run)
{
    struct report report;
    sample_clean_report(&report);
    char *xml = render_to_string(render_junit, &report);
    struct junit_document doc;
    parse(xml, &doc);
    cr_expect_eq(doc.testsuites, 1);
    cr_expect_eq(doc.testcases, FINDING_KIND_COUNT);
    cr_expect_eq(doc.failures, 0);
    cr_expect_eq(doc.skipped, 1);
    cr_expect_str_eq(doc.suite_tests, "9");
    cr_expect_str_eq(doc.suite_failures, "0");
    cr_expect_str_eq(doc.suite_skipped, "1");
    cr_expect_str_eq(doc.system_out, "hello\n");
    free(doc.system_out);
    free(xml);
    report_free(&report);
}

Test(junit, findings_are_failures_of_their_kind)
{
    struct report report;
    sample_broken_report(&report);
    char *xml = render_to_string(render_junit, &report);
    struct junit_document doc;
    parse(xml, &doc);
    cr_expect_eq(doc.testcases, FINDING_KIND_COUNT);
    cr_expect_eq(doc.failures, 4);
    cr_expect_str_eq(doc.suite_failures, "4");
    cr_expect_str_eq(doc.failure_names, "zombie fd_leak runaway_child crash ");
    cr_expect_str_eq(doc.fd_leak_message, "pid 101: fd 3 <&\"'> was still open in /bin/sleep\n"
                                          "evidence: {\"fd\":3,\"target\":\"pipe:[42]\"}\n"
                                          "lesson: lessons/04-leaked-fds.md\n");
    free(doc.system_out);
    free(xml);
    report_free(&report);
}

Test(junit, control_characters_and_bad_bytes_cannot_break_the_xml)
{
    struct report report;
    sample_broken_report(&report);
    char *xml = render_to_string(render_junit, &report);
    struct junit_document doc;
    parse(xml, &doc);
    /* \x01 and ESC are not XML characters and \xff\xfe are not UTF-8: each
     * became U+FFFD; '<' and '&' came back as themselves. */
    cr_expect_str_eq(doc.system_out,
                     "line one <&>\n\xEF\xBF\xBD\xEF\xBF\xBD[31mred\xEF\xBF\xBD\xEF\xBF\xBD end\n"
                     "last\n[forklab kept 33 of 5000 bytes; the rest was dropped]\n");
    free(doc.system_out);
    free(xml);
    report_free(&report);
}

Test(junit, markup_in_names_and_arguments_is_escaped)
{
    struct report report;
    sample_clean_report(&report);
    free(report.argv[0]);
    report.argv[0] = strdup("a\"b<c>&]]>\n");
    char *xml = render_to_string(render_junit, &report);
    struct junit_document doc;
    parse(xml, &doc);
    cr_expect_eq(doc.testsuites, 1);
    cr_expect_not_null(strstr(xml, "name=\"forklab check a&quot;b&lt;c&gt;&amp;]]&gt;&#10;\""),
                       "%s", xml);
    free(doc.system_out);
    free(xml);
    report_free(&report);
}
