/* The manifest loader (harness/kit/manifest.c) and the manifest itself: every
 * pitfall names files that exist, graded checks that make sense, hints. */
#include "pitfall_run.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

Test(manifest, every_pitfall_is_complete)
{
    struct manifest manifest;
    pitfall_manifest_load(&manifest);
    cr_assert_geq(manifest.count, 5);
    for (size_t i = 0; i < manifest.count; i++) {
        const struct manifest_pitfall *p = &manifest.pitfalls[i];
        char expected[256];
        snprintf(expected, sizeof(expected), "lessons/%s.md", p->name);
        cr_expect_str_eq(p->lesson, expected);
        snprintf(expected, sizeof(expected), "pitfalls/%s.c", p->name);
        cr_expect_str_eq(p->broken, expected);
        snprintf(expected, sizeof(expected), "solutions/%s.c", p->name);
        cr_expect_str_eq(p->fixed, expected);
        const char *files[] = {p->lesson, p->broken, p->fixed};
        for (size_t f = 0; f < 3; f++)
            cr_expect_eq(access(files[f], R_OK), 0, "%s: %s is missing", p->name, files[f]);
        cr_expect_geq(p->hint_count, 3, "%s: wants at least 3 hints", p->name);
        cr_expect(p->broken_kinds != 0 || p->broken_behaviour != MANIFEST_BEHAVIOUR_NONE,
                  "%s: the broken program must have findings, or a behaviour that shows it",
                  p->name);
        cr_expect_gt(p->expected_stdout_length, 0, "%s: the fixed program prints nothing?",
                     p->name);
        if (i > 0)
            cr_expect_lt(strcmp(manifest.pitfalls[i - 1].name, p->name), 0,
                         "pitfalls are listed in lesson order");

        /* Every expected kind is worth points when it is gone, and the
         * output is graded too. */
        unsigned graded = 0;
        int total = 0, stdout_points = -1, copying_spawn_points = -1;
        for (size_t c = 0; c < p->check_count; c++) {
            total += p->checks[c].points;
            if (p->checks[c].test == MANIFEST_TEST_NO_COPYING_SPAWN) {
                copying_spawn_points = p->checks[c].points;
                cr_expect_eq(p->broken_behaviour, MANIFEST_BEHAVIOUR_COPYING_SPAWN,
                             "%s: check %s is about a copying spawn the broken program never "
                             "shows",
                             p->name, p->checks[c].id);
            }
            if (p->checks[c].test == MANIFEST_TEST_NO_FINDING) {
                graded |= 1u << p->checks[c].kind;
                cr_expect(manifest_expects(p, p->checks[c].kind),
                          "%s: check %s is about a kind the broken program never shows", p->name,
                          p->checks[c].id);
            }
            if (p->checks[c].test == MANIFEST_TEST_STDOUT)
                stdout_points = p->checks[c].points;
        }
        cr_expect_eq(graded, p->broken_kinds, "%s: every expected kind needs a check", p->name);
        cr_expect_geq(stdout_points, 0, "%s: the output must be graded", p->name);
        /* Where only the output shows the pitfall, fixing it must be worth
         * points, or the broken program would earn full marks. */
        if (p->broken_behaviour == MANIFEST_BEHAVIOUR_STDOUT_DIFFERS)
            cr_expect_gt(stdout_points, 0, "%s: the output shows the pitfall but is worth nothing",
                         p->name);
        /* Where how the children start shows the pitfall, a no_copying_spawn
         * check must score it, or the broken program would earn full marks. */
        if (p->broken_behaviour == MANIFEST_BEHAVIOUR_COPYING_SPAWN)
            cr_expect_gt(copying_spawn_points, 0,
                         "%s: the broken program makes copying spawns, but no no_copying_spawn "
                         "check is worth points",
                         p->name);
        cr_expect_gt(total, 0, "%s: the checks are worth nothing", p->name);
    }
    manifest_free(&manifest);
}

Test(manifest, finds_a_pitfall_by_name_number_or_topic)
{
    struct manifest manifest;
    pitfall_manifest_load(&manifest);
    const struct manifest_pitfall *zombies = manifest_find(&manifest, "03-zombies");
    cr_assert_not_null(zombies);
    cr_expect_eq(manifest_find(&manifest, "03"), zombies);
    cr_expect_eq(manifest_find(&manifest, "3"), zombies);
    cr_expect_eq(manifest_find(&manifest, "zombies"), zombies);
    cr_expect_null(manifest_find(&manifest, "zombie"));
    cr_expect_null(manifest_find(&manifest, "99"));
    cr_expect_null(manifest_find(&manifest, ""));
    cr_expect(manifest_expects(zombies, FINDING_ZOMBIE));
    cr_expect_not(manifest_expects(zombies, FINDING_FD_LEAK));
    manifest_free(&manifest);
}

/* Writes `text` to a temporary file and loads it into *manifest; returns
 * the error (on success the caller frees the manifest). */
static int load_text_into(const char *text, struct manifest *manifest, char *why, size_t why_size)
{
    char path[] = "/tmp/forklab-manifest-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0, "mkstemp: %m");
    FILE *file = fdopen(fd, "w");
    cr_assert_not_null(file);
    fputs(text, file);
    fclose(file);
    int error = manifest_load(path, manifest, why, why_size);
    unlink(path);
    return error;
}

/* Loads `text` and returns the error. */
static int load_text(const char *text, char *why, size_t why_size)
{
    struct manifest manifest;
    int error = load_text_into(text, &manifest, why, why_size);
    if (error == 0)
        manifest_free(&manifest);
    return error;
}

/* `kinds` is the value of broken.findings, and may be followed by more
 * members of "broken", e.g. "[], \"behaviour\": \"stdout_differs\"". */
#define PITFALL(name, kinds, checks)                                                               \
    "{\"name\": \"" name "\", \"title\": \"t\", "                                                  \
    "\"files\": {\"lesson\": \"l\", \"broken\": \"b\", \"fixed\": \"f\"}, "                        \
    "\"run\": {\"args\": [], \"stdin\": null, \"timeout\": 2}, "                                   \
    "\"broken\": {\"findings\": " kinds "}, \"fixed\": {\"stdout\": \"x\\n\", \"exit\": 0}, "      \
    "\"hints\": [\"a\", \"b\", \"c\"], \"checks\": " checks "}"
#define STDOUT_CHECK "[{\"id\": \"stdout\", \"test\": \"stdout\", \"points\": 2}]"
#define CHECKS                                                                                     \
    "[{\"id\": \"no-zombie\", \"test\": \"no_finding\", \"kind\": \"zombie\", \"points\": 2}]"

Test(manifest, accepts_a_minimal_manifest)
{
    char why[256] = "";
    cr_expect_eq(
        load_text("{\"version\": 1, \"pitfalls\": [" PITFALL("01-a", "[\"zombie\"]", CHECKS) "]}",
                  why, sizeof(why)),
        0, "%s", why);
}

Test(manifest, accepts_no_findings_with_a_behaviour_that_shows_the_pitfall)
{
    struct manifest manifest;
    char why[256] = "";
    int error =
        load_text_into("{\"version\": 1, \"pitfalls\": [" PITFALL(
                           "01-a", "[], \"behaviour\": \"stdout_differs\"", STDOUT_CHECK) "]}",
                       &manifest, why, sizeof(why));
    cr_assert_eq(error, 0, "%s", why);
    cr_expect_eq(manifest.pitfalls[0].broken_kinds, 0u);
    cr_expect_eq(manifest.pitfalls[0].broken_behaviour, MANIFEST_BEHAVIOUR_STDOUT_DIFFERS);
    manifest_free(&manifest);
}

Test(manifest, accepts_a_copying_spawn_behaviour_and_its_check)
{
    struct manifest manifest;
    char why[256] = "";
    int error = load_text_into(
        "{\"version\": 1, \"pitfalls\": [" PITFALL(
            "01-a", "[], \"behaviour\": \"copying_spawn\"",
            "[{\"id\": \"spawn\", \"test\": \"no_copying_spawn\", \"points\": 4}]") "]}",
        &manifest, why, sizeof(why));
    cr_assert_eq(error, 0, "%s", why);
    cr_expect_eq(manifest.pitfalls[0].broken_kinds, 0u);
    cr_expect_eq(manifest.pitfalls[0].broken_behaviour, MANIFEST_BEHAVIOUR_COPYING_SPAWN);
    cr_assert_eq(manifest.pitfalls[0].check_count, 1);
    cr_expect_eq(manifest.pitfalls[0].checks[0].test, MANIFEST_TEST_NO_COPYING_SPAWN);
    cr_expect_eq(manifest.pitfalls[0].checks[0].points, 4);
    cr_expect_str_eq(manifest_test_name(MANIFEST_TEST_NO_COPYING_SPAWN), "no_copying_spawn");
    manifest_free(&manifest);
}

/* A pitfall whose "fixed" object and checks the case chooses. */
#define PITFALL_FIXED(fixed, checks)                                                               \
    "{\"version\": 1, \"pitfalls\": [{\"name\": \"01-a\", \"title\": \"t\", \"task\": \"do it\", " \
    "\"files\": {\"lesson\": \"l\", \"broken\": \"b\", \"fixed\": \"f\"}, "                        \
    "\"run\": {\"args\": [], \"stdin\": null, \"timeout\": 2}, "                                   \
    "\"broken\": {\"findings\": [\"bad_close\", \"zombie\", \"timeout\"]}, \"fixed\": " fixed ", " \
    "\"hints\": [\"a\", \"b\", \"c\"], \"checks\": " checks "}]}"
#define TWO_LINES   "{\"stdout\": \"worker 1: 17\\nall done\\n\", \"exit\": 0"
#define PLAIN_FIXED TWO_LINES "}"

Test(manifest, reads_line_order_patterns_instances_and_folding)
{
    struct manifest manifest;
    char why[256] = "";
    int error = load_text_into(
        PITFALL_FIXED(TWO_LINES ", \"stdout_lines\": \"unordered\", \"stdout_patterns\": "
                                "[\"worker [0-9]+: [0-9]+\", \"all done\"], \"exit_why\": \"w\"}",
                      "[{\"id\": \"c1\", \"test\": \"no_finding\", \"kind\": \"bad_close\", "
                      "\"instance\": \"fd_negative\", \"points\": 1}, {\"id\": \"z\", \"test\": "
                      "\"no_finding\", \"kind\": \"zombie\", \"after_timeout\": \"folded\", "
                      "\"points\": 1}]"),
        &manifest, why, sizeof(why));
    cr_assert_eq(error, 0, "%s", why);
    const struct manifest_pitfall *p = &manifest.pitfalls[0];
    cr_expect_str_eq(p->task, "do it");
    cr_expect_str_eq(p->exit_why, "w");
    cr_expect_eq(p->stdout_order, MANIFEST_LINES_UNORDERED);
    cr_assert_eq(p->stdout_pattern_count, 2);
    cr_expect_str_eq(p->stdout_patterns[1], "all done");
    cr_expect_eq(p->checks[0].instance, finding_instance_find(FINDING_BAD_CLOSE, "fd_negative"));
    cr_expect_not(p->checks[0].folded_after_timeout);
    cr_expect_null(p->checks[1].instance);
    cr_expect(p->checks[1].folded_after_timeout);
    manifest_free(&manifest);
}

Test(manifest, rejects_line_rules_and_check_options_that_cannot_hold)
{
#define ONE_CHECK(extra)                                                                           \
    "[{\"id\": \"x\", \"test\": \"no_finding\", \"kind\": \"bad_close\", " extra "\"points\": 1}]"
    static const struct {
        const char *text, *reason;
    } bad[] = {
        {PITFALL_FIXED(TWO_LINES ", \"stdout_lines\": \"sorted\"}", ONE_CHECK("")),
         "\"ordered\" or \"unordered\""},
        {PITFALL_FIXED(TWO_LINES ", \"stdout_patterns\": [\"all done\"]}", ONE_CHECK("")),
         "1 patterns for 2 lines"},
        {PITFALL_FIXED(TWO_LINES ", \"stdout_patterns\": [\"worker (\", \"all done\"]}",
                       ONE_CHECK("")),
         "not a POSIX extended regular expression"},
        {PITFALL_FIXED(TWO_LINES ", \"stdout_patterns\": [\"worker\", \"all done\"]}",
                       ONE_CHECK("")),
         "does not match line 1"},
        {PITFALL_FIXED(PLAIN_FIXED, ONE_CHECK("\"instance\": \"fd_twice\", ")),
         "not one of bad_close's (fd_negative, fd_not_open)"},
        {PITFALL_FIXED(PLAIN_FIXED, "[{\"id\": \"x\", \"test\": \"stdout\", \"instance\": "
                                    "\"fd_negative\", \"points\": 1}]"),
         "only a no_finding check has an \"instance\""},
        {PITFALL_FIXED(PLAIN_FIXED, ONE_CHECK("\"after_timeout\": \"free\", ")),
         "\"zero\" or \"folded\""},
        {PITFALL_FIXED(PLAIN_FIXED, ONE_CHECK("\"after_timeout\": \"folded\", ")),
         "only a no_finding check of kind zombie can be folded"},
        {PITFALL_FIXED(PLAIN_FIXED, "[{\"id\": \"x\", \"test\": \"exit\", \"after_timeout\": "
                                    "\"folded\", \"points\": 1}]"),
         "only a no_finding check of kind zombie can be folded"},
    };
#undef ONE_CHECK
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char why[256] = "";
        cr_expect_eq(load_text(bad[i].text, why, sizeof(why)), -EINVAL, "case %zu loaded", i);
        cr_expect_not_null(strstr(why, bad[i].reason), "case %zu: reason \"%s\" lacks \"%s\"", i,
                           why, bad[i].reason);
    }
}

Test(manifest, rejects_what_a_grader_could_misread)
{
    static const struct {
        const char *text, *reason;
    } bad[] = {
        {"{\"version\": 2, \"pitfalls\": [" PITFALL("01-a", "[\"zombie\"]", CHECKS) "]}",
         "version"},
        {"{\"version\": 1, \"pitfalls\": []}", "non-empty"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL("01-a", "[\"zombies\"]", CHECKS) "]}",
         "not a finding kind"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL("01-a", "[]", CHECKS) "]}", "at least one"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL("01-a", "[], \"behaviour\": \"stdout_differ\"",
                                                    STDOUT_CHECK) "]}",
         "not a known behaviour"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL("01-a", "[], \"behaviour\": null",
                                                    STDOUT_CHECK) "]}",
         "not a known behaviour"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL("01-a", "[], \"behaviour\": \"copying\"",
                                                    STDOUT_CHECK) "]}",
         "not a known behaviour"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL(
             "01-a", "[\"zombie\"]",
             "[{\"id\": \"x\", \"test\": \"no_copying_spawns\", \"points\": 1}]") "]}",
         "test"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL("01-a", "[\"zombie\"]", CHECKS) ", " PITFALL(
             "01-a", "[\"zombie\"]", CHECKS) "]}",
         "two pitfalls"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL(
             "01-a", "[\"zombie\"]",
             "[{\"id\": \"x\", \"test\": \"stdout\", \"points\": -1}]") "]}",
         "points"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL(
             "01-a", "[\"zombie\"]", "[{\"id\": \"x\", \"test\": \"smell\", \"points\": 1}]") "]}",
         "test"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL("01-a", "[\"zombie\"]", CHECKS) "] ",
         "end of file"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char why[256] = "";
        cr_expect_eq(load_text(bad[i].text, why, sizeof(why)), -EINVAL, "case %zu loaded", i);
        cr_expect_not_null(strstr(why, bad[i].reason), "case %zu: reason \"%s\" lacks \"%s\"", i,
                           why, bad[i].reason);
    }
}

Test(manifest, a_missing_file_is_enoent)
{
    struct manifest manifest;
    char why[256] = "";
    cr_expect_eq(manifest_load("/nonexistent/manifest.json", &manifest, why, sizeof(why)), -ENOENT);
    cr_expect_neq(why[0], '\0');
}

/* A shell exercise: `sessions` is the value of "sessions", `checks` its checks. */
#define SHELL(checks, sessions) PITFALL("14-s", "[\"zombie\"]", checks ", \"sessions\": " sessions)
#define SESSION(name, extra)                                                                       \
    "{\"name\": \"" name "\", \"about\": \"a\", \"stdin\": \"echo a\\n@children\\n\", "            \
    "\"stdout\": \"a\\n\"" extra "}"
#define SESSION_CHECK(id, test, session)                                                           \
    "{\"id\": \"" id "\", \"test\": \"" test "\", \"session\": \"" session "\", \"points\": 1}"

Test(manifest, binds_each_check_of_a_shell_exercise_to_its_session)
{
    struct manifest manifest;
    char why[256] = "";
    int error = load_text_into(
        "{\"version\": 1, \"pitfalls\": [" SHELL(
            "[" SESSION_CHECK("z", "no_finding\", \"kind\": \"zombie", "two") ", " SESSION_CHECK(
                "out", "stdout",
                "one") ", " SESSION_CHECK("f", "files", "two") ", " SESSION_CHECK("c", "children",
                                                                                  "one") "]",
            "[" SESSION("one", "") ", " SESSION(
                "two", ", \"files\": {\"in.txt\": \"x\\n\"}, \"writes\": {\"out.txt\": \"y\\n\"}, "
                       "\"exit\": 3") "]") "]}",
        &manifest, why, sizeof(why));
    cr_assert_eq(error, 0, "%s", why);
    const struct manifest_pitfall *shell = &manifest.pitfalls[0];
    cr_assert_eq(shell->session_count, 2);
    const struct manifest_session *one = &shell->sessions[0], *two = &shell->sessions[1];
    cr_expect_str_eq(one->script, "echo a\n@children\n");
    cr_expect_eq(one->probe_count, 1);
    cr_expect_eq(one->expected_exit, 0);
    cr_expect_eq(two->expected_exit, 3);
    cr_assert_eq(two->input_count, 1);
    cr_expect_str_eq(two->inputs[0].name, "in.txt");
    cr_assert_eq(two->output_count, 1);
    cr_expect_str_eq(two->outputs[0].content, "y\n");
    cr_expect_eq(shell->checks[0].session, two);
    cr_expect_eq(shell->checks[1].session, one);
    cr_expect_eq(shell->checks[2].test, MANIFEST_TEST_FILES);
    cr_expect_eq(shell->checks[3].test, MANIFEST_TEST_CHILDREN);
    manifest_free(&manifest);
}

Test(manifest, rejects_a_session_no_check_can_grade)
{
    static const struct {
        const char *text, *reason;
    } bad[] = {
        {"{\"version\": 1, \"pitfalls\": [" SHELL(CHECKS, "[" SESSION("one", "") "]") "]}",
         "must name the session"},
        {"{\"version\": 1, \"pitfalls\": [" SHELL("[" SESSION_CHECK("o", "stdout", "two") "]",
                                                  "[" SESSION("one", "") "]") "]}",
         "names no session"},
        {"{\"version\": 1, \"pitfalls\": [" SHELL("[" SESSION_CHECK("f", "files", "one") "]",
                                                  "[" SESSION("one", "") "]") "]}",
         "lists none in \"writes\""},
        {"{\"version\": 1, \"pitfalls\": [" SHELL(
             "[" SESSION_CHECK("o", "stdout", "one") "]",
             "[" SESSION("one", "") ", " SESSION("two", "") "]") "]}",
         "no check grades session two"},
        {"{\"version\": 1, \"pitfalls\": [" SHELL(
             "[" SESSION_CHECK("o", "stdout", "one") "]",
             "[" SESSION("one", ", \"files\": {\"../x\": \"\"}") "]") "]}",
         "plain name"},
        {"{\"version\": 1, \"pitfalls\": [" SHELL(
             "[" SESSION_CHECK("o", "stdout", "one") "]",
             "[" SESSION("one", "") ", " SESSION("one", "") "]") "]}",
         "two sessions"},
        {"{\"version\": 1, \"pitfalls\": [" SHELL(
             "[" SESSION_CHECK("o", "stdout", "one") "]",
             "[{\"name\": \"one\", \"about\": \"a\", \"stdin\": \"echo a\", \"stdout\": "
             "\"\"}]") "]}",
         "ending in a newline"},
        {"{\"version\": 1, \"pitfalls\": [" SHELL(
             "[" SESSION_CHECK("c", "children", "one") "]",
             "[{\"name\": \"one\", \"about\": \"a\", \"stdin\": \"echo a\\n\", \"stdout\": "
             "\"\"}]") "]}",
         "no line @children"},
        {"{\"version\": 1, \"pitfalls\": [" PITFALL(
             "01-a", "[\"zombie\"]", "[" SESSION_CHECK("o", "stdout", "one") "]") "]}",
         "names no session"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char why[256] = "";
        cr_expect_eq(load_text(bad[i].text, why, sizeof(why)), -EINVAL, "case %zu loaded", i);
        cr_expect_not_null(strstr(why, bad[i].reason), "case %zu: reason \"%s\" lacks \"%s\"", i,
                           why, bad[i].reason);
    }
}
