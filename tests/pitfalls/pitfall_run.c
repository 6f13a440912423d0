/* Shared by the pitfall tests: the manifest, and one `forklab check` run of a
 * pitfall's broken or fixed program through the harness engine. */
#include "pitfall_run.h"

#include "check/check.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void pitfall_manifest_load(struct manifest *manifest)
{
    cr_assert_eq(chdir(FORKLAB_SOURCE_DIR), 0, "chdir %s: %m", FORKLAB_SOURCE_DIR);
    char why[256] = "";
    int error = manifest_load(MANIFEST_PATH, manifest, why, sizeof(why));
    cr_assert_eq(error, 0, "cannot load the manifest: %s", why);
}

void pitfall_check(const struct manifest_pitfall *pitfall, bool fixed, bool valgrind,
                   struct report *report)
{
    pitfall_check_in(pitfall, fixed ? "solutions" : "pitfalls", valgrind, report);
}

static void check_in(const struct manifest_pitfall *pitfall, const char *folder, bool valgrind,
                     bool all_schedules, struct report *report)
{
    char program[PATH_MAX];
    snprintf(program, sizeof(program), "%s/%s/%s", FORKLAB_PLAIN_DIR, folder, pitfall->name);
    cr_assert_eq(access(program, X_OK), 0, "%s is not built: %m", program);

    char *argv[pitfall->arg_count + 2];
    argv[0] = program;
    for (size_t i = 0; i < pitfall->arg_count; i++)
        argv[i + 1] = pitfall->args[i];
    argv[pitfall->arg_count + 1] = NULL;

    struct check_options options;
    check_options_init(&options);
    options.argv = argv;
    options.timeout_ms = pitfall->timeout_ms;
    options.stdin_path = pitfall->stdin_path;
    options.valgrind = valgrind;
    options.schedules = all_schedules ? CHECK_SCHEDULES_ALL : CHECK_SCHEDULES_NATURAL;

    report_init(report);
    char why[256] = "";
    int error = check_run(&options, report, why, sizeof(why));
    cr_assert_eq(error, 0, "check_run on %s failed: %s", program, why);
}

void pitfall_check_in(const struct manifest_pitfall *pitfall, const char *folder, bool valgrind,
                      struct report *report)
{
    check_in(pitfall, folder, valgrind, false, report);
}

void pitfall_check_all_schedules(const struct manifest_pitfall *pitfall, const char *folder,
                                 struct report *report)
{
    check_in(pitfall, folder, false, true, report);
}

unsigned report_kind_set(const struct report *report)
{
    unsigned kinds = 0;
    for (size_t i = 0; i < report->finding_count; i++)
        kinds |= 1u << report->findings[i].kind;
    return kinds;
}

const char *kind_set_text(unsigned kinds, char *buffer, size_t size)
{
    size_t used = 0;
    buffer[0] = '\0';
    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++)
        if (kinds & (1u << kind) && used < size)
            used += (size_t)snprintf(buffer + used, size - used, "%s%s", used ? ", " : "",
                                     finding_kind_name((enum finding_kind)kind));
    if (kinds == 0)
        snprintf(buffer, size, "(none)");
    return buffer;
}

size_t report_copying_spawns(const struct report *report)
{
    size_t count = 0;
    for (size_t i = 0; i < report->process_count; i++)
        count += process_record_is_copying_spawn(&report->processes[i]);
    return count;
}

int pitfall_repeats(const struct manifest_pitfall *pitfall, bool fixed, bool valgrind)
{
#if defined(__SANITIZE_ADDRESS__)
    (void)pitfall;
    (void)fixed;
    (void)valgrind;
    return 1; /* memory errors show on any run; the plain build repeats */
#else
    bool hangs = !fixed && manifest_expects(pitfall, FINDING_TIMEOUT);
    if (valgrind)
        return hangs ? 2 : 3;
    return 10;
#endif
}
