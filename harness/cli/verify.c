/* `forklab verify [NAME]`: grades the student's copy of an exercise (or of
 * every started exercise) with the grader's own checks, and saves the
 * outcome as the exercise's status. Exit: 0 all passing, 1 not, 2 error. */
#include "cli/study.h"

#include "cli/cli.h"
#include "cli/program_name.h"
#include "grade/grade.h"
#include "grade/render/grade_render.h"
#include "study/progress.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

void cli_verify_help(FILE *out)
{
    fprintf(out,
            "usage: %1$s verify [--dir DIR] [NAME]\n"
            "\n"
            "Grades your copy DIR/NAME.c of exercise NAME exactly as %1$s grade would\n"
            "(the same compile flags, checks and points), shows each check, and saves the\n"
            "exercise's status (passing or failing) for %1$s list. Without NAME, verifies\n"
            "every exercise you have started.\n"
            "\n"
            "Options:\n"
            "  --dir DIR   the work folder (default " STUDY_DEFAULT_DIR ")\n"
            "  -h, --help  show this help\n"
            "\n"
            "Exit status: 0 every exercise verified passes, 1 one fails, 2 error.\n",
            cli_program_name());
}

/* Saves a grade as the exercise's status; hints already seen are kept. */
static int record(const char *dir, const struct manifest_pitfall *exercise,
                  const struct grade_result *result)
{
    struct progress progress;
    char why[PATH_MAX + 128];
    if (progress_open(&progress, dir, true, why, sizeof(why)) < 0)
        return cli_error("verify: %s", why);
    struct progress_entry entry;
    progress_get(&progress, exercise->name, &entry);
    entry.status = result->score == result->max_score ? PROGRESS_PASSING : PROGRESS_FAILING;
    entry.score = result->score;
    entry.max_score = result->max_score;
    int status = 0;
    if (progress_set(&progress, exercise->name, &entry) < 0 ||
        progress_save(&progress, why, sizeof(why)) < 0)
        status = cli_error("verify: %s", why);
    progress_close(&progress);
    return status;
}

int study_verify(const struct cli_kit *kit, const struct manifest_pitfall *exercise,
                 const char *dir, FILE *out)
{
    char copy[PATH_MAX];
    if (study_copy_path(dir, exercise, copy, sizeof(copy)) < 0)
        return cli_error("verify: the path is too long");
    char dir_option[PATH_MAX * 4 + 16];
    if (access(copy, F_OK) != 0)
        return cli_error("verify: there is no %s (%s): start the exercise with %s start%s %s", copy,
                         strerror(errno), cli_program_name(),
                         study_dir_option(dir, dir_option, sizeof(dir_option)), exercise->name);
    struct grade_options options;
    grade_options_init(&options);
    options.kit = &kit->kit;
    options.exercise = exercise;
    options.submission = copy;
    struct grade_result result;
    char why[PATH_MAX + 256] = "";
    int status;
    if (grade_submission(&options, &result, why, sizeof(why)) < 0)
        status = cli_error("verify: %s", why);
    else if (grade_render_text(&result, out) < 0)
        status = cli_error("verify: could not write the result");
    else
        status = record(dir, exercise, &result);
    if (status == 0)
        status = result.score == result.max_score ? EXIT_NO_FINDINGS : EXIT_FINDINGS;
    grade_result_free(&result);
    return status;
}

int cli_verify_main(int argc, char **argv)
{
    struct study_command command;
    int status;
    if (!study_begin(&command, argc, argv, STUDY_OPTION_DIR, 0, cli_verify_help, &status))
        return status;
    if (command.exercise != NULL) {
        status = study_verify(&command.kit, command.exercise, command.dir, stdout);
        study_end(&command);
        return status;
    }
    /* Every exercise with a copy in the work folder; the worst status wins. */
    size_t verified = 0;
    status = EXIT_NO_FINDINGS;
    const struct manifest *manifest = &command.kit.manifest;
    for (size_t i = 0; i < manifest->count; i++) {
        char copy[PATH_MAX];
        if (study_copy_path(command.dir, &manifest->pitfalls[i], copy, sizeof(copy)) < 0 ||
            access(copy, F_OK) != 0)
            continue;
        if (verified++ > 0)
            putchar('\n');
        int one = study_verify(&command.kit, &manifest->pitfalls[i], command.dir, stdout);
        if (one > status)
            status = one;
    }
    char dir_option[PATH_MAX * 4 + 16];
    study_dir_option(command.dir, dir_option, sizeof(dir_option));
    if (verified == 0)
        status =
            cli_error("verify: nothing to verify in %s/: start an exercise with %s "
                      "start%s NAME (see %s list%s)",
                      command.dir, cli_program_name(), dir_option, cli_program_name(), dir_option);
    study_end(&command);
    return status;
}
