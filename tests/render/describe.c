/* The shared wording and helpers of the renderers: signal names, process
 * ends, UTF-8 repair, the parent links of the tree, which kinds ran. */
#include "render/render.h"
#include "sample_report.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

Test(describe, signal_names_come_from_the_c_library)
{
    char name[SIGNAL_NAME_SIZE];
    cr_expect_str_eq(signal_name(SIGSEGV, name), "SIGSEGV");
    cr_expect_str_eq(signal_name(SIGKILL, name), "SIGKILL");
    cr_expect_str_eq(signal_name(SIGPIPE, name), "SIGPIPE");
    cr_expect_str_eq(signal_name(SIGRTMIN + 3, name), "SIGRTMIN+3");
    cr_expect_str_eq(signal_name(SIGRTMIN, name), "SIGRTMIN");
    cr_expect_str_eq(signal_name(200, name), "signal 200");
}

Test(describe, every_way_a_process_ends)
{
    char end[PROCESS_END_SIZE];
    cr_expect_str_eq(process_end_describe(PROCESS_EXITED, 0, false, end), "exit 0");
    cr_expect_str_eq(process_end_describe(PROCESS_EXITED, 3, false, end), "exit 3");
    cr_expect_str_eq(process_end_describe(PROCESS_SIGNALED, SIGSEGV, true, end),
                     "killed by SIGSEGV (core dumped)");
    cr_expect_str_eq(process_end_describe(PROCESS_SIGNALED, SIGTERM, false, end),
                     "killed by SIGTERM");
    cr_expect_str_eq(process_end_describe(PROCESS_STOPPED_BY_HARNESS, SIGKILL, false, end),
                     "stopped by forklab");
    cr_expect_str_eq(process_end_describe(PROCESS_RUNNING, 0, false, end), "still running");
}

Test(describe, utf8_decode_accepts_valid_characters)
{
    size_t size;
    cr_expect_eq(utf8_decode("A", 1, &size), 'A');
    cr_expect_eq(size, 1);
    cr_expect_eq(utf8_decode("\xC3\xA9", 2, &size), 0xE9); /* é */
    cr_expect_eq(size, 2);
    cr_expect_eq(utf8_decode("\xE2\x82\xAC", 3, &size), 0x20AC); /* € */
    cr_expect_eq(size, 3);
    cr_expect_eq(utf8_decode("\xF0\x9F\x98\x80", 4, &size), 0x1F600);
    cr_expect_eq(size, 4);
}

Test(describe, utf8_decode_rejects_malformed_sequences_one_byte_at_a_time)
{
    static const char *const bad[] = {
        "\x80",             /* a continuation byte alone */
        "\xC0\x80",         /* overlong NUL */
        "\xE0\x80\xBC",     /* overlong '<' */
        "\xED\xA0\x80",     /* a UTF-16 surrogate */
        "\xF4\x90\x80\x80", /* beyond U+10FFFF */
        "\xFF",             /* never valid */
        "\xE2\x82",         /* cut short */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t size = 99;
        cr_expect_eq(utf8_decode(bad[i], strlen(bad[i]), &size), UTF8_INVALID, "case %zu", i);
        cr_expect_eq(size, 1, "case %zu", i);
    }
}

Test(describe, utf8_repair_replaces_each_bad_byte_and_keeps_the_rest)
{
    size_t length;
    char *repaired = utf8_repair("a\xFF\xC3\xA9\xE2\x82", 6, &length);
    cr_assert_not_null(repaired);
    cr_expect_str_eq(repaired, "a\xEF\xBF\xBD\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD");
    cr_expect_eq(length, strlen(repaired));
    free(repaired);

    repaired = utf8_repair("x\0y", 3, &length); /* NULs are valid and kept */
    cr_expect_eq(length, 3);
    cr_expect_eq(memcmp(repaired, "x\0y", 4), 0);
    free(repaired);
}

Test(describe, parents_are_found_by_pid_and_threads_are_left_out)
{
    struct report report;
    sample_broken_report(&report);
    long *parents = process_parent_indexes(&report);
    cr_assert_not_null(parents);
    cr_expect_eq(parents[0], -1); /* 100, the main process */
    cr_expect_eq(parents[1], 0);  /* 101 under 100 */
    cr_expect_eq(parents[2], 0);  /* 102 under 100 */
    cr_expect_eq(parents[3], 1);  /* 103 under 101 */
    cr_expect_eq(parents[4], -1); /* 104 is a thread */
    free(parents);
    report_free(&report);
}

Test(describe, a_reused_pid_never_makes_a_loop)
{
    struct report report;
    report_init(&report);
    /* 7 is created by 5, ends; later a new 5 is created by 7's pid reused. */
    cr_assert_not_null(report_add_process(&report, 5, 1));
    cr_assert_not_null(report_add_process(&report, 7, 5));
    cr_assert_not_null(report_add_process(&report, 5, 7));
    long *parents = process_parent_indexes(&report);
    cr_expect_eq(parents[0], -1);
    cr_expect_eq(parents[1], 0);
    cr_expect_eq(parents[2], 1); /* the earlier 7, never itself or a later record */
    free(parents);
    report_free(&report);
}

Test(describe, memory_leak_is_checked_only_with_the_valgrind_pass)
{
    struct report report;
    sample_clean_report(&report);
    cr_expect(report_kind_checked(&report, FINDING_ZOMBIE));
    cr_expect_not(report_kind_checked(&report, FINDING_MEMORY_LEAK));
    cr_expect_str_eq(finding_kind_skip_reason(FINDING_MEMORY_LEAK), "not run (use --valgrind)");
    cr_assert_eq(report_add_check(&report, "valgrind-memcheck"), 0);
    cr_expect(report_kind_checked(&report, FINDING_MEMORY_LEAK));
    report_free(&report);
}

Test(describe, a_kind_with_a_finding_is_never_shown_as_not_run)
{
    struct report report;
    report_init(&report);
    cr_assert_eq(report_add_finding(&report, FINDING_MEMORY_LEAK, 9, json_object(), "leak"), 0);
    cr_expect(report_kind_checked(&report, FINDING_MEMORY_LEAK));
    cr_expect_not(report_kind_checked(&report, FINDING_ZOMBIE));
    report_free(&report);
}

Test(describe, formats_are_found_by_name)
{
    cr_expect_eq(renderer_by_name("text"), render_text);
    cr_expect_eq(renderer_by_name("json"), render_json);
    cr_expect_eq(renderer_by_name("tap"), render_tap);
    cr_expect_eq(renderer_by_name("junit"), render_junit);
    cr_expect_eq(renderer_by_name("gradescope"), render_gradescope);
    cr_expect_eq(renderer_by_name("dot"), render_dot);
    cr_expect_null(renderer_by_name("xml"));
    cr_expect_null(renderer_by_name(""));
}
