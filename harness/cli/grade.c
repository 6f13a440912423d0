/* `forklab grade --exercise NAME [OPTION]... SUBMISSION`: compiles one
 * submission, runs it under the harness with the exercise's checks, and
 * prints the score. Exit: 0 full marks, 1 fewer points, 2 could not grade. */
#include "cli/grade.h"
#include "cli/program_name.h"

#include "check/check.h"
#include "cli/cli.h"
#include "cli/exercise.h"
#include "core/write/file_replace.h"
#include "grade/grade.h"
#include "grade/render/grade_render.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_grade_help(FILE *out)
{
    /* cppcheck reads %1$s and %2$s as if they were not positional. */
    // cppcheck-suppress invalidPrintfArgType_s
    fprintf(out,
            "usage: %1$s grade --exercise NAME [OPTION]... SUBMISSION\n"
            "\n"
            "Grades SUBMISSION for exercise NAME (see %1$s list). SUBMISSION is a .c\n"
            "file, or a folder whose .c files (not those of its subfolders) make one\n"
            "program, with the folder on the include path. It is compiled with the\n"
            "project's flags\n"
            "  cc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g\n"
            "(linking forklab's wrapper when a file includes forklab.h), runs it under\n"
            "forklab's harness in the kit's folder with the exercise's arguments and time\n"
            "limit, and scores each check of the exercise with its points. A submission\n"
            "that does not compile scores 0, with the compiler's messages.\n"
            "\n"
            "Options:\n"
            "  --exercise NAME    the exercise: 03-zombies, 03 or zombies (required)\n"
            "  --format FORMAT    %2$s (default text)\n"
            "  --output FILE      write the result to FILE instead of standard output\n"
            "                     (written once grading is over, replacing FILE whole)\n"
            "  --only CHECK       score only the check with this id; for graders with one\n"
            "                     step per check (GitHub Classroom)\n"
            "  --timeout SEC      the program's time limit (default: the exercise's)\n"
            "  --max-procs N      more processes than N is a process_limit finding\n"
            "  --max-memory MIB   the kernel stops the compiler, or the program, past MIB\n"
            "                     MiB of memory (default %3$d; 0: no limit)\n"
            "  --valgrind         also run the program under valgrind's memcheck\n"
            "  --run-as USER      when grading as root, run the program as USER (default\n"
            "                     " GRADE_DEFAULT_RUN_AS
            "; --run-as root runs it as root, with a warning);\n"
            "                     the compiler runs as root, on a private copy\n"
            "  -h, --help         show this help\n"
            "\n"
            "What the program prints is data for the checks, never read as a result.\n"
            "\n"
            "Exit status: 0 full marks, 1 fewer points (a compile failure too) or a grade\n"
            "whose report lost facts (status incomplete), 2 the submission could not be\n"
            "graded (a bad option, a missing file, no compiler).\n"
            "\n"
            "Examples:\n"
            "  %1$s grade --exercise 03 exercises/03-zombies.c\n"
            "  %1$s grade --exercise zombies --format gradescope \\\n"
            "      --output /autograder/results/results.json /autograder/submission\n",
            cli_program_name(), grade_format_names, CHECK_DEFAULT_MAX_MEMORY_MIB);
}

enum option_id {
    OPTION_EXERCISE = GRADE_RUN_OPTION_END,
    OPTION_FORMAT,
    OPTION_OUTPUT,
    OPTION_ONLY,
};

static const struct option long_options[] = {
    {"exercise", required_argument, NULL, OPTION_EXERCISE},
    {"format", required_argument, NULL, OPTION_FORMAT},
    {"output", required_argument, NULL, OPTION_OUTPUT},
    {"only", required_argument, NULL, OPTION_ONLY},
    GRADE_RUN_LONG_OPTIONS,
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct grade_command {
    const char *exercise;
    grade_renderer render;
    const char *output;
    struct grade_options options;
    bool help;
};

int cli_grade_run_option(struct grade_options *options, int option, const char *value)
{
    switch (option) {
    case OPTION_TIMEOUT:
        return cli_parse_timeout_option(value, &options->timeout_ms);
    case OPTION_MAX_PROCS:
        return cli_parse_max_procs_option(value, &options->max_procs);
    case OPTION_MAX_MEMORY:
        return cli_parse_max_memory_option(value, &options->max_memory_mib);
    case OPTION_VALGRIND:
        options->valgrind = true;
        return 0;
    case OPTION_RUN_AS: {
        errno = 0;
        const struct passwd *user = getpwnam(value);
        if (user == NULL)
            return cli_error("--run-as '%s': no such user%s%s", value, errno ? ": " : "",
                             errno ? strerror(errno) : "");
        options->run_as = true;
        options->run_uid = user->pw_uid;
        options->run_gid = user->pw_gid;
        return 0;
    }
    default:
        return cli_error("internal error: option %d has no handler", option);
    }
}

int cli_grade_run_decide(struct grade_options *options, const char *command)
{
    bool root = geteuid() == 0;
    /* --run-as root: the opt-out, which a grader must mean. */
    if (options->run_as && options->run_uid == 0) {
        if (!root)
            return cli_error("%s: --run-as root: only root can run a program as root", command);
        options->run_as = false;
        fprintf(stderr,
                "forklab: %s: warning: --run-as root: each submission's program runs as root, "
                "where it can read and change anything, other submissions and their grades "
                "included\n",
                command);
        return 0;
    }
    if (options->run_as && !root)
        return cli_error("%s: --run-as: only root can run a program as another user", command);
    if (options->run_as || !root)
        return 0;
    const struct passwd *user = getpwnam(GRADE_DEFAULT_RUN_AS);
    if (user == NULL || user->pw_uid == 0)
        return cli_error("%s: as root, forklab runs each program as user %s, who does not exist "
                         "here: give --run-as USER (an unprivileged user), or --run-as root",
                         command, GRADE_DEFAULT_RUN_AS);
    options->run_as = true;
    options->run_uid = user->pw_uid;
    options->run_gid = user->pw_gid;
    return 0;
}

static int apply_option(void *context, int option, const char *value)
{
    struct grade_command *command = context;
    switch (option) {
    case OPTION_EXERCISE:
        command->exercise = value;
        return 0;
    case OPTION_FORMAT:
        command->render = grade_renderer_by_name(value);
        if (command->render == NULL)
            return cli_error("--format '%s': not a format; use one of %s", value,
                             grade_format_names);
        return 0;
    case OPTION_OUTPUT:
        command->output = value;
        return 0;
    case OPTION_ONLY:
        command->options.only_check = value;
        return 0;
    case 'h':
        command->help = true;
        return 0;
    default:
        return cli_grade_run_option(&command->options, option, value);
    }
}

static int parse_command_line(struct grade_command *command, int argc, char **argv)
{
    int parsed = cli_parse_options(argc, argv, "grade", ":h", long_options, apply_option, command);
    if (parsed != 0)
        return parsed;
    if (command->help)
        return 0;
    if (command->exercise == NULL)
        return cli_error("grade: which exercise? give --exercise NAME (see %s list)",
                         cli_program_name());
    if (optind >= argc)
        return cli_error("grade: no submission given (usage: %s grade --exercise NAME "
                         "FILE.c|DIR)",
                         cli_program_name());
    if (optind + 1 < argc)
        return cli_error("grade: one submission at a time (for many, see %s grade-all)",
                         cli_program_name());
    command->options.submission = argv[optind];
    int checked = cli_grade_run_decide(&command->options, "grade");
    if (checked != 0)
        return checked;
    struct stat status;
    if (stat(command->options.submission, &status) != 0)
        return cli_error("grade: %s: %s", command->options.submission, strerror(errno));
    return 0;
}

/* What file_replace() needs to write the result. */
struct rendering {
    grade_renderer render;
    const struct grade_result *result;
};

static int render_result(FILE *out, const void *context)
{
    const struct rendering *rendering = context;
    return rendering->render(rendering->result, out);
}

int cli_grade_main(int argc, char **argv)
{
    struct grade_command command = {.render = grade_render_text};
    grade_options_init(&command.options);
    int status = parse_command_line(&command, argc, argv);
    if (status != 0 || command.help) {
        if (command.help)
            cli_grade_help(stdout);
        return status;
    }
    struct cli_kit kit;
    status = cli_kit_load_exercise(&kit, command.exercise, &command.options.exercise);
    if (status != 0)
        return status;
    command.options.kit = &kit.kit;
    if (command.options.only_check != NULL &&
        grade_max_score(command.options.exercise, command.options.only_check) < 0) {
        status = cli_error("grade: --only %s: exercise %s has no such check",
                           command.options.only_check, command.options.exercise->name);
        cli_kit_free(&kit);
        return status;
    }

    struct grade_result result;
    char why[PATH_MAX + 256] = "";
    int error = grade_submission(&command.options, &result, why, sizeof(why));
    if (error < 0) {
        status = cli_error("grade: %s", why);
    } else if (command.output != NULL) {
        /* Only now, with every process of the submission gone, is the result written. */
        struct rendering rendering = {command.render, &result};
        if (file_replace(command.output, render_result, &rendering, why, sizeof(why)) < 0)
            status = cli_error("grade: %s", why);
    } else if (command.render(&result, stdout) < 0) {
        status = cli_error("grade: could not write the result");
    }
    if (status == 0)
        status = result.score == result.max_score && result.status != GRADE_INCOMPLETE
                     ? EXIT_NO_FINDINGS
                     : EXIT_FINDINGS;
    grade_result_free(&result);
    cli_kit_free(&kit);
    return status;
}
