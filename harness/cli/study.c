/* The simple self-study commands: `forklab list`, `start NAME` (copy the
 * broken program into the work folder), `hint NAME` and `show NAME`, and the
 * command line all the study commands share. */
#include "cli/study.h"

#include "cli/cli.h"
#include "core/file_replace.h"
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
    {STUDY_OPTION_SOLUTION, {"solution", no_argument, NULL, OPTION_SOLUTION}},
};
#define STUDY_OPTION_COUNT_ALL (sizeof(study_options) / sizeof(study_options[0]))

/* What apply_option needs: the command being filled, and its name for the
 * messages. */
struct study_parse {
    struct study_command *command;
    const char *name;
};

static int apply_option(void *context, int option, const char *value)
{
    struct study_command *command = ((struct study_parse *)context)->command;
    const char *name = ((struct study_parse *)context)->name;
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
    case OPTION_SOLUTION:
        command->solution = true;
        return 0;
    case OPTION_INTERVAL:
        if (!cli_parse_seconds(value, &command->interval_ms))
            return cli_error("%s: --interval '%s': give a number of seconds above 0", name, value);
        return 0;
    case OPTION_COUNT:
        if (!cli_parse_whole(value, 1, INT_MAX, &number))
            return cli_error("%s: --count '%s': give a whole number, at least 1", name, value);
        command->count = number;
        return 0;
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
    struct study_parse parse = {command, name};
    int status = cli_parse_options(argc, argv, name, ":h", allowed, apply_option, &parse);
    if (status != 0)
        return status;
    if (command->help)
        return 0;
    if (argc - optind < names_min)
        return cli_error("%s: which exercise? (usage: forklab %s NAME; see forklab list)", name,
                         name);
    if (argc - optind > 1)
        return cli_error("%s: one exercise at a time", name);
    command->name = optind < argc ? argv[optind] : NULL;
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

/* ---- list ---------------------------------------------------------------- */

void cli_list_help(FILE *out)
{
    fputs("usage: forklab list [--dir DIR]\n"
          "\n"
          "Lists every exercise with its status: not started, failing or passing (as of\n"
          "the last forklab verify), its last score, and what to do next.\n"
          "\n"
          "Options:\n"
          "  --dir DIR   the work folder (default " STUDY_DEFAULT_DIR ")\n"
          "  -h, --help  show this help\n",
          out);
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
    if (!study_begin(&command, argc, argv, STUDY_OPTION_DIR, 0, cli_list_help, &status))
        return status;
    const struct manifest *manifest = &command.kit.manifest;
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
    if (next == NULL)
        printf(" Every exercise passes: well done.\n");
    else if (next_started)
        printf(" Next: fix %s/%s.c, then forklab verify %s (stuck? forklab hint %s)\n", command.dir,
               next->name, next->name, next->name);
    else
        printf(" Next: forklab start %s\n", next->name);
    progress_close(&progress);
    study_end(&command);
    return EXIT_NO_FINDINGS;
}

/* ---- start --------------------------------------------------------------- */

void cli_start_help(FILE *out)
{
    fputs("usage: forklab start [--dir DIR] [--force] NAME\n"
          "\n"
          "Copies exercise NAME's broken program into the work folder as DIR/NAME.c, for\n"
          "you to fix. An existing copy (your work) is never replaced without --force.\n"
          "\n"
          "Options:\n"
          "  --dir DIR   the work folder (default " STUDY_DEFAULT_DIR ", created if needed)\n"
          "  --force     replace an existing copy with a fresh one\n"
          "  -h, --help  show this help\n",
          out);
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
    char copy[PATH_MAX], original[PATH_MAX], why[2 * PATH_MAX];
    struct progress progress;
    if (study_copy_path(command.dir, exercise, copy, sizeof(copy)) < 0 ||
        kit_path(&command.kit.kit, exercise->broken, original, sizeof(original)) < 0) {
        status = cli_error("start: the path is too long");
    } else if (!command.force && access(copy, F_OK) == 0) {
        status = cli_error("start: %s already exists (your work?); keep it, or start afresh "
                           "with forklab start --force %s",
                           copy, exercise->name);
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
    if (status == 0)
        printf("%s: %s\n"
               "Your copy is %s: fix it, then check it with\n"
               "  forklab verify %s      (or forklab watch %s to check on every save)\n"
               "The lesson: forklab show %s   A hint: forklab hint %s\n",
               exercise->name, exercise->title, copy, exercise->name, exercise->name,
               exercise->name, exercise->name);
    study_end(&command);
    return status;
}

/* ---- hint ---------------------------------------------------------------- */

void cli_hint_help(FILE *out)
{
    fputs("usage: forklab hint [--dir DIR] NAME\n"
          "\n"
          "Shows the next hint for exercise NAME, from a nudge to nearly the answer.\n"
          "forklab remembers how many you have seen (in the work folder).\n"
          "\n"
          "Options:\n"
          "  --dir DIR   the work folder (default " STUDY_DEFAULT_DIR ")\n"
          "  -h, --help  show this help\n",
          out);
}

int cli_hint_main(int argc, char **argv)
{
    struct study_command command;
    int status;
    if (!study_begin(&command, argc, argv, STUDY_OPTION_DIR, 1, cli_hint_help, &status))
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
    int count = (int)exercise->hint_count;
    bool more = entry.hints_shown < count;
    if (more)
        entry.hints_shown++;
    int shown = entry.hints_shown > 0 ? entry.hints_shown : 1;
    printf("Hint %d of %d for %s:\n  %s\n", shown, count, exercise->name,
           exercise->hints[shown - 1]);
    if (!more)
        printf("That was the last hint. The lesson has the whole story: forklab show %s\n",
               exercise->name);
    if (progress_set(&progress, exercise->name, &entry) < 0 ||
        progress_save(&progress, why, sizeof(why)) < 0)
        status = cli_error("hint: %s", why);
    progress_close(&progress);
    study_end(&command);
    return status;
}

/* ---- show ---------------------------------------------------------------- */

void cli_show_help(FILE *out)
{
    fputs("usage: forklab show [--dir DIR] [--solution] NAME\n"
          "\n"
          "Prints the lesson of exercise NAME (Markdown): what goes wrong, why, and the\n"
          "exercise. Its part on the fix (\"After you solve it\") is printed once\n"
          "forklab verify NAME has passed, or before that with --solution.\n"
          "\n"
          "Options:\n"
          "  --dir DIR   the work folder (default " STUDY_DEFAULT_DIR ")\n"
          "  --solution  print the fix too, before the exercise is solved\n"
          "  -h, --help  show this help\n",
          out);
}

int cli_show_main(int argc, char **argv)
{
    struct study_command command;
    int status;
    if (!study_begin(&command, argc, argv, STUDY_OPTION_DIR | STUDY_OPTION_SOLUTION, 1,
                     cli_show_help, &status))
        return status;
    const char *name = command.exercise->name;
    struct progress progress;
    char lesson[PATH_MAX], why[PATH_MAX + 128], instead[256];
    if (progress_open(&progress, command.dir, false, why, sizeof(why)) < 0) {
        study_end(&command);
        return cli_error("show: %s", why);
    }
    struct progress_entry entry;
    progress_get(&progress, name, &entry);
    progress_close(&progress);
    /* The fix teaches most after an attempt: free once solved, else on request. */
    bool solved = entry.status == PROGRESS_PASSING;
    if (command.solution && !solved)
        fprintf(stderr,
                "forklab show: the fix is printed below: it teaches most after your own "
                "attempt (forklab start %s)\n",
                name);
    snprintf(instead, sizeof(instead),
             "(Not shown yet: the fix, with raw system calls and with the wrapper. It is shown "
             "once `forklab verify %s` passes, or now with `forklab show --solution %s`.)",
             name, name);
    int error = kit_path(&command.kit.kit, command.exercise->lesson, lesson, sizeof(lesson));
    if (error == 0)
        error = lesson_print(lesson, command.solution || solved, instead, stdout);
    if (error < 0)
        status = cli_error("show: cannot read %s: %s", lesson, strerror(-error));
    study_end(&command);
    return status;
}
