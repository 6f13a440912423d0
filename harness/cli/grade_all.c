/* `forklab grade-all --exercise NAME [OPTION]... FOLDER`: grades every
 * student in FOLDER, N at a time, then writes the gradebook. Exit: 0 every
 * student graded, 1 some could not be graded, 2 bad input. */
#include "cli/grade.h"
#include "cli/program_name.h"

#include "check/check.h"
#include "cli/cli.h"
#include "cli/exercise.h"
#include "core/write/visible_text.h"
#include "grade/grade_all.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_OUT "grades"
/* More grading processes than this only thrash. */
#define JOBS_MAX 256

void cli_grade_all_help(FILE *out)
{
    /* cppcheck reads %1$s and %2$s as if they were not positional. */
    // cppcheck-suppress invalidPrintfArgType_s
    fprintf(out,
            "usage: %1$s grade-all --exercise NAME [OPTION]... FOLDER\n"
            "\n"
            "Grades every submission in FOLDER for exercise NAME, exactly as %1$s grade\n"
            "does: each .c file (alice.c) or subfolder (alice/) is one student; hidden\n"
            "entries are ignored and other files are skipped with a note. Each student is\n"
            "graded in a process of its own, so one submission's fork bomb, output flood or\n"
            "endless loop never changes another's grade.\n"
            "\n"
            "Writes OUT/" GRADEBOOK_FILE " (student, status, score, max_score, one column per\n"
            "check, explanation; a cell that begins like a formula starts with ' so that\n"
            "spreadsheets show it as text) and OUT/STUDENT.json (the grade, as %1$s\n"
            "grade --format json) once every grading is over.\n"
            "\n"
            "Options:\n"
            "  --exercise NAME   the exercise: 03-zombies, 03 or zombies (required)\n"
            "  --jobs N          students graded at once (default: the number of CPUs)\n"
            "  --out OUT         where the gradebook goes (default ./" DEFAULT_OUT ")\n"
            "  --timeout SEC     each program's time limit (default: the exercise's)\n"
            "  --max-procs N     more processes than N is a process_limit finding\n"
            "  --max-memory MIB  the kernel stops a compiler, or a program, past MIB MiB\n"
            "                    of memory (default %2$d; 0: no limit)\n"
            "  --valgrind        also run each program under valgrind's memcheck\n"
            "  --run-as USER     when grading as root, run each program as USER (default\n"
            "                    " GRADE_DEFAULT_RUN_AS
            "; --run-as root runs them as root, with a warning);\n"
            "                    the compiler runs as root, on a private copy\n"
            "  -h, --help        show this help\n"
            "\n"
            "Exit status: 0 every student was graded (whatever the scores), 1 some could not\n"
            "be graded (see the gradebook's explanation column), 2 bad input.\n"
            "\n"
            "Example:\n"
            "  %1$s grade-all --exercise 03 --jobs 2 --out grades-03 submissions/\n",
            cli_program_name(), CHECK_DEFAULT_MAX_MEMORY_MIB);
}

enum option_id {
    OPTION_EXERCISE = GRADE_RUN_OPTION_END,
    OPTION_JOBS,
    OPTION_OUT,
};

static const struct option long_options[] = {
    {"exercise", required_argument, NULL, OPTION_EXERCISE},
    {"jobs", required_argument, NULL, OPTION_JOBS},
    {"out", required_argument, NULL, OPTION_OUT},
    GRADE_RUN_LONG_OPTIONS,
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct grade_all_command {
    const char *exercise;
    const char *out;
    struct grade_all_options options;
    bool help;
};

static int apply_option(void *context, int option, const char *value)
{
    struct grade_all_command *command = context;
    long number;
    switch (option) {
    case OPTION_EXERCISE:
        command->exercise = value;
        return 0;
    case OPTION_JOBS: {
        static const struct cli_number spec = {"--jobs", 1, JOBS_MAX, "students graded at once"};
        int refused = cli_parse_number(&spec, value, &number);
        command->options.jobs = (int)number;
        return refused;
    }
    case OPTION_OUT:
        command->out = value;
        return 0;
    case 'h':
        command->help = true;
        return 0;
    default:
        return cli_grade_run_option(&command->options.grade, option, value);
    }
}

/* The gradebook must not land among the submissions: the next run would
 * take it for a student. */
static int check_out_folder(const char *out, const char *folder)
{
    char resolved_folder[PATH_MAX], resolved_out[PATH_MAX], resolved_parent[PATH_MAX];
    if (realpath(folder, resolved_folder) == NULL)
        return cli_error("grade-all: %s: %s", folder, strerror(errno));
    char *copy = strdup(out);
    if (copy == NULL)
        return cli_error("out of memory");
    bool inside =
        (realpath(out, resolved_out) != NULL && strcmp(resolved_out, resolved_folder) == 0) ||
        (realpath(dirname(copy), resolved_parent) != NULL &&
         strcmp(resolved_parent, resolved_folder) == 0);
    free(copy);
    if (inside)
        return cli_error("grade-all: --out %s is the submissions folder %s or inside it", out,
                         folder);
    return 0;
}

static int parse_command_line(struct grade_all_command *command, int argc, char **argv)
{
    int parsed =
        cli_parse_options(argc, argv, "grade-all", ":h", long_options, apply_option, command);
    if (parsed != 0)
        return parsed;
    if (command->help)
        return 0;
    if (command->exercise == NULL)
        return cli_error("grade-all: which exercise? give --exercise NAME (see %s list)",
                         cli_program_name());
    if (optind + 1 != argc)
        return cli_error("grade-all: give one folder of submissions (usage: %s grade-all "
                         "--exercise NAME FOLDER)",
                         cli_program_name());
    command->options.folder = argv[optind];
    int checked = cli_grade_run_decide(&command->options.grade, "grade-all");
    if (checked != 0)
        return checked;
    struct stat status;
    if (stat(command->options.folder, &status) != 0)
        return cli_error("grade-all: %s: %s", command->options.folder, strerror(errno));
    if (!S_ISDIR(status.st_mode))
        return cli_error("grade-all: %s is not a folder (for one file, see %s grade)",
                         command->options.folder, cli_program_name());
    return check_out_folder(command->out, command->options.folder);
}

/* Each submission is graded from a private copy, but the originals stay
 * where the teacher put them: a program run as another user can read them
 * there if that folder lets it. Only the teacher can close that. */
static void warn_if_readable(const struct grade_all_options *options)
{
    struct stat status;
    if (!options->grade.run_as || stat(options->folder, &status) != 0 ||
        (status.st_mode & (S_IROTH | S_IXOTH)) == 0)
        return;
    const struct passwd *user = getpwuid(options->grade.run_uid);
    fprintf(stderr, "forklab: grade-all: warning: user %s can read ",
            user != NULL ? user->pw_name : "(the one that runs the programs)");
    visible_text_put_string(stderr, options->folder);
    fputs(": a submission could read the others' files there (chmod 700 prevents it; the "
          "copies graded are private)\n",
          stderr);
}

/* One line per student as its grade arrives. The name is the student's own
 * file name and the error may quote a grading process: both are made
 * visible, so neither can act on the terminal or start a line of its own. */
static void print_graded(const struct grade_all_student *student, void *context)
{
    (void)context;
    char *name = visible_text_dup(student->name);
    printf("%-24s ", name != NULL ? name : "(out of memory)");
    free(name);
    if (student->grade != NULL) {
        printf("%3lld/%-3lld %-14s %5.1f s\n",
               json_integer_value(json_object_get(student->grade, "score")),
               json_integer_value(json_object_get(student->grade, "max_score")),
               json_string_value(json_object_get(student->grade, "status")),
               student->duration_ms / 1000.0);
    } else {
        fputs("  error   ", stdout);
        visible_text_put_string(stdout, student->error);
        putchar('\n');
    }
    fflush(stdout);
}

int cli_grade_all_main(int argc, char **argv)
{
    struct grade_all_command command = {.out = DEFAULT_OUT};
    grade_options_init(&command.options.grade);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    command.options.jobs = cpus > 0 ? (int)(cpus < JOBS_MAX ? cpus : JOBS_MAX) : 1;
    command.options.on_graded = print_graded;
    int status = parse_command_line(&command, argc, argv);
    if (status != 0 || command.help) {
        if (command.help)
            cli_grade_all_help(stdout);
        return status;
    }
    struct cli_kit kit;
    status = cli_kit_load_exercise(&kit, command.exercise, &command.options.grade.exercise);
    if (status != 0)
        return status;
    command.options.grade.kit = &kit.kit;

    struct grade_all_result result;
    char why[PATH_MAX + 256] = "";
    if (grade_all_list(command.options.folder, &result, why, sizeof(why)) < 0) {
        cli_kit_free(&kit);
        return cli_error("grade-all: %s", why);
    }
    /* Now, before the first grade: a bad --out must not cost the grades. */
    if (grade_all_prepare_out(command.out, why, sizeof(why)) < 0) {
        grade_all_result_free(&result);
        cli_kit_free(&kit);
        return cli_error("grade-all: %s", why);
    }
    warn_if_readable(&command.options);
    for (size_t i = 0; i < result.skipped_count; i++) {
        fputs("forklab: grade-all: skipped ", stderr);
        visible_text_put_string(stderr, command.options.folder);
        fputc('/', stderr);
        visible_text_put_string(stderr, result.skipped[i]);
        fputs(": neither a .c file nor a folder\n", stderr);
    }
    printf("grading %zu submission%s of %s, %d at a time\n", result.count,
           result.count == 1 ? "" : "s", command.options.grade.exercise->name,
           command.options.jobs);
    fflush(stdout);

    if (grade_all_run(&command.options, &result, why, sizeof(why)) < 0)
        status = cli_error("grade-all: %s", why);
    else if (grade_all_write(&command.options, &result, command.out, why, sizeof(why)) < 0)
        status = cli_error("grade-all: %s", why);
    if (status == 0) {
        size_t errors = 0;
        for (size_t i = 0; i < result.count; i++)
            errors += result.students[i].grade == NULL;
        printf("graded %zu of %zu in %.1f s; gradebook: %s/%s\n", result.count - errors,
               result.count, result.duration_ms / 1000.0, command.out, GRADEBOOK_FILE);
        status = errors == 0 ? EXIT_NO_FINDINGS : EXIT_FINDINGS;
    }
    grade_all_result_free(&result);
    cli_kit_free(&kit);
    return status;
}
