/* How each process was created, as the report records it: fork (a copy of
 * the parent's address space), vfork (posix_spawn: shared memory) or thread,
 * with the parent's resident memory then; read back from the JSON report
 * with jansson and from the text tree. A copying spawn is a fork from a big
 * parent followed by nothing but an exec. */
#include "harness_test.h"
#include "render/render.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The fixtures' table (96 MiB, in KiB): their parent holds at least that. */
#define TABLE_KIB (96L * 1024)
/* Runs per fixture: the verdict must be the same every time. */
#define RUNS 3

static char *text_of(const struct report *report)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert_not_null(out);
    cr_assert_eq(render_text_styled(report, out, false), 0);
    cr_assert_eq(fclose(out), 0);
    return text;
}

static size_t copying_spawns(const struct report *report)
{
    size_t count = 0;
    for (size_t i = 0; i < report->process_count; i++)
        count += process_record_is_copying_spawn(&report->processes[i]);
    return count;
}

/* Runs a fixture that starts one child, RUNS times: no finding, main and
 * child as the JSON says (the child created `how`, its parent's resident
 * memory at least `min_kib` and below `max_kib`), and `copying` copying
 * spawns among the records. */
static void expect_one_child(const char *fixture, const char *how, long min_kib, long max_kib,
                             size_t copying)
{
    for (int run = 0; run < RUNS; run++) {
        char *argv[] = {(char *)fixture, NULL};
        struct report report;
        run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
        char kinds[128];
        cr_assert_eq(kinds_of(&report), NO_KINDS, "%s, run %d: %s", fixture, run + 1,
                     kinds_text(kinds_of(&report), kinds, sizeof(kinds)));
        cr_expect_eq(copying_spawns(&report), copying, "%s, run %d", fixture, run + 1);

        json_t *root = rendered_json(&report);
        json_t *processes = json_object_get(root, "processes");
        cr_assert_eq(json_array_size(processes), 2, "%s: main and its child", fixture);
        json_t *main_process = json_array_get(processes, 0);
        cr_expect_str_eq(json_string_value(json_object_get(main_process, "created_by")), "forklab");
        cr_expect(json_is_null(json_object_get(main_process, "parent_rss_kib")),
                  "%s: forklab is the main process's parent, not measured", fixture);
        json_t *child = json_array_get(processes, 1);
        cr_expect_str_eq(json_string_value(json_object_get(child, "created_by")), how, "%s",
                         fixture);
        json_t *rss = json_object_get(child, "parent_rss_kib");
        cr_assert(json_is_integer(rss), "%s: parent_rss_kib is not a number", fixture);
        cr_expect_geq(json_integer_value(rss), min_kib, "%s: parent held %lld KiB", fixture,
                      (long long)json_integer_value(rss));
        cr_expect_lt(json_integer_value(rss), max_kib, "%s: parent held %lld KiB", fixture,
                     (long long)json_integer_value(rss));
        json_decref(root);
        assert_nothing_left(&report);
        report_free(&report);
    }
}

Test(creation, fork_then_exec_from_a_big_parent_is_a_copying_spawn)
{
    expect_one_child(FIXTURE("h-big-fork-exec"), "fork", TABLE_KIB, 2 * TABLE_KIB, 1);
}

Test(creation, a_forked_worker_of_a_big_parent_uses_its_copy)
{
    expect_one_child(FIXTURE("h-big-fork-worker-ok"), "fork", TABLE_KIB, 2 * TABLE_KIB, 0);
}

Test(creation, fork_then_exec_from_a_small_parent_is_cheap)
{
    expect_one_child(FIXTURE("h-small-fork-exec-ok"), "fork", 1, COPYING_SPAWN_MIN_PARENT_KIB, 0);
}

Test(creation, posix_spawn_from_a_big_parent_shares_its_memory)
{
    expect_one_child(FIXTURE("h-big-spawn-ok"), "vfork", TABLE_KIB, 2 * TABLE_KIB, 0);
}

Test(creation, vfork_and_posix_spawn_share_memory)
{
    /* vfork() then posix_spawnp(). */
    char *argv[] = {FIXTURE("h-spawn-ok"), NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    size_t children = 0;
    for (size_t i = 0; i < report.process_count; i++) {
        const struct process_record *process = &report.processes[i];
        if (process->pid == report.main_pid)
            continue;
        children++;
        cr_expect_eq(process->created_by, PROCESS_CREATED_VFORK, "pid %d: %s", (int)process->pid,
                     process_creation_name(process->created_by));
        cr_expect_gt(process->parent_rss_kib, 0);
    }
    cr_expect_eq(children, 2);
    report_free(&report);
}

Test(creation, threads_are_recorded_as_threads)
{
    char *argv[] = {FIXTURE("h-threads-ok"), NULL};
    struct report report;
    run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
    size_t threads = 0;
    for (size_t i = 0; i < report.process_count; i++) {
        const struct process_record *process = &report.processes[i];
        if (!process->is_thread)
            continue;
        threads++;
        cr_expect_eq(process->created_by, PROCESS_CREATED_THREAD);
        cr_expect_not(process_record_is_copying_spawn(process));
    }
    cr_expect_eq(threads, 4);
    report_free(&report);
}

/* The text tree names a fork only when the parent was big: the one creation
 * that costs. */
Test(creation, the_text_tree_names_a_fork_from_a_big_parent)
{
    static const struct {
        const char *fixture;
        const char *wanted; /* NULL: no mention of a fork's parent */
    } cases[] = {
        {FIXTURE("h-big-fork-exec"), "/bin/true: exit 0, forked from a "},
        {FIXTURE("h-big-fork-worker-ok"), "(forked from a "},
        {FIXTURE("h-small-fork-exec-ok"), NULL},
        {FIXTURE("h-big-spawn-ok"), NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *argv[] = {(char *)cases[i].fixture, NULL};
        struct report report;
        run_program(argv, CHECK_DEFAULT_TIMEOUT_MS, &report);
        char *text = text_of(&report);
        if (cases[i].wanted != NULL) {
            cr_expect_not_null(strstr(text, cases[i].wanted), "%s:\n%s", cases[i].fixture, text);
            cr_expect_not_null(strstr(text, " MiB parent"), "%s:\n%s", cases[i].fixture, text);
        } else {
            cr_expect_null(strstr(text, "forked from"), "%s:\n%s", cases[i].fixture, text);
        }
        free(text);
        report_free(&report);
    }
}
