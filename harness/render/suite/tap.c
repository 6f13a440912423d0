/* A test suite as TAP version 13 for CI runners and `prove`: one test line
 * per case, a SKIP directive for a skipped one, YAML diagnostics for a
 * failure. People read TAP on terminals too (prove -v copies it), so every
 * text goes through the terminal escaping, and the YAML follows its rule. */
#include "core/describe.h"
#include "core/write/visible_text.h"
#include "render/suite/test_suite.h"
#include "render/suite/yaml.h"

#include <errno.h>
#include <string.h>

/* A test's description or a directive's reason: one line, and a '#' in it
 * escaped as "\#", so that a name cannot start a directive of its own. */
static void put_description(FILE *out, const char *text)
{
    for (const char *hash; (hash = strchr(text, '#')) != NULL; text = hash + 1) {
        visible_text_put(out, text, (size_t)(hash - text));
        fputs("\\#", out);
    }
    visible_text_put_string(out, text);
}

static void put_comment(FILE *out, const char *text)
{
    fputs("# ", out);
    visible_text_put_string(out, text);
    fputc('\n', out);
}

static void put_case(FILE *out, const struct test_suite *suite, size_t index)
{
    const struct test_case *test = &suite->cases[index];
    fprintf(out, "%s %zu - ", test->result == TEST_CASE_FAILED ? "not ok" : "ok", index + 1);
    put_description(out, test->name);
    if (suite->points_in_names)
        fprintf(out, " (%d/%d points)", test->score, test->max_score);
    if (test->result == TEST_CASE_SKIPPED) {
        fputs(" # SKIP ", out);
        put_description(out, test->message);
    }
    fputc('\n', out);
    if (test->result == TEST_CASE_FAILED && test->diagnostics != NULL) {
        fputs("  ---\n", out);
        yaml_write_mapping(out, test->diagnostics, 2);
        fputs("  ...\n", out);
    }
}

int test_suite_render_tap(const struct test_suite *suite, FILE *out)
{
    fprintf(out, "TAP version 13\n1..%zu\n", suite->case_count);
    put_comment(out, suite->name);
    if (suite->facts_lost > 0) {
        char incomplete[FACTS_LOST_SIZE];
        put_comment(out, facts_lost_describe(suite->facts_lost, incomplete));
    }
    for (size_t i = 0; i < suite->case_count; i++)
        put_case(out, suite, i);
    put_comment(out, suite->summary);
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}
