/* The text renderer: the tree, the findings, the captured output, the summary,
 * and colours only where they belong (a terminal, without NO_COLOR). */
#include "render/render.h"
#include "../terminal_safe.h"
#include "sample_report.h"

#include <criterion/criterion.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <unistd.h>

static char *render_plain(const struct report *report)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert_not_null(out);
    cr_assert_eq(render_text_styled(report, out, false), 0);
    fclose(out);
    return text;
}

#define expect_line(text, line)                                                                    \
    cr_expect_not_null(strstr(text, "\n" line "\n"), "no line \"%s\" in:\n%s", line, text)

Test(text, clean_run)
{
    struct report report;
    sample_clean_report(&report);
    char *text = render_plain(&report);
    cr_expect_eq(strncmp(text, "forklab check: true\n", 20), 0, "%s", text);
    expect_line(text, "  100 /usr/bin/true: exit 0");
    cr_expect_null(strstr(text, "Findings"));
    expect_line(text, "stdout (6 bytes)");
    expect_line(text, "  | hello");
    expect_line(text, "stderr: nothing");
    expect_line(text, "not checked: memory_leak, not run (use --valgrind)");
    expect_line(text, "forklab: no findings in 1 process; main program: exit 0 after 3 ms");
    free(text);
    report_free(&report);
}

Test(text, the_tree_shows_each_process_under_its_parent)
{
    struct report report;
    sample_broken_report(&report);
    char *text = render_plain(&report);
    cr_expect_eq(strncmp(text, "forklab check: sh -c 'sleep 9 & cat'\n", 37), 0, "%s", text);
    expect_line(text, "  100 /usr/bin/sh: exit 3");
    expect_line(text, "  +- 101 /usr/bin/sh -> /bin/sleep: stopped by forklab, not waited for "
                      "by its parent  [fd_leak, runaway_child]");
    expect_line(text, "  |  `- 103 (forked, no exec): exit 0");
    expect_line(text, "  `- 102 /bin/cat: killed by SIGSEGV (core dumped), not waited for by "
                      "its parent  [zombie, crash]");
    cr_expect_null(strstr(text, " 104 "), "a thread is not a process of the tree");
    free(text);
    report_free(&report);
}

/* Only a fork from a parent of 64 MiB or more is marked: the costly one. */
Test(text, the_tree_marks_a_fork_from_a_big_parent)
{
    struct report report;
    sample_spawn_report(&report);
    char *text = render_plain(&report);
    expect_line(text, "  +- 101 /bin/true: exit 0, forked from a 256 MiB parent");
    expect_line(text, "  +- 102 /bin/true: exit 0");
    expect_line(text, "  +- 103 (forked from a 256 MiB parent, no exec): exit 0");
    expect_line(text, "  `- 104 /bin/true: exit 0");
    expect_line(text, "forklab: no findings in 5 processes; main program: exit 0 after 3 ms");
    free(text);
    report_free(&report);
}

Test(text, findings_come_with_evidence_and_lesson)
{
    struct report report;
    sample_broken_report(&report);
    char *text = render_plain(&report);
    expect_line(text, "Findings (4)");
    expect_line(text, "  1. zombie in pid 102: process 102 (/bin/cat) ended, but its parent 100 "
                      "never waited for it");
    expect_line(text, "     evidence: parent=100, program=\"/bin/cat\"");
    expect_line(text, "     lesson:   lessons/03-zombies.md");
    expect_line(text, "  2. fd_leak in pid 101: fd 3 <&\"'> was still open in /bin/sleep");
    expect_line(text, "     evidence: fd=3, target=\"pipe:[42]\"");
    expect_line(text, "     evidence: descendants=[101,103]");
    expect_line(text, "forklab: 4 findings (1 zombie, 1 fd_leak, 1 runaway_child, 1 crash) in 4 "
                      "processes; main program: exit 3 after 1234 ms");
    free(text);
    report_free(&report);
}

Test(text, captured_output_is_shown_safely_with_the_cap_noted)
{
    struct report report;
    sample_broken_report(&report);
    char *text = render_plain(&report);
    expect_line(text, "stdout (5000 bytes; forklab kept 33 of them, the rest was dropped)");
    expect_line(text, "  | line one <&>");
    /* Control characters and bytes that are not UTF-8 must not reach the
     * terminal: each is shown as an escape that says what it was. */
    expect_line(text, "  | \\x01\\x1b[31mred\\xff\\xfe end");
    expect_line(text, "  | last");
    cr_expect_null(strchr(text, '\x1b'));
    free(text);
    report_free(&report);
}

Test(text, long_output_shows_its_head_and_its_tail)
{
    struct report report;
    sample_clean_report(&report);
    char *lines = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&lines, &size);
    for (int i = 1; i <= 50; i++)
        fprintf(out, "output line %d\n", i);
    fclose(out);
    free(report.out.data);
    report.out = (struct captured_output){.data = lines, .length = size, .total = size};
    char *text = render_plain(&report);
    expect_line(text, "  | output line 10");
    expect_line(text, "  ... 30 lines not shown (--format json has them all) ...");
    cr_expect_null(strstr(text, "output line 11\n"));
    cr_expect_null(strstr(text, "output line 40\n"));
    expect_line(text, "  | output line 41");
    expect_line(text, "  | output line 50");
    free(text);
    report_free(&report);
}

Test(text, a_very_long_line_is_cut)
{
    struct report report;
    sample_clean_report(&report);
    char long_line[1001];
    memset(long_line, 'x', 1000);
    long_line[1000] = '\0';
    free(report.out.data);
    report.out = (struct captured_output){.data = strdup(long_line), .length = 1000, .total = 1000};
    char *text = render_plain(&report);
    cr_expect_not_null(strstr(text, "x ... (800 more bytes)\n"));
    free(text);
    report_free(&report);
}

Test(text, a_big_tree_shows_its_first_processes_and_counts_the_rest)
{
    struct report report;
    sample_clean_report(&report);
    for (pid_t pid = 101; pid < 160; pid++) /* 59 children of 100: 60 processes */
        cr_assert_not_null(report_add_process(&report, pid, 100));
    char *text = render_plain(&report);
    expect_line(text, "  +- 139 (forked, no exec): still running");
    cr_expect_null(strstr(text, " 140 "), "%s", text);
    expect_line(text, "  ... 20 more processes not shown (--format json or dot has them all)");
    free(text);
    report_free(&report);
}

Test(text, long_evidence_is_cut)
{
    struct report report;
    sample_clean_report(&report);
    json_t *pids = json_array();
    for (int pid = 1000; pid < 1100; pid++)
        json_array_append_new(pids, json_integer(pid));
    cr_assert_eq(report_add_finding(&report, FINDING_NESTED_FORK, 100,
                                    json_pack("{s:i, s:o}", "forks", 100, "pids", pids),
                                    "nested forks"),
                 0);
    char *text = render_plain(&report);
    /* "[1000,1001,...": 24 pids of 5 bytes fill the 120 shown; 500 bytes in all. */
    cr_expect_not_null(strstr(text, "     evidence: forks=100, pids=[1000,1001,1002,"), "%s", text);
    cr_expect_not_null(strstr(text, ",1023 ... (381 more bytes)\n"), "%s", text);
    free(text);
    report_free(&report);
}

/* ---- colour -------------------------------------------------------------- */

/* Renders with render_text (which decides about colour itself) into `fd`. */
static void render_auto_into(int fd)
{
    struct report report;
    sample_broken_report(&report);
    FILE *out = fdopen(fd, "w");
    cr_assert_not_null(out);
    cr_assert_eq(render_text(&report, out), 0);
    fclose(out);
    report_free(&report);
}

/* Everything readable from `fd` until the summary line's end has arrived. */
static char *read_until_summary(int fd)
{
    static char text[65536];
    size_t used = 0;
    text[0] = '\0';
    while (strstr(text, " ms") == NULL && used < sizeof(text) - 1) {
        struct pollfd ready = {.fd = fd, .events = POLLIN};
        cr_assert_eq(poll(&ready, 1, 10000), 1, "the report never arrived");
        ssize_t got = read(fd, text + used, sizeof(text) - 1 - used);
        cr_assert_gt(got, 0);
        used += (size_t)got;
        text[used] = '\0';
    }
    return text;
}

static char *render_on_a_terminal(void)
{
    int controller, terminal;
    cr_assert_eq(openpty(&controller, &terminal, NULL, NULL, NULL), 0);
    render_auto_into(terminal);
    return read_until_summary(controller);
}

Test(text, a_terminal_gets_colours)
{
    unsetenv("NO_COLOR");
    char *text = render_on_a_terminal();
    cr_expect_not_null(strstr(text, "\033[31mzombie"), "%s", text);
}

Test(text, an_empty_no_color_does_not_disable_colours)
{
    setenv("NO_COLOR", "", 1);
    cr_expect_not_null(strchr(render_on_a_terminal(), '\033'));
}

Test(text, no_color_disables_colours_on_a_terminal)
{
    setenv("NO_COLOR", "1", 1);
    char *text = render_on_a_terminal();
    cr_expect_not_null(strstr(text, "zombie"));
    cr_expect_null(strchr(text, '\033'));
}

Test(text, a_pipe_gets_no_colours)
{
    unsetenv("NO_COLOR");
    int ends[2];
    cr_assert_eq(pipe(ends), 0);
    render_auto_into(ends[1]);
    char *text = read_until_summary(ends[0]);
    cr_expect_not_null(strstr(text, "zombie"));
    cr_expect_null(strchr(text, '\033'));
}

/* What a hostile program controls, everywhere the text report shows it: its
 * arguments and program names, a finding's message and evidence, its output.
 * Nothing reaches the terminal that it would act on, and the program's lines
 * stay behind the gutter, where they cannot pass for forklab's verdict. */
Test(text, nothing_a_program_chose_can_act_on_the_terminal)
{
    static const char out[] = "\033]52;c;eA==\007clipboard\n\033]0;title\007\n\033[2J\n"
                              "nul\0byte\nforklab: no findings in 1 process\n"
                              "50%\rforklab: no findings\n\x9b"
                              "31m\xc2\x9b"
                              "32m\x9d"
                              "0;x\007\n"
                              "\xe2\x80\xae"
                              "dessap\xe2\x81\xa6\n\xff\xc0\xaf";
    struct report report;
    sample_clean_report(&report);
    free(report.argv[0]);
    report.argv[0] = strdup("tru\xe2\x80\xae"
                            "e\033[8m");
    cr_assert_eq(process_record_add_program(&report.processes[0], "/tmp/\xc2\x9d"
                                                                  "evil\n"),
                 0);
    cr_assert_eq(report_add_finding(&report, FINDING_CRASH, 100,
                                    json_pack("{s:s}", "program", "\xe2\x81\xa7x\033[1m"),
                                    "it printed \033[2J and\nforklab: no findings"),
                 0);
    free(report.out.data);
    report.out.data = malloc(sizeof(out));
    memcpy(report.out.data, out, sizeof(out));
    report.out.length = report.out.total = sizeof(out) - 1;

    char *text = render_plain(&report);
    cr_expect_eq(terminal_unsafe_at(text, strlen(text)), -1, "unsafe at %ld:\n%s",
                 terminal_unsafe_at(text, strlen(text)), text);
    cr_expect_eq(strncmp(text, "forklab check: 'tru\\u202ee\\x1b[8m'\n", 35), 0, "%s", text);
    expect_line(text, "  100 /usr/bin/true -> /tmp/\\u009devil\\x0a: exit 0  [crash]");
    expect_line(text, "  1. crash in pid 100: it printed \\x1b[2J and\\x0aforklab: no findings");
    expect_line(text, "     evidence: program=\"\\u2067x\\u001B[1m\"");
    expect_line(text, "  | \\x1b]52;c;eA==\\x07clipboard");
    expect_line(text, "  | nul\\x00byte");
    expect_line(text, "  | 50%\\x0dforklab: no findings");
    expect_line(text, "  | \\x9b31m\\u009b32m\\x9d0;x\\x07");
    expect_line(text, "  | \\u202edessap\\u2066");
    expect_line(text, "  | \\xff\\xc0\\xaf");
    /* One line only starts like the verdict: the last, forklab's own. */
    size_t verdicts = strncmp(text, "forklab: ", 9) == 0;
    for (const char *line = strchr(text, '\n'); line != NULL; line = strchr(line + 1, '\n'))
        verdicts += strncmp(line + 1, "forklab: ", 9) == 0;
    cr_expect_eq(verdicts, 1, "%s", text);
    cr_expect_not_null(strstr(text, "\nforklab: 1 finding (1 crash) in 1 process; main program"));
    free(text);
    report_free(&report);
}
