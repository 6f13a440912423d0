/* The TAP renderer, checked line by line and then read by real consumers:
 * `prove` and Perl's TAP::Parser, which also parses the YAML diagnostics. */
#include "render/render.h"
#include "sample_report.h"

#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#define expect_line(text, line)                                                                    \
    cr_expect_not_null(strstr(text, "\n" line "\n"), "no line \"%s\" in:\n%s", line, text)

Test(tap, one_test_per_kind_and_a_skip_for_what_did_not_run)
{
    struct report report;
    sample_clean_report(&report);
    char *tap = render_to_string(render_tap, &report);
    cr_expect_eq(strncmp(tap, "TAP version 13\n1..9\n", 20), 0, "%s", tap);
    for (int kind = 0; kind < FINDING_KIND_COUNT - 1; kind++) {
        char line[64];
        snprintf(line, sizeof(line), "\nok %d - %s\n", kind + 1, finding_kind_name(kind));
        cr_expect_not_null(strstr(tap, line), "no %s in:\n%s", line, tap);
    }
    expect_line(tap, "ok 9 - memory_leak # SKIP not run (use --valgrind)");
    cr_expect_null(strstr(tap, "not ok"));
    free(tap);
    report_free(&report);
}

Test(tap, a_kind_with_findings_fails_with_yaml_diagnostics)
{
    struct report report;
    sample_broken_report(&report);
    char *tap = render_to_string(render_tap, &report);
    expect_line(tap, "not ok 1 - zombie");
    expect_line(tap, "  ---");
    expect_line(tap, "  message: \"1 zombie finding\"");
    expect_line(tap, "  lesson: \"lessons/03-zombies.md\"");
    expect_line(tap, "  findings:");
    expect_line(tap, "    - pid: 102");
    expect_line(tap, "      evidence:");
    expect_line(tap, "        parent: 100");
    expect_line(tap, "  ...");
    expect_line(tap, "ok 3 - bad_close");
    expect_line(tap, "      message: \"fd 3 <&\\\"'> was still open in /bin/sleep\"");
    expect_line(tap, "        descendants:");
    expect_line(tap, "          - 101");
    free(tap);
    report_free(&report);
}

/* Runs `prove -e cat FILE` on the TAP and returns its exit status; its output
 * is left in *log (the caller frees it). */
static int prove(const char *tap, char **log)
{
    if (!tool_exists("prove"))
        cr_skip_test("prove (Perl's TAP harness) is not installed");
    char *input = write_temp_file(tap);
    char *output = write_temp_file("");
    char *argv[] = {"prove", "-v", "-e", "cat", input, NULL};
    int status = run_tool(argv, NULL, output);
    *log = read_whole_file(output);
    unlink(input);
    unlink(output);
    free(input);
    free(output);
    return status;
}

Test(tap, prove_passes_a_clean_run)
{
    struct report report;
    sample_clean_report(&report);
    char *tap = render_to_string(render_tap, &report), *log;
    cr_expect_eq(prove(tap, &log), 0, "prove failed:\n%s", log);
    cr_expect_not_null(strstr(log, "Result: PASS"), "%s", log);
    cr_expect_not_null(strstr(log, "Tests=9,"), "%s", log);
    free(log);
    free(tap);
    report_free(&report);
}

Test(tap, prove_fails_a_broken_run_on_exactly_its_kinds)
{
    struct report report;
    sample_broken_report(&report);
    char *tap = render_to_string(render_tap, &report), *log;
    cr_expect_neq(prove(tap, &log), 0);
    cr_expect_not_null(strstr(log, "Failed 4/9 subtests"), "%s", log);
    cr_expect_not_null(strstr(log, "Failed tests:  1-2, 5, 8"), "%s", log);
    cr_expect_null(strstr(log, "Parse errors"), "%s", log);
    free(log);
    free(tap);
    report_free(&report);
}

/* TAP::Parser reads the YAML block of each failing test back into data; this
 * prints "kind pid message" for each finding, the fields as Perl sees them. */
static const char yaml_dump_script[] =
    "use TAP::Parser;"
    "open(my $in, '<', $ARGV[0]) or die; my $tap = do { local $/; <$in> };"
    "my $p = TAP::Parser->new({tap => $tap}); my $test;"
    "while (my $r = $p->next) {"
    "  $test = $r->description if $r->is_test;"
    "  next unless $r->is_yaml; my $d = $r->data;"
    "  print \"$test $_->{pid} $_->{message}|\" for @{$d->{findings}};"
    "}"
    "print \"skipped:\", join(',', $p->skipped), \" errors:\", scalar($p->parse_errors), \"\\n\";";

Test(tap, tap_parser_reads_the_yaml_diagnostics_back)
{
    if (!tool_exists("perl"))
        cr_skip_test("perl is not installed");
    struct report report;
    sample_broken_report(&report);
    char *tap = render_to_string(render_tap, &report);
    char *input = write_temp_file(tap);
    char *output = write_temp_file("");
    char *argv[] = {"perl", "-e", (char *)yaml_dump_script, input, NULL};
    cr_assert_eq(run_tool(argv, NULL, output), 0);
    char *log = read_whole_file(output);
    cr_expect_str_eq(
        log, "- zombie 102 process 102 (/bin/cat) ended, but its parent 100 never "
             "waited for it|"
             "- fd_leak 101 fd 3 <&\"'> was still open in /bin/sleep|"
             "- runaway_child 101 process 101 was still running when the program "
             "ended|"
             "- crash 102 process 102 (/bin/cat) was killed by SIGSEGV|skipped:9 errors:0\n");
    unlink(input);
    unlink(output);
    free(input);
    free(output);
    free(log);
    free(tap);
    report_free(&report);
}

Test(tap, control_characters_in_a_message_are_escaped_in_yaml)
{
    struct report report;
    report_init(&report);
    cr_assert_eq(report_add_check(&report, "trace"), 0);
    cr_assert_eq(report_add_finding(&report, FINDING_CRASH, 7, json_object(), "a\nb\t\x01\\c"), 0);
    char *tap = render_to_string(render_tap, &report);
    expect_line(tap, "    - pid: 7");
    expect_line(tap, "      message: \"a\\nb\\t\\x01\\\\c\"");
    expect_line(tap, "      evidence: {}");
    free(tap);
    report_free(&report);
}
