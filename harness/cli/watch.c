/* `forklab watch NAME`: grades the student's copy now and again on every
 * save, until Ctrl-C (or --count grades). Watches with inotify, or re-checks
 * the file every --interval with --poll (or when inotify is not available). */
#include "cli/study.h"

#include "cli/cli.h"
#include "cli/program_name.h"
#include "core/write/visible_text.h"
#include "study/file_watch.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_INTERVAL_MS 500

void cli_watch_help(FILE *out)
{
    /* cppcheck reads %1$s and %2$g as if they were not positional. */
    // cppcheck-suppress invalidPrintfArgType_s
    fprintf(out,
            "usage: %1$s watch [--dir DIR] [--poll] [--interval SEC] [--count N] NAME\n"
            "\n"
            "Grades your copy DIR/NAME.c like %1$s verify, then again each time you save\n"
            "it, until Ctrl-C. Saves are seen with inotify (also when your editor writes a\n"
            "new file and renames it into place).\n"
            "\n"
            "Options:\n"
            "  --dir DIR       the work folder (default " STUDY_DEFAULT_DIR ")\n"
            "  --poll          look at the file every --interval instead of using inotify\n"
            "                  (for file systems without it: some network or VM shares)\n"
            "  --interval SEC  how often --poll looks (default %2$g)\n"
            "  --count N       stop after N grades (for scripts)\n"
            "  -h, --help      show this help\n"
            "\n"
            "Exit status: that of the last grade (0 full marks, 1 fewer), 2 error.\n",
            cli_program_name(), DEFAULT_INTERVAL_MS / 1000.0);
}

int cli_watch_main(int argc, char **argv)
{
    struct study_command command;
    int status;
    unsigned options =
        STUDY_OPTION_DIR | STUDY_OPTION_POLL | STUDY_OPTION_INTERVAL | STUDY_OPTION_COUNT;
    if (!study_begin(&command, argc, argv, options, 1, cli_watch_help, &status))
        return status;
    long interval = command.interval_ms > 0 ? command.interval_ms : DEFAULT_INTERVAL_MS;
    char copy[PATH_MAX], why[PATH_MAX + 64], dir_option[PATH_MAX * 4 + 16];
    struct file_watch watch;
    if (study_copy_path(command.dir, command.exercise, copy, sizeof(copy)) < 0)
        status = cli_error("watch: the path is too long");
    else if (access(copy, F_OK) != 0)
        status = cli_error("watch: there is no %s: start the exercise with %s start%s %s", copy,
                           cli_program_name(),
                           study_dir_option(command.dir, dir_option, sizeof(dir_option)),
                           command.exercise->name);
    if (status != 0) {
        study_end(&command);
        return status;
    }
    /* The watch starts before the first grade, so no save is missed. */
    if (file_watch_open(&watch, copy, command.poll, interval, why, sizeof(why)) < 0) {
        fputs("forklab: watch: ", stderr);
        visible_text_put_string(stderr, why);
        fprintf(stderr, "; looking at the file every %g s instead\n", interval / 1000.0);
        file_watch_open(&watch, copy, true, interval, why, sizeof(why));
    }
    for (long grades = 1;; grades++) {
        file_watch_mark(&watch);
        status = study_verify(&command.kit, command.exercise, command.dir, stdout);
        if (command.count > 0 && grades >= command.count)
            break;
        fputs("\nwatching ", stdout);
        visible_text_put_string(stdout, copy);
        fputs(": save it to grade again (Ctrl-C to stop)\n", stdout);
        fflush(stdout);
        int error = file_watch_wait(&watch);
        if (error < 0) {
            status = cli_error("watch: %s: %s", copy, strerror(-error));
            break;
        }
        putchar('\n');
        visible_text_put_string(stdout, copy);
        fputs(" changed: grading again\n\n", stdout);
    }
    file_watch_close(&watch);
    study_end(&command);
    return status;
}
