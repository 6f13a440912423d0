/* The JSON renderer, read back with jansson field by field. */
#include "render/render.h"
#include "sample_report.h"

#include <criterion/criterion.h>
#include <string.h>

static json_t *render_and_parse(const struct report *report)
{
    char *text = render_to_string(render_json, report);
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    cr_assert_not_null(root, "not JSON: %s at line %d", error.text, error.line);
    free(text);
    return root;
}

static const char *string_at(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    cr_assert(json_is_string(value), "\"%s\" is not a string", key);
    return json_string_value(value);
}

static json_int_t integer_at(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    cr_assert(json_is_integer(value), "\"%s\" is not an integer", key);
    return json_integer_value(value);
}

Test(json, clean_run)
{
    struct report report;
    sample_clean_report(&report);
    json_t *root = render_and_parse(&report);
    cr_expect_eq(integer_at(root, "forklab_report"), 1);
    cr_expect_str_eq(string_at(root, "program"), "/usr/bin/true");
    cr_expect_str_eq(json_string_value(json_array_get(json_object_get(root, "argv"), 0)), "true");
    cr_expect_eq(integer_at(root, "pid"), 100);
    json_t *exit = json_object_get(root, "exit");
    cr_expect_str_eq(string_at(exit, "how"), "exit");
    cr_expect_eq(integer_at(exit, "code"), 0);
    cr_expect_str_eq(string_at(exit, "description"), "exit 0");
    cr_expect_eq(integer_at(root, "duration_ms"), 3);
    cr_expect_eq(json_array_size(json_object_get(root, "findings")), 0);
    cr_expect_eq(integer_at(root, "finding_count"), 0);
    cr_expect_eq(json_array_size(json_object_get(root, "processes")), 1);
    cr_expect_str_eq(json_string_value(json_array_get(json_object_get(root, "checks"), 0)),
                     "trace");
    json_t *out = json_object_get(root, "stdout");
    cr_expect_str_eq(string_at(out, "text"), "hello\n");
    cr_expect_eq(integer_at(out, "bytes"), 6);
    cr_expect(json_is_false(json_object_get(out, "truncated")));
    cr_expect_str_eq(string_at(json_object_get(root, "stderr"), "text"), "");
    json_decref(root);
    report_free(&report);
}

Test(json, processes_carry_their_programs_end_and_reaping)
{
    struct report report;
    sample_broken_report(&report);
    json_t *root = render_and_parse(&report);
    json_t *processes = json_object_get(root, "processes");
    cr_assert_eq(json_array_size(processes), 4, "the thread must be left out");

    json_t *sleeper = json_array_get(processes, 1);
    cr_expect_eq(integer_at(sleeper, "pid"), 101);
    cr_expect_eq(integer_at(sleeper, "ppid"), 100);
    json_t *programs = json_object_get(sleeper, "programs");
    cr_assert_eq(json_array_size(programs), 2);
    cr_expect_str_eq(json_string_value(json_array_get(programs, 0)), "/usr/bin/sh");
    cr_expect_str_eq(json_string_value(json_array_get(programs, 1)), "/bin/sleep");
    json_t *end = json_object_get(sleeper, "end");
    cr_expect_str_eq(string_at(end, "how"), "stopped_by_forklab");
    cr_expect_str_eq(string_at(end, "signal"), "SIGKILL");
    cr_expect_eq(integer_at(end, "number"), 9);

    json_t *cat = json_array_get(processes, 2);
    end = json_object_get(cat, "end");
    cr_expect_str_eq(string_at(end, "how"), "signal");
    cr_expect_str_eq(string_at(end, "signal"), "SIGSEGV");
    cr_expect_eq(integer_at(end, "number"), 11);
    cr_expect(json_is_true(json_object_get(end, "core_dumped")));
    cr_expect_str_eq(string_at(end, "description"), "killed by SIGSEGV (core dumped)");
    cr_expect(json_is_false(json_object_get(cat, "reaped")));

    json_t *forked = json_array_get(processes, 3);
    cr_expect_eq(json_array_size(json_object_get(forked, "programs")), 0);
    cr_expect(json_is_true(json_object_get(forked, "reaped")));

    json_t *exit = json_object_get(root, "exit");
    cr_expect_eq(integer_at(exit, "code"), 3);
    json_decref(root);
    report_free(&report);
}

Test(json, processes_say_how_they_were_created_and_from_how_much)
{
    struct report report;
    sample_spawn_report(&report);
    json_t *root = render_and_parse(&report);
    json_t *processes = json_object_get(root, "processes");
    cr_assert_eq(json_array_size(processes), 5);
    static const struct {
        const char *created_by;
        json_int_t parent_rss_kib; /* -1: null */
    } expected[] = {
        {"forklab", -1}, {"fork", 262400}, {"vfork", 262400}, {"fork", 262400}, {"fork", 2048},
    };
    for (size_t i = 0; i < 5; i++) {
        json_t *process = json_array_get(processes, i);
        cr_expect_str_eq(string_at(process, "created_by"), expected[i].created_by, "process %zu",
                         i);
        if (expected[i].parent_rss_kib < 0)
            cr_expect(json_is_null(json_object_get(process, "parent_rss_kib")), "process %zu", i);
        else
            cr_expect_eq(integer_at(process, "parent_rss_kib"), expected[i].parent_rss_kib,
                         "process %zu", i);
    }
    json_decref(root);
    report_free(&report);
}

/* The record's own judgement, which the grader's no_copying_spawn check and
 * the pitfall tests use. */
Test(json, only_a_big_fork_that_only_execs_is_a_copying_spawn)
{
    struct report report;
    sample_spawn_report(&report);
    for (size_t i = 0; i < report.process_count; i++)
        cr_expect_eq(process_record_is_copying_spawn(&report.processes[i]),
                     report.processes[i].pid == 101, "pid %d", (int)report.processes[i].pid);
    /* Just below the threshold, the same fork is not one. */
    report.processes[1].parent_rss_kib = COPYING_SPAWN_MIN_PARENT_KIB - 1;
    cr_expect_not(process_record_is_copying_spawn(&report.processes[1]));
    report.processes[1].parent_rss_kib = COPYING_SPAWN_MIN_PARENT_KIB;
    cr_expect(process_record_is_copying_spawn(&report.processes[1]));
    report_free(&report);
}

Test(json, findings_carry_kind_pid_message_lesson_and_evidence)
{
    struct report report;
    sample_broken_report(&report);
    json_t *root = render_and_parse(&report);
    json_t *findings = json_object_get(root, "findings");
    cr_assert_eq(json_array_size(findings), 4);
    cr_expect_eq(integer_at(root, "finding_count"), 4);

    json_t *zombie = json_array_get(findings, 0);
    cr_expect_str_eq(string_at(zombie, "kind"), "zombie");
    cr_expect_eq(integer_at(zombie, "pid"), 102);
    cr_expect_str_eq(string_at(zombie, "message"),
                     "process 102 (/bin/cat) ended, but its parent 100 never waited for it");
    cr_expect_str_eq(string_at(zombie, "lesson"), finding_kind_lesson(FINDING_ZOMBIE));
    cr_expect_eq(integer_at(json_object_get(zombie, "evidence"), "parent"), 100);

    json_t *leak = json_array_get(findings, 1);
    cr_expect_str_eq(string_at(leak, "kind"), "fd_leak");
    cr_expect_str_eq(string_at(leak, "message"), "fd 3 <&\"'> was still open in /bin/sleep");
    json_t *evidence = json_object_get(leak, "evidence");
    cr_expect_eq(integer_at(evidence, "fd"), 3);
    cr_expect_str_eq(string_at(evidence, "target"), "pipe:[42]");

    json_t *runaway = json_array_get(findings, 2);
    cr_expect_eq(
        json_array_size(json_object_get(json_object_get(runaway, "evidence"), "descendants")), 2);
    json_decref(root);
    report_free(&report);
}

Test(json, kinds_say_what_ran_and_what_was_found)
{
    struct report report;
    sample_broken_report(&report);
    json_t *root = render_and_parse(&report);
    json_t *kinds = json_object_get(root, "kinds");
    cr_assert_eq(json_object_size(kinds), FINDING_KIND_COUNT);
    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++) {
        json_t *entry = json_object_get(kinds, finding_kind_name(kind));
        cr_assert_not_null(entry, "kind %s missing", finding_kind_name(kind));
        cr_expect_eq(integer_at(entry, "findings"), (json_int_t)report_count_kind(&report, kind));
        cr_expect_eq(json_is_true(json_object_get(entry, "checked")), kind != FINDING_MEMORY_LEAK);
    }
    json_decref(root);
    report_free(&report);
}

Test(json, output_that_is_not_utf8_stays_valid_json_and_says_it_was_cut)
{
    struct report report;
    sample_broken_report(&report);
    json_t *root = render_and_parse(&report);
    json_t *out = json_object_get(root, "stdout");
    cr_expect_str_eq(string_at(out, "text"),
                     "line one <&>\n\x01\x1b[31mred\xEF\xBF\xBD\xEF\xBF\xBD end\nlast");
    cr_expect_eq(integer_at(out, "bytes"), 5000);
    cr_expect_eq(integer_at(out, "kept"), 33);
    cr_expect(json_is_true(json_object_get(out, "truncated")));
    json_decref(root);
    report_free(&report);
}

Test(json, a_report_without_program_or_argv_is_still_an_object)
{
    struct report report;
    report_init(&report);
    json_t *root = render_and_parse(&report);
    cr_expect(json_is_null(json_object_get(root, "program")));
    cr_expect_eq(json_array_size(json_object_get(root, "argv")), 0);
    cr_expect_str_eq(string_at(json_object_get(root, "exit"), "how"), "running");
    json_decref(root);
    report_free(&report);
}
