/* The simple self-study commands: `forklab list`, `start NAME` (copy the
 * broken program into the work folder), `hint NAME` and `show NAME`, and the
 * command line all the study commands share. */
#include "cli/study.h"

#include "cli/cli.h"
#include "cli/program_name.h"
#include "core/write/file_replace.h"
#include "grade/grade.h"
#include "kit/lesson.h"
#include "study/progress.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the shared command line ---------------------------------------------- */

enum study_option_id {
    OPTION_DIR = 256,
    OPTION_FORCE,
    OPTION_POLL,
    OPTION_INTERVAL,
    OPTION_COUNT,
    OPTION_ALL,
    OPTION_NAMES,
    OPTION_SOLUTION,
};

static const struct {
    unsigned flag;
    struct option option;
} study_options[] = {
    {STUDY_OPTION_DIR, {"dir", required_argument, NULL, OPTION_DIR}},
    {STUDY_OPTION_FORCE, {"force", no_argument, NULL, OPTION_FORCE}},
    {STUDY_OPTION_POLL, {"poll", no_argument, NULL, OPTION_POLL}},
    {STUDY_OPTION_INTERVAL, {"interval", required_argument, NULL, OPTION_INTERVAL}},
    {STUDY_OPTION_COUNT, {"count", required_argument, NULL, OPTION_COUNT}},
    {STUDY_OPTION_ALL, {"all", no_argument, NULL, OPTION_ALL}},
    {STUDY_OPTION_NAMES, {"names", no_argument, NULL, OPTION_NAMES}},
    {STUDY_OPTION_SOLUTION, {"solution", no_argument, NULL, OPTION_SOLUTION}},
};
#define STUDY_OPTION_COUNT_ALL (sizeof(study_options) / sizeof(study_options[0]))

static int apply_option(void *context, int option, const char *value)
{
    struct study_command *command = context;
    long number;
    switch (option) {
    case OPTION_DIR:
        command->dir = value;
        return 0;
    case OPTION_FORCE:
        command->force = true;
        return 0;
    case OPTION_POLL:
        command->poll = true;
        return 0;
    case OPTION_ALL:
        command->all = true;
        return 0;
    case OPTION_NAMES:
        command->names = true;
        return 0;
    case OPTION_SOLUTION:
        command->solution = true;
        return 0;
    case OPTION_INTERVAL:
        return cli_parse_seconds_option("--interval", value, &command->interval_ms);
    case OPTION_COUNT: {
        static const struct cli_number spec = {"--count", 1, INT_MAX, "grades"};
        int refused = cli_parse_number(&spec, value, &number);
        command->count = number;
        return refused;
    }
    case 'h':
        command->help = true;
        return 0;
    default:
        return cli_error("internal error: option %d has no handler", option);
    }
}

static int parse_command_line(struct study_command *command, int argc, char **argv,
                              unsigned options, int names_min)
{
    /* This command's options, and --help. */
    struct option allowed[STUDY_OPTION_COUNT_ALL + 2];
    size_t count = 0;
    for (size_t i = 0; i < STUDY_OPTION_COUNT_ALL; i++)
        if (options & study_options[i].flag)
            allowed[count++] = study_options[i].option;
    allowed[count++] = (struct option){"help", no_argument, NULL, 'h'};
    allowed[count] = (struct option){NULL, 0, NULL, 0};

    const char *name = argv[0];
    command->dir = STUDY_DEFAULT_DIR;
    int status = cli_parse_options(argc, argv, name, ":h", allowed, apply_option, command);
    if (status != 0)
        return status;
    if (command->help)
        return 0;
    if (argc - optind < names_min)
        return cli_error("%s: which exercise? (usage: %s %s NAME; see %s list)", name,
                         cli_program_name(), name, cli_program_name());
    int names_max = (options & STUDY_OPTION_NUMBER) ? 2 : 1;
    if (argc - optind > names_max)
        return cli_error("%s: one exercise at a time", name);
    command->name = optind < argc ? argv[optind] : NULL;
    command->number = argc - optind == 2 ? argv[optind + 1] : NULL;
    return 0;
}

bool study_begin(struct study_command *command, int argc, char **argv, unsigned options,
                 int names_min, void (*help)(FILE *out), int *status)
{
    memset(command, 0, sizeof(*command));
    *status = parse_command_line(command, argc, argv, options, names_min);
    if (*status != 0)
        return false;
    if (command->help) {
        help(stdout);
        return false;
    }
    *status = cli_kit_load_exercise(&command->kit, command->name, &command->exercise);
    return *status == 0;
}

void study_end(struct study_command *command)
{
    cli_kit_free(&command->kit);
}

const char *study_dir_option(const char *dir, char *text, size_t size)
{
    if (strcmp(dir, STUDY_DEFAULT_DIR) == 0) {
        text[0] = '\0';
        return text;
    }
    char quoted[PATH_MAX * 4 + 3];
    snprintf(text, size, " --dir %s", cli_shell_quote(dir, quoted, sizeof(quoted)));
    return text;
}

/* ---- list ---------------------------------------------------------------- */

void cli_list_help(FILE *out)
{
    fprintf(out,
            "usage: %1$s list [--dir DIR] [--names]\n"
            "\n"
            "Lists every exercise with its status: not started, failing or passing (as of\n"
            "the last %1$s verify), its last score, and what to do next.\n"
            "\n"
            "Options:\n"
            "  --dir DIR   the work folder (default " STUDY_DEFAULT_DIR ")\n"
            "  --names     only the exercises' names, one a line (for scripts and shell\n"
            "              completion)\n"
            "  -h, --help  show this help\n",
            cli_program_name());
}

/* The status list shows: what was saved, but a copy on disk without a saved
 * status is started (and, being the broken program, failing). */
static enum progress_status shown_status(const struct progress_entry *entry, bool copy_exists)
{
    if (entry->status == PROGRESS_NOT_STARTED && copy_exists)
        return PROGRESS_FAILING;
    return entry->status;
}

int cli_list_main(int argc, char **argv)
{
    struct study_command command;
    int status;
    if (!study_begin(&command, argc, argv, STUDY_OPTION_DIR | STUDY_OPTION_NAMES, 0, cli_list_help,
                     &status))
        return status;
    const struct manifest *manifest = &command.kit.manifest;
    if (command.names) {
        for (size_t i = 0; i < manifest->count; i++)
            puts(manifest->pitfalls[i].name);
        study_end(&command);
        return EXIT_NO_FINDINGS;
    }
    struct progress progress;
    char why[PATH_MAX + 128];
    if (progress_open(&progress, command.dir, false, why, sizeof(why)) < 0) {
        study_end(&command);
        return cli_error("list: %s", why);
    }
    printf("forklab exercises (work folder %s/)\n\n", command.dir);
    size_t passing = 0;
    const struct manifest_pitfall *next = NULL;
    bool next_started = false;
    for (size_t i = 0; i < manifest->count; i++) {
        const struct manifest_pitfall *item = &manifest->pitfalls[i];
        struct progress_entry entry;
        progress_get(&progress, item->name, &entry);
        char copy[PATH_MAX], score[32] = "-";
        bool copy_exists =
            study_copy_path(command.dir, item, copy, sizeof(copy)) == 0 && access(copy, F_OK) == 0;
        enum progress_status shown = shown_status(&entry, copy_exists);
        if (entry.score >= 0 && shown != PROGRESS_NOT_STARTED)
            snprintf(score, sizeof(score), "%d/%d", entry.score, entry.max_score);
        printf("  %-22s %-12s %-6s %s\n", item->name, progress_status_name(shown), score,
               item->title);
        passing += shown == PROGRESS_PASSING;
        /* Next is the first exercise under way, else the first not started. */
        if (shown == PROGRESS_FAILING && !next_started) {
            next = item;
            next_started = true;
        } else if (shown == PROGRESS_NOT_STARTED && next == NULL) {
            next = item;
        }
    }
    printf("\n%zu of %zu passing.", passing, manifest->count);
    const char *forklab = cli_program_name();
    char dir[PATH_MAX * 4 + 16];
    study_dir_option(command.dir, dir, sizeof(dir));
    if (next == NULL)
        printf(" Every exercise passes: well done.\n");
    else if (next_started)
        printf(" Next: fix %s/%s.c, then %s verify%s %s (stuck? %s hint%s %s)\n", command.dir,
               next->name, forklab, dir, next->name, forklab, dir, next->name);
    else
        printf(" Next: %s start%s %s\n", forklab, dir, next->name);
    progress_close(&progress);
    study_end(&command);
    return EXIT_NO_FINDINGS;
}

/* ---- start --------------------------------------------------------------- */

void cli_start_help(FILE *out)
{
    fprintf(out,
            "usage: %s start [--dir DIR] [--force] NAME\n"
            "\n"
            "Copies exercise NAME's broken program into the work folder as DIR/NAME.c, for\n"
            "you to fix. An existing copy (your work) is never replaced without --force.\n"
            "\n"
            "Options:\n"
            "  --dir DIR   the work folder (default " STUDY_DEFAULT_DIR ", created if needed)\n"
            "  --force     replace an existing copy with a fresh one\n"
            "  -h, --help  show this help\n",
            cli_program_name());
}

/* Copies `from` to the stream; for file_replace. */
static int copy_file(FILE *out, const void *from)
{
    FILE *in = fopen(from, "re");
    if (in == NULL)
        return -errno;
    char buffer[8192];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), in)) > 0)
        if (fwrite(buffer, 1, got, out) != got)
            break;
    int error = ferror(in) || ferror(out) ? -EIO : 0;
    fclose(in);
    return error;
}

int cli_start_main(int argc, char **argv)
{
    struct study_command command;
    int status;
    if (!study_begin(&command, argc, argv, STUDY_OPTION_DIR | STUDY_OPTION_FORCE, 1, cli_start_help,
                     &status))
        return status;
    const struct manifest_pitfall *exercise = command.exercise;
    char copy[PATH_MAX], original[PATH_MAX], why[2 * PATH_MAX], dir[PATH_MAX * 4 + 16];
    const char *forklab = cli_program_name();
    study_dir_option(command.dir, dir, sizeof(dir));
    struct progress progress;
    if (study_copy_path(command.dir, exercise, copy, sizeof(copy)) < 0 ||
        kit_path(&command.kit.kit, exercise->broken, original, sizeof(original)) < 0) {
        status = cli_error("start: the path is too long");
    } else if (!command.force && access(copy, F_OK) == 0) {
        status = cli_error("start: %s already exists (your work?); keep it, or start afresh "
                           "with %s start%s --force %s",
                           copy, forklab, dir, exercise->name);
    } else if (progress_open(&progress, command.dir, true, why, sizeof(why)) < 0) {
        status = cli_error("start: %s", why);
    } else {
        struct progress_entry entry;
        progress_get(&progress, exercise->name, &entry);
        entry.status = PROGRESS_FAILING; /* the broken program, until verified */
        entry.score = entry.max_score = -1;
        if (file_replace(copy, copy_file, original, why, sizeof(why)) < 0 ||
            progress_set(&progress, exercise->name, &entry) < 0 ||
            progress_save(&progress, why, sizeof(why)) < 0)
            status = cli_error("start: %s", why);
        progress_close(&progress);
    }
    if (status == 0) {
        printf("%s: %s\n\n", exercise->name, exercise->title);
        grade_put_task(exercise, stdout);
        printf("\nYour copy is %s: fix it, then check it with\n"
               "  %s verify%s %s      (or %s watch%s %s to check on every save)\n"
               "The lesson: %s show %s   A hint: %s hint%s %s\n",
               copy, forklab, dir, exercise->name, forklab, dir, exercise->name, forklab,
               exercise->name, forklab, dir, exercise->name);
    }
    study_end(&command);
    return status;
}

/* ---- hint ---------------------------------------------------------------- */

void cli_hint_help(FILE *out)
{
    fprintf(out,
            "usage: %1$s hint [--dir DIR] NAME [N]\n"
            "       %1$s hint [--dir DIR] --all NAME\n"
            "\n"
            "Shows the next hint for exercise NAME, from a nudge to nearly the answer.\n"
            "forklab remembers how many you have seen (in the work folder). With N, shows\n"
            "hint number N again (or ahead); with --all, every hint you have seen so far.\n"
            "\n"
            "Options:\n"
            "  --dir DIR   the work folder (default " STUDY_DEFAULT_DIR ")\n"
            "  --all       every hint seen so far, in order\n"
            "  -h, --help  show this help\n",
            cli_program_name());
}

static void print_hint(const struct manifest_pitfall *exercise, int number)
{
    printf("Hint %d of %zu for %s:\n  %s\n", number, exercise->hint_count, exercise->name,
           exercise->hints[number - 1]);
}

/* Which hints to print, from the command line and what was seen: [first,
 * last], and the count seen afterwards. Returns 0 or an exit status. */
static int choose_hints(const struct study_command *command, int seen, int *first, int *last,
                        int *seen_after)
{
    const struct manifest_pitfall *exercise = command->exercise;
    int count = (int)exercise->hint_count;
    char dir[PATH_MAX * 4 + 16];
    study_dir_option(command->dir, dir, sizeof(dir));
    if (command->all && command->number != NULL)
        return cli_error("hint: give N or --all, not both");
    if (command->all) {
        if (seen == 0)
            return cli_error("hint: no hint of %s seen yet: %s hint%s %s shows the first",
                             exercise->name, cli_program_name(), dir, exercise->name);
        *first = 1;
        *last = *seen_after = seen;
        return 0;
    }
    if (command->number != NULL) {
        long number;
        if (!cli_parse_whole(command->number, 1, count, &number))
            return cli_error("hint: '%s': %s has %d hints: give a number from 1 to %d",
                             command->number, exercise->name, count, count);
        *first = *last = (int)number;
        *seen_after = seen > (int)number ? seen : (int)number;
        return 0;
    }
    /* The next one; after the last, the last again. */
    *seen_after = seen < count ? seen + 1 : count;
    *first = *last = *seen_after;
    return 0;
}

int cli_hint_main(int argc, char **argv)
{
    struct study_command command;
    int status;
    if (!study_begin(&command, argc, argv,
                     STUDY_OPTION_DIR | STUDY_OPTION_ALL | STUDY_OPTION_NUMBER, 1, cli_hint_help,
                     &status))
        return status;
    const struct manifest_pitfall *exercise = command.exercise;
    struct progress progress;
    char why[PATH_MAX + 128];
    if (progress_open(&progress, command.dir, true, why, sizeof(why)) < 0) {
        study_end(&command);
        return cli_error("hint: %s", why);
    }
    struct progress_entry entry;
    progress_get(&progress, exercise->name, &entry);
    int first = 0, last = -1, seen_after = entry.hints_shown;
    status = choose_hints(&command, entry.hints_shown, &first, &last, &seen_after);
    if (status == 0) {
        for (int number = first; number <= last; number++)
            print_hint(exercise, number);
        if (!command.all && command.number == NULL && last == (int)exercise->hint_count)
            printf("That was the last hint. The lesson has the whole story: %s show %s\n",
                   cli_program_name(), exercise->name);
        entry.hints_shown = seen_after;
        if (progress_set(&progress, exercise->name, &entry) < 0 ||
            progress_save(&progress, why, sizeof(why)) < 0)
            status = cli_error("hint: %s", why);
    }
    progress_close(&progress);
    study_end(&command);
    return status;
}

/* ---- show ---------------------------------------------------------------- */

void cli_show_help(FILE *out)
{
    fprintf(out,
            "usage: %s show [--dir DIR] [--solution] NAME\n"
            "\n"
            "Prints the lesson of exercise NAME (Markdown): what goes wrong, why, and the\n"
            "exercise. Its part on the fix (\"After you solve it\") is printed once\n"
            "verify NAME has passed, or before that with --solution.\n"
            "\n"
            "Options:\n"
            "  --dir DIR   the work folder (default " STUDY_DEFAULT_DIR ")\n"
            "  --solution  print the fix too, before the exercise is solved\n"
            "  -h, --help  show this help\n",
            cli_program_name());
}

int cli_show_main(int argc, char **argv)
{
    struct study_command command;
    int status;
    if (!study_begin(&command, argc, argv, STUDY_OPTION_DIR | STUDY_OPTION_SOLUTION, 1,
                     cli_show_help, &status))
        return status;
    const char *name = command.exercise->name, *forklab = cli_program_name();
    struct progress progress;
    char lesson[PATH_MAX], why[PATH_MAX + 128], dir[PATH_MAX * 4 + 16], *instead = NULL;
    if (progress_open(&progress, command.dir, false, why, sizeof(why)) < 0) {
        study_end(&command);
        return cli_error("show: %s", why);
    }
    struct progress_entry entry;
    progress_get(&progress, name, &entry);
    progress_close(&progress);
    study_dir_option(command.dir, dir, sizeof(dir));
    /* The fix teaches most after an attempt: free once solved, else on request. */
    bool solved = entry.status == PROGRESS_PASSING;
    if (command.solution && !solved)
        fprintf(stderr,
                "%s show: the fix is printed below: it teaches most after your own "
                "attempt at the exercise\n",
                forklab);
    int error = kit_path(&command.kit.kit, command.exercise->lesson, lesson, sizeof(lesson));
    if (error == 0 && asprintf(&instead,
                               "(Not shown yet: the fix, with raw system calls and with the "
                               "wrapper. It is shown once `%s verify%s %s` passes, or now with "
                               "`%s show%s --solution %s`.)",
                               forklab, dir, name, forklab, dir, name) < 0)
        error = -ENOMEM;
    if (error == 0)
        error = lesson_print(lesson, command.solution || solved, instead, stdout);
    free(instead);
    if (error < 0)
        status = cli_error("show: cannot read %s: %s", lesson, strerror(-error));
    study_end(&command);
    return status;
}
