/* The test-suite family (render/suite/test_suite.h) on a hand-built hostile suite,
 * each format read by real consumers: TAP by TAP::Parser and its YAML by a
 * full YAML parser (PyYAML), JUnit by expat against the attributes the JUnit
 * schema requires, Gradescope's results.json by jansson against its
 * specification. The renderers decide nothing: the score is the record's. */
#include "render/suite/test_suite.h"
#include "../terminal_safe.h"
#include "core/write/json_document.h"
#include "render/render.h"
#include "sample_report.h"

#include <criterion/criterion.h>
#include <expat.h>
#include <string.h>
#include <unistd.h>

/* What a hostile program and a careless manifest could put in a suite. */
#define HOSTILE_DETAIL "why: \033[2J\xc2\x9b\xe2\x80\xae\xff <&>\n"
/* The same, decoded by a YAML parser: the bad byte became U+FFFD. */
#define HOSTILE_DETAIL_DECODED "why: \033[2J\xc2\x9b\xe2\x80\xae\xef\xbf\xbd <&>\n"
#define HOSTILE_OUTPUT         "out <&>\n\033]52;c;eA==\007\n\xc2\x9d\xe2\x81\xa6\xfe"

static struct captured_output hostile_output = {
    .data = HOSTILE_OUTPUT, .length = sizeof(HOSTILE_OUTPUT) - 1, .total = 5000};

static struct test_case *add_case(struct test_suite *suite, const char *name,
                                  enum test_case_result result, int score, int max_score,
                                  const char *message, const char *detail)
{
    struct test_case *test = test_suite_add_case(suite, name, name, result);
    cr_assert_not_null(test);
    test->score = score;
    test->max_score = max_score;
    test->message = strdup(message);
    test->detail = strdup(detail);
    return test;
}

/* Three cases: passed (1 of 1), failed (0 of 2) with a '#' in its name and
 * a hostile reason, skipped with a line break in its reason. The score is 5,
 * which the cases do not add up to: a renderer that recounts is caught. */
static void hostile_suite(struct test_suite *suite)
{
    test_suite_init(suite);
    suite->name = strdup("forklab grade \033]0;pwned\007 # SKIP all");
    suite->classname = strdup("forklab.test");
    suite->overview = strdup("what ran\n");
    suite->summary = strdup("score 5/3: one\nline \x9b"
                            "31m");
    suite->duration_ms = 1234;
    suite->score = 5;
    suite->facts_lost = 2;
    suite->out = &hostile_output;
    suite->log = "cc: warning \033[1m\n";
    suite->log_length = strlen(suite->log);
    add_case(suite, "plain", TEST_CASE_PASSED, 1, 1, "1 of 1 points", "fine\n");
    struct test_case *failed = add_case(suite, "fails # TODO not really", TEST_CASE_FAILED, 0, 2,
                                        "0 of 2 points", HOSTILE_DETAIL);
    failed->diagnostics =
        json_pack("{s:o, s:i}", "message",
                  json_string_repaired(HOSTILE_DETAIL, sizeof(HOSTILE_DETAIL) - 1), "points", 0);
    add_case(suite, "skipped", TEST_CASE_SKIPPED, 0, 0, "not run\nreally", "Not checked.\n");
    cr_assert_eq(test_suite_add_property(suite, "a\"<b>", "c&d\001"), 0);
    cr_assert(test_suite_complete(suite));
}

static char *suite_to_string(int (*render)(const struct test_suite *, FILE *),
                             const struct test_suite *suite)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert_not_null(out);
    cr_assert_eq(render(suite, out), 0);
    cr_assert_eq(fclose(out), 0);
    return text;
}

/* Runs a consumer on `text` (as its last argument) and returns its output. */
static char *consume(const char *tool, char *const *argv_head, int head_count, const char *text,
                     int *status)
{
    if (!tool_exists(tool))
        cr_skip_test("%s is not installed", tool);
    char *input = write_temp_file(text), *output = write_temp_file("");
    char *argv[8];
    cr_assert_lt(head_count, 7);
    for (int i = 0; i < head_count; i++)
        argv[i] = argv_head[i];
    argv[head_count] = input;
    argv[head_count + 1] = NULL;
    *status = run_tool(argv, NULL, output);
    char *log = read_whole_file(output);
    unlink(input);
    unlink(output);
    free(input);
    free(output);
    return log;
}

#define expect_line(text, line)                                                                    \
    cr_expect_not_null(strstr(text, "\n" line "\n"), "no line \"%s\" in:\n%s", line, text)

/* ---- TAP ----------------------------------------------------------------- */

Test(test_suite, tap_lines_say_each_case_in_one_visible_line)
{
    struct test_suite suite;
    hostile_suite(&suite);
    char *tap = suite_to_string(test_suite_render_tap, &suite);
    cr_expect_eq(strncmp(tap, "TAP version 13\n1..3\n", 20), 0, "%s", tap);
    expect_line(tap, "# forklab grade \\x1b]0;pwned\\x07 # SKIP all");
    expect_line(tap, "# incomplete: 2 facts of this run could not be recorded (out of memory);"
                     " the findings may miss something");
    expect_line(tap, "ok 1 - plain");
    expect_line(tap, "not ok 2 - fails \\# TODO not really");
    expect_line(tap, "ok 3 - skipped # SKIP not run\\x0areally");
    expect_line(tap, "# score 5/3: one\\x0aline \\x9b31m");
    cr_expect_eq(terminal_unsafe_at(tap, strlen(tap)), -1, "%s", tap);
    free(tap);
    test_suite_free(&suite);
}

Test(test_suite, tap_shows_points_when_the_suite_has_them)
{
    struct test_suite suite;
    hostile_suite(&suite);
    suite.points_in_names = true;
    char *tap = suite_to_string(test_suite_render_tap, &suite);
    expect_line(tap, "ok 1 - plain (1/1 points)");
    expect_line(tap, "not ok 2 - fails \\# TODO not really (0/2 points)");
    free(tap);
    test_suite_free(&suite);
}

/* TAP::Parser's view: the counts, no TODO smuggled in by a name, no parse
 * error, and the YAML block read back (YAMLish keeps \u202E visible). */
static const char tap_parser_script[] =
    "use TAP::Parser;"
    "open(my $in, '<', $ARGV[0]) or die; my $tap = do { local $/; <$in> };"
    "my $p = TAP::Parser->new({tap => $tap}); my $yaml = '';"
    "while (my $r = $p->next) { $yaml = $r->data->{message} if $r->is_yaml; }"
    "$yaml =~ s/([^ -~])/sprintf('<%02x>', ord($1))/ge;"
    "printf \"passed:%s failed:%s skipped:%s todo:%s errors:%d yaml:%s\\n\","
    "  join(',', $p->passed), join(',', $p->failed), join(',', $p->skipped),"
    "  join(',', $p->todo), scalar($p->parse_errors), $yaml;";

Test(test_suite, tap_parser_reads_it_as_written)
{
    struct test_suite suite;
    hostile_suite(&suite);
    char *tap = suite_to_string(test_suite_render_tap, &suite);
    char *argv[] = {"perl", "-e", (char *)tap_parser_script};
    int status;
    char *log = consume("perl", argv, 3, tap, &status);
    cr_expect_eq(status, 0, "%s", log);
    cr_expect_str_eq(log, "passed:1,3 failed:2 skipped:3 todo: errors:0 "
                          "yaml:why: <1b>[2J<9b>\\u202E<ef><bf><bd> <&><0a>\n");
    free(log);
    free(tap);
    test_suite_free(&suite);
}

/* A full YAML parser's view of every diagnostics block, printed as JSON. */
static const char yaml_script[] =
    "import json, sys, yaml\n"
    "lines, blocks, block = open(sys.argv[1], encoding='utf-8').read().split('\\n'), [], None\n"
    "for line in lines:\n"
    "    if line == '  ---': block = []\n"
    "    elif line == '  ...': blocks.append(yaml.safe_load('\\n'.join(block))); block = None\n"
    "    elif block is not None: block.append(line)\n"
    "print(json.dumps(blocks))\n";

Test(test_suite, a_yaml_parser_reads_the_diagnostics_back_exactly)
{
    struct test_suite suite;
    hostile_suite(&suite);
    char *tap = suite_to_string(test_suite_render_tap, &suite);
    char *argv[] = {"python3", "-c", (char *)yaml_script};
    int status;
    char *log = consume("python3", argv, 3, tap, &status);
    cr_assert_eq(status, 0, "%s", log);
    json_error_t error;
    json_t *blocks = json_loads(log, 0, &error);
    cr_assert_not_null(blocks, "%s: %s", error.text, log);
    cr_assert_eq(json_array_size(blocks), 1, "%s", log);
    json_t *block = json_array_get(blocks, 0);
    cr_expect_str_eq(json_string_value(json_object_get(block, "message")), HOSTILE_DETAIL_DECODED);
    cr_expect_eq(json_integer_value(json_object_get(block, "points")), 0);
    json_decref(blocks);
    free(log);
    free(tap);
    test_suite_free(&suite);
}

/* ---- JUnit --------------------------------------------------------------- */

/* The attributes the JUnit schema (junit-10.xsd as Jenkins, GitLab and
 * Surefire read it) requires of each element forklab writes. */
static const struct {
    const char *element;
    const char *required[7];
} junit_schema[] = {
    {"testsuite", {"name", "tests", "failures", "errors", "skipped", "time", NULL}},
    {"properties", {NULL}},
    {"property", {"name", "value", NULL}},
    {"testcase", {"name", "classname", NULL}},
    {"failure", {"type", "message", NULL}},
    {"skipped", {"message", NULL}},
    {"system-out", {NULL}},
    {"system-err", {NULL}},
};

struct junit_read {
    int elements, failures, skipped, testcases;
    char *text[2]; /* system-out, system-err */
    int in_text;   /* 1 + index into text while inside one */
    char incomplete[256], property_name[64], property_value[64], suite_name[128];
};

static const char *attribute(const char **attributes, const char *name)
{
    for (int i = 0; attributes[i] != NULL; i += 2)
        if (strcmp(attributes[i], name) == 0)
            return attributes[i + 1];
    return NULL;
}

static void junit_start(void *data, const char *name, const char **attributes)
{
    struct junit_read *read = data;
    size_t known = sizeof(junit_schema) / sizeof(junit_schema[0]), i;
    for (i = 0; i < known && strcmp(junit_schema[i].element, name) != 0; i++)
        ;
    cr_assert_lt(i, known, "<%s> is not a JUnit element", name);
    for (const char *const *required = junit_schema[i].required; *required != NULL; required++)
        cr_expect_not_null(attribute(attributes, *required), "<%s> without %s", name, *required);
    read->elements++;
    read->failures += strcmp(name, "failure") == 0;
    read->skipped += strcmp(name, "skipped") == 0;
    read->testcases += strcmp(name, "testcase") == 0;
    if (strcmp(name, "testsuite") == 0)
        snprintf(read->suite_name, sizeof(read->suite_name), "%s", attribute(attributes, "name"));
    if (strcmp(name, "property") == 0) {
        const char *property = attribute(attributes, "name");
        if (strcmp(property, "incomplete") == 0)
            snprintf(read->incomplete, sizeof(read->incomplete), "%s",
                     attribute(attributes, "value"));
        else
            snprintf(read->property_name, sizeof(read->property_name), "%s", property),
                snprintf(read->property_value, sizeof(read->property_value), "%s",
                         attribute(attributes, "value"));
    }
    read->in_text = strcmp(name, "system-out") == 0 ? 1 : strcmp(name, "system-err") == 0 ? 2 : 0;
}

static void junit_end(void *data, const char *name)
{
    (void)name;
    ((struct junit_read *)data)->in_text = 0;
}

static void junit_text(void *data, const char *text, int length)
{
    struct junit_read *read = data;
    if (read->in_text == 0)
        return;
    char **kept = &read->text[read->in_text - 1];
    size_t used = *kept != NULL ? strlen(*kept) : 0;
    *kept = realloc(*kept, used + (size_t)length + 1);
    memcpy(*kept + used, text, (size_t)length);
    (*kept)[used + (size_t)length] = '\0';
}

static void junit_parse(const char *xml, struct junit_read *read)
{
    memset(read, 0, sizeof(*read));
    XML_Parser parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser, read);
    XML_SetElementHandler(parser, junit_start, junit_end);
    XML_SetCharacterDataHandler(parser, junit_text);
    cr_assert_eq(XML_Parse(parser, xml, (int)strlen(xml), 1), XML_STATUS_OK, "%s at line %lu:\n%s",
                 XML_ErrorString(XML_GetErrorCode(parser)),
                 (unsigned long)XML_GetCurrentLineNumber(parser), xml);
    XML_ParserFree(parser);
}

Test(test_suite, junit_has_every_required_attribute_and_escapes_every_text)
{
    struct test_suite suite;
    hostile_suite(&suite);
    char *xml = suite_to_string(test_suite_render_junit, &suite);
    struct junit_read read;
    junit_parse(xml, &read);
    cr_expect_eq(read.testcases, 3);
    cr_expect_eq(read.failures, 1);
    cr_expect_eq(read.skipped, 1);
    cr_expect_not_null(strstr(xml, " tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" "
                                   "time=\"1.234\""),
                       "%s", xml);
    /* XML cannot hold ESC or BEL: they came back as U+FFFD; the rest exactly. */
    cr_expect_str_eq(read.suite_name, "forklab grade \xef\xbf\xbd]0;pwned\xef\xbf\xbd # SKIP all");
    cr_expect_str_eq(read.property_name, "a\"<b>");
    cr_expect_str_eq(read.property_value, "c&d\xef\xbf\xbd");
    cr_expect_str_eq(read.incomplete, "incomplete: 2 facts of this run could not be recorded "
                                      "(out of memory); the findings may miss something");
    cr_expect_str_eq(read.text[0], "out <&>\n\xef\xbf\xbd]52;c;eA==\xef\xbf\xbd\n\xc2\x9d"
                                   "\xe2\x81\xa6\xef\xbf\xbd\n"
                                   "[forklab kept 27 of 5000 bytes; the rest was dropped]\n");
    cr_expect_str_eq(read.text[1], "cc: warning \xef\xbf\xbd[1m\n", "the log opens system-err");
    free(read.text[0]);
    free(read.text[1]);
    free(xml);
    test_suite_free(&suite);
}

/* ---- Gradescope ------------------------------------------------------------ */

Test(test_suite, gradescope_takes_the_score_from_the_record)
{
    struct test_suite suite;
    hostile_suite(&suite);
    char *text = suite_to_string(test_suite_render_gradescope, &suite);
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    cr_assert_not_null(root, "%s: %s", error.text, text);
    cr_expect_eq(json_integer_value(json_object_get(root, "score")), 5);
    cr_expect_float_eq(json_number_value(json_object_get(root, "execution_time")), 1.234, 1e-9);
    cr_expect_str_eq(json_string_value(json_object_get(root, "visibility")), "visible");
    const char *output = json_string_value(json_object_get(root, "output"));
    cr_assert_not_null(output);
    cr_expect_eq(strncmp(output, "incomplete: 2 facts", 19), 0, "%s", output);
    cr_expect_not_null(strstr(output, "what ran\n\nstdout (5000 bytes):\nout <&>\n"), "%s", output);
    json_t *tests = json_object_get(root, "tests");
    cr_assert_eq(json_array_size(tests), 3);
    const char *statuses[] = {"passed", "failed", NULL};
    const int max_scores[] = {1, 2, 0};
    for (size_t i = 0; i < 3; i++) {
        json_t *test = json_array_get(tests, i);
        cr_expect_str_eq(json_string_value(json_object_get(test, "name")), suite.cases[i].name);
        cr_expect_eq(json_integer_value(json_object_get(test, "max_score")), max_scores[i]);
        cr_expect(json_is_integer(json_object_get(test, "score")));
        cr_expect(json_is_string(json_object_get(test, "output")));
        cr_expect_str_eq(json_string_value(json_object_get(test, "visibility")), "visible");
        if (statuses[i] == NULL)
            cr_expect_null(json_object_get(test, "status"), "a skipped case has no status");
        else
            cr_expect_str_eq(json_string_value(json_object_get(test, "status")), statuses[i]);
    }
    /* The bad byte became U+FFFD, the rest is exact: JSON is for machines. */
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(tests, 1), "output")),
                     HOSTILE_DETAIL_DECODED);
    json_decref(root);
    free(text);
    test_suite_free(&suite);
}

/* ---- a check report as a suite --------------------------------------------- */

Test(test_suite, a_check_report_adapts_one_case_per_kind_and_counts_the_score)
{
    struct report report;
    sample_broken_report(&report);
    struct test_suite suite;
    cr_assert_eq(check_report_to_test_suite(&report, &suite), 0);
    cr_assert_eq(suite.case_count, FINDING_KIND_COUNT);
    cr_expect_str_eq(suite.name, "forklab check sh");
    /* 8 kinds ran, 4 had findings; memory_leak did not run. */
    cr_expect_eq(suite.score, 4);
    int sum = 0;
    for (size_t i = 0; i < suite.case_count; i++) {
        cr_expect_str_eq(suite.cases[i].name, finding_kind_name((int)i));
        sum += suite.cases[i].score;
    }
    cr_expect_eq(sum, suite.score);
    cr_expect_eq(suite.cases[FINDING_ZOMBIE].result, TEST_CASE_FAILED);
    cr_expect_str_eq(suite.cases[FINDING_ZOMBIE].message, "1 zombie finding");
    cr_expect_eq(suite.cases[FINDING_BAD_CLOSE].result, TEST_CASE_PASSED);
    cr_expect_eq(suite.cases[FINDING_MEMORY_LEAK].result, TEST_CASE_SKIPPED);
    cr_expect_eq(suite.cases[FINDING_MEMORY_LEAK].max_score, 0);
    cr_expect_str_eq(suite.cases[FINDING_MEMORY_LEAK].message, "not run (use --valgrind)");
    test_suite_free(&suite);
    report_free(&report);
}

/* A report that lost facts says "incomplete" in each of the three formats. */
Test(test_suite, an_incomplete_check_says_so_in_every_format)
{
    struct report report;
    sample_clean_report(&report);
    report.facts_lost = 1;
    const char *incomplete = "incomplete: 1 fact of this run could not be recorded (out of "
                             "memory); the findings may miss something";
    char *tap = render_to_string(render_tap, &report);
    char line[256];
    snprintf(line, sizeof(line), "\n# %s\n", incomplete);
    cr_expect_not_null(strstr(tap, line), "%s", tap);
    char *xml = render_to_string(render_junit, &report);
    struct junit_read read;
    junit_parse(xml, &read);
    cr_expect_str_eq(read.incomplete, incomplete);
    free(read.text[0]);
    free(read.text[1]);
    char *results = render_to_string(render_gradescope, &report);
    json_t *root = json_loads(results, 0, NULL);
    cr_assert_not_null(root);
    const char *output = json_string_value(json_object_get(root, "output"));
    cr_expect_eq(strncmp(output, incomplete, strlen(incomplete)), 0, "%s", output);
    json_decref(root);
    free(results);
    free(xml);
    free(tap);
    report_free(&report);
}
