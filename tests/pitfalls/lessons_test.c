/* The broken programs whose evidence names their pitfall point the student
 * to that pitfall's lesson, not to the usual lesson of the finding's kind:
 * a timeout in 06, 08 and 12 is not a leaked descriptor (04), and 13's
 * runaway children are orphans, not failed execs (02). 04 stays on 04. */
#include "pitfall_run.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>
#include <unistd.h>

/* Criterion hands each case a copy of its parameter, made in another
 * process: an index into this table, no pointers. */
static const struct {
    const char *pitfall;
    enum finding_kind kind; /* every finding of this kind points to the pitfall's lesson */
} cases[] = {
    {"04-leaked-fds", FINDING_TIMEOUT},    {"06-fork-with-threads", FINDING_TIMEOUT},
    {"08-pipe-deadlock", FINDING_TIMEOUT}, {"12-inherited-signals", FINDING_TIMEOUT},
    {"13-orphans", FINDING_RUNAWAY_CHILD}, {"02-runaway-children", FINDING_RUNAWAY_CHILD},
    {"09-stale-pids", FINDING_TIMEOUT},
};

ParameterizedTestParameters(pitfall_lessons, findings_point_to_the_pitfalls_own_lesson)
{
    static size_t indexes[sizeof(cases) / sizeof(cases[0])];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        indexes[i] = i;
    return cr_make_param_array(size_t, indexes, sizeof(indexes) / sizeof(indexes[0]));
}
ParameterizedTest(size_t *index, pitfall_lessons, findings_point_to_the_pitfalls_own_lesson)
{
    alarm(60); /* far above any pitfall's timeout: a hang fails the test */
    struct manifest manifest;
    pitfall_manifest_load(&manifest);
    const struct manifest_pitfall *pitfall = manifest_find(&manifest, cases[*index].pitfall);
    cr_assert_not_null(pitfall, "%s is not in the manifest", cases[*index].pitfall);
    struct report report;
    pitfall_check(pitfall, false, false, &report);
    size_t seen = 0;
    for (size_t i = 0; i < report.finding_count; i++) {
        const struct finding *finding = &report.findings[i];
        if (finding->kind != cases[*index].kind)
            continue;
        seen++;
        cr_expect_str_eq(finding->lesson, pitfall->lesson, "%s: %s finding: %s", pitfall->name,
                         finding_kind_name(finding->kind), finding->message);
    }
    cr_expect_gt(seen, 0, "%s: no %s finding", pitfall->name,
                 finding_kind_name(cases[*index].kind));
    report_free(&report);
    manifest_free(&manifest);
    alarm(0);
}
