/* The lesson a finding points to follows its evidence (lesson_choice.c), and
 * every format shows it: per finding where findings are listed one by one,
 * each distinct lesson once where a format reports a whole kind. */
#include "core/lesson_choice.h"
#include "render/render.h"
#include "sample_report.h"

#include <criterion/criterion.h>
#include <string.h>

static const char *lesson_of(enum finding_kind kind, const char *evidence_text)
{
    json_error_t error;
    json_t *evidence = json_loads(evidence_text, 0, &error);
    cr_assert_not_null(evidence, "%s: %s", evidence_text, error.text);
    const char *lesson = lesson_choose(kind, finding_reason_of(evidence), evidence);
    json_decref(evidence);
    return lesson;
}

Test(lessons, a_timeout_follows_its_reason)
{
    struct {
        const char *evidence, *lesson;
    } cases[] = {
        {"{\"timeout_ms\": 1000, \"processes\": []}", "lessons/04-leaked-fds.md"},
        {"{\"reason\": \"fork_with_threads\"}", "lessons/06-fork-with-threads.md"},
        {"{\"reason\": \"pipe_cycle\", \"cycle\": [1, 2]}", "lessons/08-pipe-deadlock.md"},
        {"{\"reason\": \"signal_blocked\"}", "lessons/12-inherited-signals.md"},
        {"{\"reason\": \"signal_ignored\"}", "lessons/12-inherited-signals.md"},
        {"{\"reason\": \"something new\"}", "lessons/04-leaked-fds.md"},
        {"{\"reason\": 3}", "lessons/04-leaked-fds.md"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_expect_str_eq(lesson_of(FINDING_TIMEOUT, cases[i].evidence), cases[i].lesson, "%s",
                         cases[i].evidence);
}

Test(lessons, a_runaway_orphan_goes_to_13_or_12_and_a_failed_exec_to_02)
{
    cr_expect_str_eq(lesson_of(FINDING_RUNAWAY_CHILD, "{\"reason\": \"orphan\"}"),
                     "lessons/13-orphans.md");
    cr_expect_str_eq(lesson_of(FINDING_RUNAWAY_CHILD,
                               "{\"reason\": \"orphan\", \"signal\": {\"signal\": \"SIGTERM\"}}"),
                     "lessons/12-inherited-signals.md");
    cr_expect_str_eq(lesson_of(FINDING_RUNAWAY_CHILD, "{\"reason\": \"exec_failed\"}"),
                     "lessons/02-runaway-children.md");
    cr_expect_str_eq(lesson_of(FINDING_RUNAWAY_CHILD, "{}"), "lessons/02-runaway-children.md");
}

Test(lessons, other_kinds_keep_their_own_lesson_whatever_the_evidence)
{
    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++) {
        if (kind == FINDING_TIMEOUT || kind == FINDING_RUNAWAY_CHILD)
            continue;
        cr_expect_str_eq(lesson_of(kind, "{\"reason\": \"pipe_cycle\", \"signal\": {}}"),
                         finding_kind_lesson(kind), "%s", finding_kind_name(kind));
    }
}

/* Two runaway children, an orphan and a failed exec, and a timeout with a
 * cycle: each finding with its own lesson. */
static void two_lesson_report(struct report *report)
{
    sample_clean_report(report);
    cr_assert_eq(report_add_finding(report, FINDING_RUNAWAY_CHILD, 101,
                                    json_pack("{s:s}", "reason", "orphan"), "an orphan"),
                 0);
    cr_assert_eq(report_add_finding(report, FINDING_RUNAWAY_CHILD, 102,
                                    json_pack("{s:s}", "reason", "exec_failed"), "a failed exec"),
                 0);
    cr_assert_eq(report_add_finding(report, FINDING_RUNAWAY_CHILD, 103,
                                    json_pack("{s:s}", "reason", "orphan"), "another orphan"),
                 0);
    cr_assert_eq(
        report_add_finding(report, FINDING_TIMEOUT, 100,
                           json_pack("{s:s, s:[i, i]}", "reason", "pipe_cycle", "cycle", 100, 101),
                           "a pipe deadlock"),
        0);
}

Test(lessons, a_kind_lists_each_lesson_of_its_findings_once)
{
    struct report report;
    two_lesson_report(&report);
    char text[256];
    cr_expect_str_eq(report_kind_lessons(&report, FINDING_RUNAWAY_CHILD, text, sizeof(text)),
                     "lessons/13-orphans.md and lessons/02-runaway-children.md");
    cr_expect_str_eq(report_kind_lessons(&report, FINDING_TIMEOUT, text, sizeof(text)),
                     "lessons/08-pipe-deadlock.md");
    cr_expect_str_eq(report_kind_lessons(&report, FINDING_ZOMBIE, text, sizeof(text)),
                     "lessons/03-zombies.md", "no finding: the kind's own");
    report_free(&report);
}

Test(lessons, every_format_shows_the_lesson_the_evidence_chose)
{
    struct report report;
    two_lesson_report(&report);
    char *text = render_to_string(render_text, &report);
    cr_expect_not_null(strstr(text, "cycle=[100,101]\n     lesson:   lessons/08-pipe-deadlock.md"),
                       "%s", text);
    cr_expect_not_null(strstr(text, "reason=\"orphan\"\n     lesson:   lessons/13-orphans.md"),
                       "%s", text);
    free(text);

    char *json = render_to_string(render_json, &report);
    json_t *root = json_loads(json, 0, NULL);
    cr_assert_not_null(root);
    json_t *findings = json_object_get(root, "findings");
    const char *expected[] = {"lessons/13-orphans.md", "lessons/02-runaway-children.md",
                              "lessons/13-orphans.md", "lessons/08-pipe-deadlock.md"};
    cr_assert_eq(json_array_size(findings), 4);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(json_string_value(json_object_get(json_array_get(findings, i), "lesson")),
                         expected[i]);
    json_decref(root);
    free(json);

    const char *both = "lessons/13-orphans.md and lessons/02-runaway-children.md";
    char *tap = render_to_string(render_tap, &report);
    cr_expect_not_null(strstr(tap, both), "%s", tap);
    cr_expect_not_null(strstr(tap, "lessons/08-pipe-deadlock.md"), "%s", tap);
    free(tap);
    char *junit = render_to_string(render_junit, &report);
    cr_expect_not_null(strstr(junit, both), "%s", junit);
    free(junit);
    char *gradescope = render_to_string(render_gradescope, &report);
    cr_expect_not_null(strstr(gradescope, both), "%s", gradescope);
    free(gradescope);
    report_free(&report);
}

Test(lessons, every_reason_has_one_name_that_reads_back_as_itself)
{
    cr_expect_null(finding_reason_name(REASON_NONE));
    cr_expect_null(finding_reason_name(REASON_COUNT));
    for (int reason = REASON_NONE + 1; reason < REASON_COUNT; reason++) {
        const char *name = finding_reason_name(reason);
        cr_assert_not_null(name, "reason %d has no name", reason);
        json_t *evidence = json_object();
        cr_assert_eq(evidence_set_reason(evidence, reason), 0);
        cr_expect_str_eq(json_string_value(json_object_get(evidence, "reason")), name);
        cr_expect_eq(finding_reason_of(evidence), reason, "%s", name);
        json_decref(evidence);
        for (int other = REASON_NONE + 1; other < reason; other++)
            cr_expect_str_neq(finding_reason_name(other), name, "two reasons named %s", name);
    }
}

Test(lessons, a_finding_keeps_the_reason_its_evidence_names)
{
    struct report report;
    report_init(&report);
    json_t *evidence = json_object();
    evidence_set_reason(evidence, REASON_PIPE_CYCLE);
    cr_assert_eq(report_add_finding(&report, FINDING_TIMEOUT, 1, evidence, "stuck"), 0);
    cr_expect_eq(report.findings[0].reason, REASON_PIPE_CYCLE);
    cr_expect_str_eq(report.findings[0].lesson, "lessons/08-pipe-deadlock.md");
    report_free(&report);
}
