/* A test suite as JUnit XML for CI dashboards: one <testsuite>, one
 * <testcase> per case, the program's output in <system-out>/<system-err>.
 * Written through the XML writer, so no text can break the document. The
 * attributes are those the JUnit schema requires (name, tests, failures,
 * errors, skipped, time; a case's classname and name). */
#include "core/describe.h"
#include "render/suite/test_suite.h"
#include "render/suite/xml_writer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void put_number(struct xml_writer *xml, const char *name, size_t number)
{
    char text[32];
    snprintf(text, sizeof(text), "%zu", number);
    xml_attribute(xml, name, text);
}

static void put_property(struct xml_writer *xml, const char *name, const char *value)
{
    xml_start(xml, "property");
    xml_attribute(xml, "name", name);
    xml_attribute(xml, "value", value);
    xml_end(xml);
}

static void put_properties(struct xml_writer *xml, const struct test_suite *suite)
{
    if (suite->property_count == 0 && suite->facts_lost == 0)
        return;
    xml_start(xml, "properties");
    for (size_t i = 0; i < suite->property_count; i++)
        put_property(xml, suite->properties[i].name, suite->properties[i].value);
    if (suite->facts_lost > 0) {
        char incomplete[FACTS_LOST_SIZE];
        put_property(xml, "incomplete", facts_lost_describe(suite->facts_lost, incomplete));
    }
    xml_end(xml);
}

static void put_case(struct xml_writer *xml, const struct test_suite *suite,
                     const struct test_case *test)
{
    xml_start(xml, "testcase");
    xml_attribute(xml, "classname", suite->classname);
    xml_attribute(xml, "name", test->name);
    if (test->result == TEST_CASE_SKIPPED) {
        xml_start(xml, "skipped");
        xml_attribute(xml, "message", test->message);
        xml_end(xml);
    } else if (test->result == TEST_CASE_FAILED) {
        xml_start(xml, "failure");
        xml_attribute(xml, "type", test->id);
        xml_attribute(xml, "message", test->message);
        xml_text(xml, test->detail, strlen(test->detail));
        xml_end(xml);
    }
    xml_end(xml);
}

/* What the program wrote on one stream, and a note when the cap cut it. */
static void put_stream(struct xml_writer *xml, const struct captured_output *output)
{
    if (output == NULL)
        return;
    xml_text(xml, output->data, output->length);
    if (output->total > output->length) {
        char note[128];
        int length = snprintf(note, sizeof(note),
                              "\n[forklab kept %zu of %zu bytes; the rest was dropped]\n",
                              output->length, output->total);
        xml_text(xml, note, (size_t)length);
    }
}

int test_suite_render_junit(const struct test_suite *suite, FILE *out)
{
    size_t failures = 0, skipped = 0;
    for (size_t i = 0; i < suite->case_count; i++) {
        failures += suite->cases[i].result == TEST_CASE_FAILED;
        skipped += suite->cases[i].result == TEST_CASE_SKIPPED;
    }
    char time[32];
    snprintf(time, sizeof(time), "%ld.%03ld", suite->duration_ms / 1000, suite->duration_ms % 1000);

    struct xml_writer xml;
    xml_writer_begin(&xml, out);
    xml_start(&xml, "testsuite");
    xml_attribute(&xml, "name", suite->name);
    put_number(&xml, "tests", suite->case_count);
    put_number(&xml, "failures", failures);
    put_number(&xml, "errors", 0);
    put_number(&xml, "skipped", skipped);
    xml_attribute(&xml, "time", time);
    put_properties(&xml, suite);
    for (size_t i = 0; i < suite->case_count; i++)
        put_case(&xml, suite, &suite->cases[i]);
    xml_start(&xml, "system-out");
    xml_text(&xml, "", 0);
    put_stream(&xml, suite->out);
    xml_end(&xml);
    xml_start(&xml, "system-err");
    xml_text(&xml, suite->log != NULL ? suite->log : "", suite->log_length);
    put_stream(&xml, suite->err);
    xml_end(&xml);
    xml_end(&xml);
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}
