/* The dot renderer: the graph's shape, escaping of labels, and, where
 * Graphviz is installed, `dot` itself accepting the output. */
#include "render/render.h"
#include "sample_report.h"

#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

Test(dot, nodes_edges_and_highlighted_findings)
{
    struct report report;
    sample_broken_report(&report);
    char *dot = render_to_string(render_dot, &report);
    cr_expect_eq(strncmp(dot, "digraph forklab {\n", 18), 0, "%s", dot);
    cr_expect_not_null(strstr(dot, "  p0 [label=\"100\\n/usr/bin/sh\\nexit 3\"];\n"), "%s", dot);
    cr_expect_not_null(strstr(dot, "  p2 [label=\"102\\n/bin/cat\\nkilled by SIGSEGV (core "
                                   "dumped)\\nzombie\\ncrash\", color=red"),
                       "%s", dot);
    cr_expect_not_null(strstr(dot, "  p3 [label=\"103\\n(forked, no exec)\\nexit 0\"];\n"));
    cr_expect_not_null(strstr(dot, "  p0 -> p1;\n"));
    cr_expect_not_null(strstr(dot, "  p0 -> p2;\n"));
    cr_expect_not_null(strstr(dot, "  p1 -> p3;\n"));
    cr_expect_null(strstr(dot, "p4"), "the thread is not drawn");
    cr_expect_eq(strcmp(dot + strlen(dot) - 2, "}\n"), 0);
    free(dot);
    report_free(&report);
}

static struct report report_with_a_hostile_program(void)
{
    struct report report;
    sample_clean_report(&report);
    cr_assert_eq(process_record_add_program(&report.processes[0], "/tmp/a\"b\\n\x01}\xff"), 0);
    return report;
}

Test(dot, labels_are_escaped)
{
    struct report report = report_with_a_hostile_program();
    char *dot = render_to_string(render_dot, &report);
    cr_expect_not_null(strstr(dot, "\\n/tmp/a\\\"b\\\\n\xEF\xBF\xBD}\xEF\xBF\xBD\\nexit 0\""), "%s",
                       dot);
    free(dot);
    report_free(&report);
}

Test(dot, graphviz_accepts_the_output)
{
    if (!tool_exists("dot"))
        cr_skip_test("graphviz's dot is not installed, so its parse was not checked "
                     "(apt-get install graphviz)");
    struct report hostile = report_with_a_hostile_program(), sample;
    sample_broken_report(&sample);
    const struct report *reports[] = {&hostile, &sample};
    for (int i = 0; i < 2; i++) {
        char *dot = render_to_string(render_dot, reports[i]);
        char *input = write_temp_file(dot), *output = write_temp_file("");
        char *argv[] = {"dot", "-Tsvg", "-o", "/dev/null", NULL};
        int status = run_tool(argv, input, output);
        char *log = read_whole_file(output);
        cr_expect_eq(status, 0, "dot refused:\n%s\n%s", log, dot);
        cr_expect_str_eq(log, "", "dot warned:\n%s", log);
        unlink(input);
        unlink(output);
        free(input);
        free(output);
        free(log);
        free(dot);
    }
    report_free(&hostile);
    report_free(&sample);
}
