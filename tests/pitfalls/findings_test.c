/* Every pitfall, run through the harness engine as a grader would: the broken
 * program shows exactly the manifest's finding kinds (and the behaviour it
 * names, for a pitfall no finding shows: its output, or how it starts
 * its children), the fixed one shows none and prints the manifest's output,
 * every time: in the natural run, under every schedule (as grade runs it)
 * and under valgrind; and so does the fix with raw system calls. */
#include "pitfall_run.h"

#include "kit/expected_output.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <fcntl.h>
#include <forklab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The pitfalls are the manifest's, by index: a new pitfall is tested as soon
 * as the manifest lists it. */
static size_t *pitfall_indexes(size_t *count)
{
    /* No assertion here: this runs in the runner, not in a test. A manifest
     * that does not load yields no cases, and the manifest tests fail. */
    struct manifest manifest;
    *count = 0;
    if (manifest_load(FORKLAB_SOURCE_DIR "/" MANIFEST_PATH, &manifest, NULL, 0) < 0)
        return NULL;
    size_t *indexes = cr_malloc(manifest.count * sizeof(*indexes));
    if (indexes != NULL) {
        for (size_t i = 0; i < manifest.count; i++)
            indexes[i] = i;
        *count = manifest.count;
    }
    manifest_free(&manifest);
    return indexes;
}

static void free_indexes(struct criterion_test_params *params)
{
    cr_free(params->params);
}

/* A test run once for each pitfall of the manifest, its index in *index. */
#define PER_PITFALL(name)                                                                          \
    ParameterizedTestParameters(pitfalls, name)                                                    \
    {                                                                                              \
        size_t count;                                                                              \
        size_t *indexes = pitfall_indexes(&count);                                                 \
        return cr_make_param_array(size_t, indexes, count, free_indexes);                          \
    }                                                                                              \
    ParameterizedTest(size_t *index, pitfalls, name)

/* How a program is checked: the natural run alone, with the valgrind pass,
 * or under every schedule. */
enum mode { NATURAL, VALGRIND, ALL_SCHEDULES };

static void check_program(const struct manifest_pitfall *p, const char *folder, enum mode mode,
                          struct report *report)
{
    if (mode == ALL_SCHEDULES)
        pitfall_check_all_schedules(p, folder, report);
    else
        pitfall_check_in(p, folder, mode == VALGRIND, report);
}

static int repeats_of(const struct manifest_pitfall *p, bool fixed, enum mode mode)
{
    /* Under every schedule once (each check is up to six runs): make stress
     * repeats every pitfall and solution 20 times so, on a loaded machine. */
    return mode == ALL_SCHEDULES ? 1 : pitfall_repeats(p, fixed, mode == VALGRIND);
}

/* Checks the broken program `repeats` times: the same finding kinds, the
 * manifest's exactly, and the same number of each, every time; and the
 * manifest's broken.behaviour every time, which for a pitfall with no
 * finding is all that tells the broken program from the fixed one. */
static void expect_broken_findings(size_t index, enum mode mode)
{
    bool valgrind = mode == VALGRIND;
    struct manifest manifest;
    pitfall_manifest_load(&manifest);
    const struct manifest_pitfall *p = &manifest.pitfalls[index];
    int repeats = repeats_of(p, false, mode);
    size_t first_counts[FINDING_KIND_COUNT] = {0};
    for (int run = 0; run < repeats; run++) {
        struct report report;
        check_program(p, "pitfalls", mode, &report);
        char found[160], wanted[160];
        cr_assert_eq(report_kind_set(&report), p->broken_kinds,
                     "%s%s, run %d: found %s, the manifest says %s", p->name,
                     valgrind ? " (valgrind)" : "", run + 1,
                     kind_set_text(report_kind_set(&report), found, sizeof(found)),
                     kind_set_text(p->broken_kinds, wanted, sizeof(wanted)));
        for (int kind = 0; kind < FINDING_KIND_COUNT; kind++) {
            size_t count = report_count_kind(&report, (enum finding_kind)kind);
            if (run == 0)
                first_counts[kind] = count;
            cr_assert_eq(count, first_counts[kind], "%s, run %d: %zu %s findings, run 1 had %zu",
                         p->name, run + 1, count, finding_kind_name((enum finding_kind)kind),
                         first_counts[kind]);
        }
        if (p->broken_behaviour == MANIFEST_BEHAVIOUR_STDOUT_DIFFERS)
            cr_assert_neq(expected_output_compare(p, report.out.data, report.out.length, NULL),
                          OUTPUT_MATCHES,
                          "%s%s, run %d: stdout is the fixed program's: the pitfall did not show",
                          p->name, valgrind ? " (valgrind)" : "", run + 1);
        if (p->broken_behaviour == MANIFEST_BEHAVIOUR_COPYING_SPAWN)
            cr_assert_gt(report_copying_spawns(&report), 0,
                         "%s%s, run %d: no process was forked from a big parent only to exec: "
                         "the pitfall did not show",
                         p->name, valgrind ? " (valgrind)" : "", run + 1);
        report_free(&report);
    }
    manifest_free(&manifest);
}

/* The fixed program's stdout is what the manifest expects, compared as the
 * grader compares it (in any order where the manifest says so). */
static void expect_manifest_output(const struct manifest_pitfall *p, const char *folder,
                                   const char *output, size_t length, int run)
{
    char *why = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&why, &size);
    cr_assert_not_null(stream);
    enum output_verdict verdict = expected_output_compare(p, output, length, stream);
    fclose(stream);
    cr_assert_eq(verdict, OUTPUT_MATCHES, "%s/%s, run %d: %s", folder, p->name, run + 1, why);
    free(why);
}

/* Checks a fixed program, BUILD/FOLDER/NAME, `repeats` times: no finding, no
 * copying spawn, the expected stdout and exit code. */
static void expect_clean(const struct manifest_pitfall *p, const char *folder, enum mode mode)
{
    bool valgrind = mode == VALGRIND;
    int repeats = repeats_of(p, true, mode);
    for (int run = 0; run < repeats; run++) {
        struct report report;
        check_program(p, folder, mode, &report);
        char found[160];
        cr_assert_eq(report.finding_count, 0, "%s/%s%s, run %d: findings %s (first: %s)", folder,
                     p->name, valgrind ? " (valgrind)" : "", run + 1,
                     kind_set_text(report_kind_set(&report), found, sizeof(found)),
                     report.finding_count ? report.findings[0].message : "");
        cr_assert_eq(report_copying_spawns(&report), 0,
                     "%s/%s, run %d: a process was forked from a big parent only to exec", folder,
                     p->name, run + 1);
        expect_manifest_output(p, folder, report.out.data, report.out.length, run);
        cr_assert_eq(report.main_end, PROCESS_EXITED, "%s/%s, run %d: did not exit", folder,
                     p->name, run + 1);
        cr_assert_eq(report.main_code, p->expected_exit, "%s/%s, run %d: exit %d, wanted %d",
                     folder, p->name, run + 1, report.main_code, p->expected_exit);
        report_free(&report);
    }
}

static void expect_fixed_clean(size_t index, enum mode mode)
{
    struct manifest manifest;
    pitfall_manifest_load(&manifest);
    expect_clean(&manifest.pitfalls[index], "solutions", mode);
    manifest_free(&manifest);
}

PER_PITFALL(broken_shows_exactly_the_manifest_kinds)
{
    expect_broken_findings(*index, NATURAL);
}

PER_PITFALL(fixed_is_clean_and_prints_the_manifest_output)
{
    expect_fixed_clean(*index, NATURAL);
}

PER_PITFALL(broken_under_valgrind)
{
    expect_broken_findings(*index, VALGRIND);
}

PER_PITFALL(broken_under_all_schedules)
{
    expect_broken_findings(*index, ALL_SCHEDULES);
}

PER_PITFALL(fixed_under_valgrind)
{
    expect_fixed_clean(*index, VALGRIND);
}

PER_PITFALL(fixed_under_all_schedules)
{
    expect_fixed_clean(*index, ALL_SCHEDULES);
}

/* The fix with raw system calls, a teacher's other accepted answer, is as
 * clean as the fixed program and prints the same. An exercise without one
 * must have a fixed program that uses no wrapper: it is the raw fix. */
PER_PITFALL(raw_fix_is_clean_and_prints_the_manifest_output)
{
    struct manifest manifest;
    pitfall_manifest_load(&manifest);
    const struct manifest_pitfall *p = &manifest.pitfalls[*index];
    char source[512];
    snprintf(source, sizeof(source), "%s/%s.c", RAW_FIX_FOLDER, p->name);
    if (access(source, R_OK) == 0) {
        expect_clean(p, RAW_FIX_FOLDER, NATURAL);
        expect_clean(p, RAW_FIX_FOLDER, ALL_SCHEDULES);
    } else {
        FILE *fixed = fopen(p->fixed, "r");
        cr_assert_not_null(fixed, "%s: cannot read %s", p->name, p->fixed);
        char line[512];
        while (fgets(line, sizeof(line), fixed) != NULL)
            cr_expect_null(strstr(line, "#include <forklab.h>"),
                           "%s: the fixed program uses the wrapper, and %s is missing", p->name,
                           source);
        fclose(fixed);
    }
    manifest_free(&manifest);
}

/* The fixed program on its own, without the tracer: run with the wrapper from
 * the repository root, it prints the manifest's output. */
PER_PITFALL(fixed_prints_the_manifest_output_untraced)
{
    struct manifest manifest;
    pitfall_manifest_load(&manifest);
    const struct manifest_pitfall *p = &manifest.pitfalls[*index];
    char program[512];
    snprintf(program, sizeof(program), "%s/solutions/%s", FORKLAB_PLAIN_DIR, p->name);
    struct fl_command *cmd = fl_command_new(program);
    cr_assert_not_null(cmd);
    cr_assert_eq(fl_command_args(cmd, (const char *const *)p->args), 0);
    if (p->stdin_path != NULL)
        cr_assert_eq(fl_command_stdio_path(cmd, FL_STDIN, p->stdin_path, O_RDONLY, 0), 0);
    struct fl_output output;
    cr_assert_eq(fl_command_output(cmd, &output), 0, "%s", fl_command_strerror(cmd));
    expect_manifest_output(p, "solutions", output.out, strlen(output.out), 0);
    cr_expect_eq(fl_status_code(output.status), p->expected_exit, "%s: exit code", p->name);
    fl_output_free(&output);
    fl_command_free(&cmd);
    manifest_free(&manifest);
}
