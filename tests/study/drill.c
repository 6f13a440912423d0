/* Prediction drills (harness/study/drill*.c): the model of the drill
 * language, the generator (the same seed, the same drill), the answers, and
 * above all that each drill's answer is the truth of real runs under the
 * checker: every catalog drill and generated drills of every kind, built
 * once and run repeatedly. */
#include "study/drill.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define REPEATS 2
#else
#define REPEATS 10
#endif
#define SEEDS 5 /* generated drills of each kind */

static void model(const char *steps, size_t max_outputs, struct drill_outcome *outcome)
{
    char why[200] = "";
    int error = drill_program_model(steps, max_outputs, outcome, why, sizeof(why));
    cr_assert_eq(error, 0, "%s: %s", steps, why);
}

Test(drill_model, lists_every_order_the_scheduler_can_choose)
{
    struct drill_outcome outcome;
    model("a C{b} C{c} W d W", 100, &outcome);
    cr_expect_eq(outcome.lines, 4);
    cr_expect_str_eq(outcome.shape, "(()())");
    cr_assert_eq(outcome.output_count, 4);
    const char *expected[] = {"a\nb\nc\nd\n", "a\nb\nd\nc\n", "a\nc\nb\nd\n", "a\nc\nd\nb\n"};
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(outcome.outputs[i], expected[i]);
    cr_expect_not(outcome.deadlock);
    drill_outcome_free(&outcome);

    /* A read waits for the write: a before d, whatever else moves. */
    model("C{a S b} c A d W", 100, &outcome);
    cr_expect_eq(outcome.output_count, 5);
    for (size_t i = 0; i < outcome.output_count; i++)
        cr_expect_lt(strchr(outcome.outputs[i], 'a'), strchr(outcome.outputs[i], 'd'), "%s",
                     outcome.outputs[i]);
    drill_outcome_free(&outcome);
}

Test(drill_model, counts_the_processes_of_plain_forks)
{
    struct drill_outcome outcome;
    model("a F b F c", 0, &outcome);
    cr_expect_eq(outcome.lines, 7);
    cr_expect_str_eq(outcome.shape, "((())())");
    drill_outcome_free(&outcome);
    model("C{F} W", 0, &outcome);
    cr_expect_str_eq(outcome.shape, "((()))");
    drill_outcome_free(&outcome);
}

Test(drill_model, finds_a_read_that_waits_forever)
{
    struct drill_outcome outcome;
    model("C{a} A b", 10, &outcome);
    cr_expect(outcome.deadlock);
    drill_outcome_free(&outcome);
}

Test(drill_model, refuses_what_is_not_a_program)
{
    const char *bad[] = {"a X", "C{a", "a}", "Ca", "F F F F F F F F a"};
    const char *reason[] = {"not a step", "without its '}'", "without its C{", "not a step",
                            "more than"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct drill_outcome outcome;
        char why[200] = "";
        cr_expect_eq(drill_program_model(bad[i], 10, &outcome, why, sizeof(why)), -EINVAL,
                     "%s loaded", bad[i]);
        cr_expect_not_null(strstr(why, reason[i]), "%s: %s", bad[i], why);
    }
}

Test(drill_generate, the_same_seed_makes_the_same_drill)
{
    for (uint64_t seed = 1; seed <= 40; seed++)
        for (int kind = -1; kind < DRILL_KIND_COUNT; kind++) {
            struct drill first, second;
            cr_assert_eq(drill_generate(seed, kind, &first), 0);
            cr_assert_eq(drill_generate(seed, kind, &second), 0);
            cr_expect_eq(first.kind, second.kind);
            cr_expect_str_eq(first.source, second.source, "seed %llu", (unsigned long long)seed);
            cr_expect_eq(first.right, second.right);
            cr_expect_eq(first.lines, second.lines);
            cr_expect_eq(first.fds, second.fds);
            if (kind >= 0)
                cr_expect_eq(first.kind, (enum drill_kind)kind);
            drill_free(&first);
            drill_free(&second);
        }
}

/* Every candidate list is a real question: more than one choice, the right
 * ones marked as the model says. */
Test(drill_generate, every_question_has_choices_and_a_right_answer)
{
    for (uint64_t seed = 0; seed < 300; seed++) {
        for (int kind = DRILL_TREE; kind <= DRILL_ORDERS; kind++) {
            struct drill drill;
            cr_assert_eq(drill_generate(seed, kind, &drill), 0);
            cr_expect_geq(drill.candidate_count, 2, "seed %llu", (unsigned long long)seed);
            cr_expect_neq(drill.right, 0u);
            if (kind == DRILL_TREE)
                cr_expect_eq(__builtin_popcount(drill.right), 1);
            for (size_t i = 0; kind == DRILL_ORDERS && i < drill.candidate_count; i++) {
                bool possible = false;
                for (size_t o = 0; o < drill.output_count; o++)
                    possible |= strcmp(drill.outputs[o], drill.candidates[i]) == 0;
                cr_expect_eq(possible, (drill.right >> i) & 1u, "seed %llu candidate %zu",
                             (unsigned long long)seed, i);
            }
            drill_free(&drill);
        }
    }
}

Test(drill_answer, reads_what_a_student_types)
{
    struct drill drill;
    cr_assert_eq(drill_generate(3, DRILL_ORDERS, &drill), 0);
    struct drill_answer answer;
    char why[200];
    cr_expect_eq(drill_answer_parse(&drill, "a, C", &answer, why, sizeof(why)), 0, "%s", why);
    cr_expect_eq(answer.letters, 5u);
    cr_expect_eq(drill_answer_parse(&drill, "Z", &answer, why, sizeof(why)), -EINVAL);
    cr_expect_not_null(strstr(why, "letters"), "%s", why);
    cr_expect_eq(drill_answer_parse(&drill, "", &answer, why, sizeof(why)), -EINVAL);
    drill_answer_of(&drill, &answer);
    cr_expect(drill_answer_is_right(&drill, &answer));
    drill_free(&drill);

    cr_assert_eq(drill_generate(3, DRILL_FDS, &drill), 0);
    cr_expect_eq(drill_answer_parse(&drill, "none", &answer, why, sizeof(why)), 0);
    cr_expect_eq(answer.fds, 0u);
    cr_expect_eq(drill_answer_parse(&drill, "3 5", &answer, why, sizeof(why)), 0);
    cr_expect_eq(answer.fds, (1u << 3) | (1u << 5));
    char text[64];
    drill_answer_text(&drill, &answer, text, sizeof(text));
    cr_expect_str_eq(text, "3 5");
    cr_expect_eq(drill_answer_parse(&drill, "2", &answer, why, sizeof(why)), -EINVAL);
    drill_free(&drill);

    cr_assert_eq(drill_generate(3, DRILL_LINES, &drill), 0);
    cr_expect_eq(drill_answer_parse(&drill, " 12\n", &answer, why, sizeof(why)), 0);
    cr_expect_eq(answer.lines, 12);
    cr_expect_eq(drill_answer_parse(&drill, "twelve", &answer, why, sizeof(why)), -EINVAL);
    drill_free(&drill);
}

/* ---- the truth of real runs ------------------------------------------------------- */

static void this_kit(struct kit *kit)
{
    cr_assert_eq(kit_at(kit, FORKLAB_SOURCE_DIR, FORKLAB_PLAIN_DIR), 0);
}

/* Builds the drill once and runs it `repeats` times: each run must agree
 * with the drill's answer, and a deterministic answer must be the run's. */
static void expect_runs_agree(const struct drill *drill, int repeats)
{
    struct kit kit;
    this_kit(&kit);
    char folder[] = "/tmp/forklab-drill-test-XXXXXX";
    cr_assert_not_null(mkdtemp(folder));
    char why[1024] = "";
    cr_assert_eq(drill_build(&kit, drill, folder, why, sizeof(why)), 0, "%s: %s", drill->id, why);
    for (int run = 1; run <= repeats; run++) {
        struct drill_truth truth;
        cr_assert_eq(drill_check(drill, folder, &truth, why, sizeof(why)), 0, "%s", why);
        cr_expect(truth.clean_end, "%s, run %d: the program did not end cleanly", drill->id, run);
        cr_expect(drill_truth_agrees(drill, &truth),
                  "%s (%s), run %d: the run disagrees: %ld lines, tree %s, output %d, fds %#x",
                  drill->id, drill_kind_name(drill->kind), run, truth.lines, truth.shape,
                  truth.output, truth.fds);
        if (drill->kind == DRILL_LINES)
            cr_expect_eq(truth.lines, drill->lines);
        if (drill->kind == DRILL_FDS)
            cr_expect_eq(truth.fds, drill->fds);
        drill_truth_free(&truth);
    }
    char program[sizeof(folder) + 8];
    snprintf(program, sizeof(program), "%s/drill", folder);
    unlink(program);
    rmdir(folder);
}

ParameterizedTestParameters(drill_truth, every_catalog_drill_is_true_to_real_runs)
{
    static size_t indexes[32];
    struct kit kit;
    struct drill_catalog catalog;
    char why[256];
    if (kit_at(&kit, FORKLAB_SOURCE_DIR, FORKLAB_PLAIN_DIR) < 0 ||
        drill_catalog_load(&kit, &catalog, why, sizeof(why)) < 0)
        return cr_make_param_array(size_t, indexes, 0); /* the catalog test says why */
    size_t count = catalog.count < 32 ? catalog.count : 32;
    for (size_t i = 0; i < count; i++)
        indexes[i] = i;
    drill_catalog_free(&catalog);
    return cr_make_param_array(size_t, indexes, count);
}
ParameterizedTest(size_t *index, drill_truth, every_catalog_drill_is_true_to_real_runs)
{
    alarm(120);
    struct kit kit;
    this_kit(&kit);
    struct drill_catalog catalog;
    char why[256] = "";
    cr_assert_eq(drill_catalog_load(&kit, &catalog, why, sizeof(why)), 0, "%s", why);
    expect_runs_agree(&catalog.drills[*index], REPEATS);
    drill_catalog_free(&catalog);
}

ParameterizedTestParameters(drill_truth, generated_drills_are_true_to_real_runs)
{
    static size_t cases[DRILL_KIND_COUNT * SEEDS];
    for (size_t i = 0; i < DRILL_KIND_COUNT * SEEDS; i++)
        cases[i] = i;
    return cr_make_param_array(size_t, cases, DRILL_KIND_COUNT * SEEDS);
}
ParameterizedTest(size_t *index, drill_truth, generated_drills_are_true_to_real_runs)
{
    alarm(120);
    struct drill drill;
    cr_assert_eq(
        drill_generate(100 + *index / DRILL_KIND_COUNT, (int)(*index % DRILL_KIND_COUNT), &drill),
        0);
    expect_runs_agree(&drill, REPEATS);
    drill_free(&drill);
}

Test(drill_catalog, every_drill_belongs_to_a_lesson_and_its_counts_are_sane)
{
    struct kit kit;
    this_kit(&kit);
    struct drill_catalog catalog;
    char why[256] = "";
    cr_assert_eq(drill_catalog_load(&kit, &catalog, why, sizeof(why)), 0, "%s", why);
    cr_expect_geq(catalog.count, 12);
    cr_expect_leq(catalog.count, 32, "the truth test takes the first 32 only");
    unsigned kinds = 0;
    for (size_t i = 0; i < catalog.count; i++) {
        const struct drill *drill = &catalog.drills[i];
        char lesson[256];
        snprintf(lesson, sizeof(lesson), FORKLAB_SOURCE_DIR "/lessons/%s.md", drill->lesson);
        cr_expect_eq(access(lesson, R_OK), 0, "%s: no lesson %s", drill->id, lesson);
        cr_expect_eq(strncmp(drill->id, drill->lesson, 3), 0, "%s: named after its lesson",
                     drill->id);
        kinds |= 1u << drill->kind;
    }
    cr_expect_eq(kinds, (1u << DRILL_KIND_COUNT) - 1, "every kind has a hand-written drill");
    drill_catalog_free(&catalog);
}
