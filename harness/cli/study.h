/* The self-study commands: list, start, hint, show (cli/study.c), verify
 * (cli/verify.c) and watch (cli/watch.c), on a student's copy of the broken
 * program in a work folder (exercises/ by default) with saved progress. */
#ifndef FORKLAB_CLI_STUDY_H
#define FORKLAB_CLI_STUDY_H

#include "cli/exercise.h"

#include <stdbool.h>
#include <stdio.h>

/* The options a study command accepts (besides --help). */
#define STUDY_OPTION_DIR      (1u << 0) /* --dir DIR: the work folder */
#define STUDY_OPTION_FORCE    (1u << 1) /* --force: replace an existing copy */
#define STUDY_OPTION_POLL     (1u << 2) /* --poll: watch by re-checking, not inotify */
#define STUDY_OPTION_INTERVAL (1u << 3) /* --interval SEC: how often --poll looks */
#define STUDY_OPTION_COUNT    (1u << 4) /* --count N: stop after N grades */
#define STUDY_OPTION_ALL      (1u << 5) /* --all: every hint seen so far */
#define STUDY_OPTION_NUMBER   (1u << 6) /* NAME N: a number after the name */
#define STUDY_OPTION_NAMES    (1u << 7) /* --names: the names alone, for scripts */
#define STUDY_OPTION_SOLUTION (1u << 8) /* --solution: show the fix before it is solved */

/* A study command's parsed command line, its kit and its exercise. */
struct study_command {
    const char *dir;  /* the work folder */
    const char *name; /* the exercise as typed, or NULL */
    bool force, poll, help, all, names, solution;
    long interval_ms;   /* 0: the command's default */
    long count;         /* 0: no limit */
    const char *number; /* the N after NAME, as typed, or NULL */
    struct cli_kit kit;
    const struct manifest_pitfall *exercise; /* NULL when no name was given */
};

/* Parses argv (argv[0] is the command's name) for the `options` flags and
 * at least `names_min` (and at most one) exercise names, then loads the kit
 * and finds the exercise. Returns true when the command should run (then
 * call study_end); false when it is over, with the exit status in *status
 * (after an error message, or after printing `help` for --help). */
bool study_begin(struct study_command *command, int argc, char **argv, unsigned options,
                 int names_min, void (*help)(FILE *out), int *status);
void study_end(struct study_command *command);

/* What a command we suggest needs to find the same work folder: " --dir
 * DIR" (quoted for the shell) when it is not the default, else "". Returns
 * `text`. */
const char *study_dir_option(const char *dir, char *text, size_t size);

int cli_list_main(int argc, char **argv);
void cli_list_help(FILE *out);
int cli_start_main(int argc, char **argv);
void cli_start_help(FILE *out);
int cli_hint_main(int argc, char **argv);
void cli_hint_help(FILE *out);
int cli_show_main(int argc, char **argv);
void cli_show_help(FILE *out);
int cli_verify_main(int argc, char **argv);
void cli_verify_help(FILE *out);
int cli_watch_main(int argc, char **argv);
void cli_watch_help(FILE *out);

/* Grades the student's copy DIR/NAME.c exactly as `forklab grade` does,
 * prints the result as text on `out` and saves the outcome in DIR's
 * progress. Returns EXIT_NO_FINDINGS (full marks), EXIT_FINDINGS (fewer) or
 * EXIT_USAGE (could not grade, after printing why). */
int study_verify(const struct cli_kit *kit, const struct manifest_pitfall *exercise,
                 const char *dir, FILE *out);

#endif
