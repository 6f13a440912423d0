/* The grading commands: `forklab grade` (one submission, cli/grade.c) and
 * `forklab grade-all` (a folder of students, cli/grade_all.c). */
#ifndef FORKLAB_CLI_GRADE_H
#define FORKLAB_CLI_GRADE_H

#include "grade/grade.h"

#include <getopt.h>
#include <stdio.h>

/* The options both commands share: how each submission's program is run.
 * A command numbers its own options from GRADE_RUN_OPTION_END on. */
enum grade_run_option {
    OPTION_TIMEOUT = 256,
    OPTION_MAX_PROCS,
    OPTION_VALGRIND,
    OPTION_RUN_AS,
    OPTION_MAX_MEMORY,
    GRADE_RUN_OPTION_END,
};
/* Their rows of a getopt_long table. */
/* clang-format off */
#define GRADE_RUN_LONG_OPTIONS                                  \
    {"timeout", required_argument, NULL, OPTION_TIMEOUT},       \
    {"max-procs", required_argument, NULL, OPTION_MAX_PROCS},   \
    {"valgrind", no_argument, NULL, OPTION_VALGRIND},           \
    {"run-as", required_argument, NULL, OPTION_RUN_AS},         \
    {"max-memory", required_argument, NULL, OPTION_MAX_MEMORY}
/* clang-format on */
/* Stores one of those options in `options`; returns 0 or EXIT_USAGE after
 * a one-line message (also for an option that is not one of them). */
int cli_grade_run_option(struct grade_options *options, int option, const char *value);
/* Who runs the programs, once all options are read: as root, the user
 * --run-as names, else GRADE_DEFAULT_RUN_AS, which must exist; --run-as
 * root opts out, with a warning on stderr. `command` names the command in
 * messages. Returns 0 or EXIT_USAGE after a one-line message. */
int cli_grade_run_decide(struct grade_options *options, const char *command);

int cli_grade_main(int argc, char **argv);
void cli_grade_help(FILE *out);

int cli_grade_all_main(int argc, char **argv);
void cli_grade_all_help(FILE *out);

#endif
