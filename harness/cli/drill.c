/* `forklab drill`: a prediction drill. It shows a short program and asks
 * one question, takes the answer (from --answer, or a line of stdin: with a
 * prompt only at a terminal), runs the program under the checker and shows
 * what it really did beside the answer, saying where the scheduler could
 * have chosen otherwise. Exit: 0 every answer right, 1 one wrong, 2 error. */
#include "cli/drill.h"

#include "cli/cli.h"
#include "cli/parse.h"
#include "cli/program_name.h"
#include "kit/kit.h"
#include "render/render.h"
#include "study/drill.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define COLUMN 30 /* the width of the left column: the student's answer */

void cli_drill_help(FILE *out)
{
    fprintf(out,
            "usage: %1$s drill [--answer TEXT] [DRILL | --seed N [--kind KIND]]\n"
            "       %1$s drill --list\n"
            "\n"
            "Shows a short program and asks one question about it: how many lines it\n"
            "prints, which process tree it makes, which outputs it can print, or which\n"
            "descriptors a child starts with. Then it runs the program for real under the\n"
            "checker and shows what it did beside your answer; where the order of the\n"
            "output is up to the scheduler, it lists every output the program can print\n"
            "and says which one this run printed.\n"
            "\n"
            "  DRILL          a drill of the catalog (see --list), or a lesson (\"03\",\n"
            "                 \"zombies\"): its drills one after the other\n"
            "  --seed N       a new drill made from the number N (the same N, the same drill)\n"
            "  --kind KIND    with --seed: lines, tree, orders or fds\n"
            "  --answer TEXT  the answer, instead of asking for it (one drill only)\n"
            "  --list         the catalog's drills\n"
            "  -h, --help     show this help\n"
            "Without DRILL or --seed, a new drill from a random seed (shown, to replay it).\n"
            "\n"
            "Answers: a number of lines (7); one letter (B); every letter that can happen\n"
            "(A C); descriptor numbers (3 5, or none). When stdin is not a terminal, each\n"
            "answer is one line of it, and no prompt is shown.\n"
            "\n"
            "Exit status: 0 every answer right, 1 a wrong one, 2 error.\n",
            cli_program_name());
}

struct drill_command {
    const char *answer;
    const char *seed_text;
    int kind; /* -1: from the seed */
    bool list, help;
};

static int apply_option(void *context, int option, const char *value)
{
    struct drill_command *command = context;
    switch (option) {
    case 'a':
        command->answer = value;
        break;
    case 's':
        command->seed_text = value;
        break;
    case 'k':
        command->kind = drill_kind_from_name(value);
        if (command->kind < 0)
            return cli_error("drill: --kind '%s': use lines, tree, orders or fds", value);
        break;
    case 'l':
        command->list = true;
        break;
    default:
        command->help = true;
        break;
    }
    return 0;
}

/* ---- showing a drill --------------------------------------------------------------- */

static const char *question(const struct drill *drill, char *text, size_t size)
{
    switch (drill->kind) {
    case DRILL_LINES:
        return "Its stdout is a pipe (as in ./drill | cat). How many lines does it print?";
    case DRILL_TREE:
        return "Which of these is its process tree? (one letter)";
    case DRILL_ORDERS:
        return "Which of these outputs can it print? (every letter that can happen)";
    case DRILL_FDS:
        snprintf(text, size,
                 "When `%s` starts in the child, which of its descriptors above 2 are open? "
                 "(numbers, or none)",
                 drill->exec_name);
        return text;
    case DRILL_KIND_COUNT:
        break;
    }
    return "";
}

/* Prints `left` and `right` (texts of lines) side by side. */
static void put_columns(const char *left, const char *right, FILE *out)
{
    while (*left != '\0' || *right != '\0') {
        const char *left_end = strchrnul(left, '\n'), *right_end = strchrnul(right, '\n');
        int width = (int)(left_end - left);
        fprintf(out, "  %.*s%*s%.*s\n", width, left, width < COLUMN ? COLUMN - width : 1, "",
                (int)(right_end - right), right);
        left = *left_end != '\0' ? left_end + 1 : left_end;
        right = *right_end != '\0' ? right_end + 1 : right_end;
    }
}

/* Draws the candidates of a tree or orders drill, side by side. */
static void put_candidates(const struct drill *drill, FILE *out)
{
    char *texts[DRILL_MAX_CANDIDATES] = {NULL};
    size_t lines = 0;
    int column = 0; /* the widest line of any candidate, and a gap */
    for (size_t i = 0; i < drill->candidate_count; i++) {
        size_t size = 0;
        FILE *text = open_memstream(&texts[i], &size);
        if (text == NULL)
            return;
        fprintf(text, "%c.\n", (char)('A' + i));
        if (drill->kind == DRILL_TREE)
            drill_tree_draw(drill->candidates[i], "", text);
        else
            fputs(drill->candidates[i], text);
        fclose(text);
        size_t count = 0;
        for (const char *line = texts[i]; *line != '\0'; count++) {
            const char *end = strchrnul(line, '\n');
            column = end - line + 3 > column ? (int)(end - line) + 3 : column;
            line = *end != '\0' ? end + 1 : end;
        }
        lines = count > lines ? count : lines;
    }
    /* Row by row: line n of each candidate, side by side. */
    for (size_t row = 0; row < lines; row++) {
        fputs("  ", out);
        for (size_t i = 0; i < drill->candidate_count; i++) {
            const char *line = texts[i];
            for (size_t skip = 0; skip < row && line != NULL; skip++) {
                line = strchr(line, '\n');
                line = line != NULL ? line + 1 : NULL;
            }
            int width = 0;
            if (line != NULL && *line != '\0')
                width = (int)(strchrnul(line, '\n') - line);
            fprintf(out, "%.*s%*s", width, line != NULL ? line : "",
                    i + 1 < drill->candidate_count ? column - width : 0, "");
        }
        fputc('\n', out);
    }
    for (size_t i = 0; i < drill->candidate_count; i++)
        free(texts[i]);
}

static void put_drill(const struct drill *drill, FILE *out)
{
    if (drill->lesson[0] != '\0')
        fprintf(out, "drill %s (lesson %s)\n\n", drill->id, drill->lesson);
    else
        fprintf(out, "drill %s\n\n", drill->id);
    for (const char *line = drill->source; *line != '\0';) {
        const char *end = strchrnul(line, '\n');
        fprintf(out, "    %.*s\n", (int)(end - line), line);
        line = *end != '\0' ? end + 1 : end;
    }
    fputc('\n', out);
    if (drill->note != NULL)
        fprintf(out, "%s\n", drill->note);
    char text[200];
    fprintf(out, "%s\n", question(drill, text, sizeof(text)));
    if (drill->kind == DRILL_TREE || drill->kind == DRILL_ORDERS)
        put_candidates(drill, out);
}

/* ---- the real run beside the answer ---------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* The checker's tree of the run: pids, what each ran, how it ended. */
static void put_process(const struct report *report, const long *parents, size_t i,
                        const char *prefix, bool last, bool root, FILE *out)
{
    const struct process_record *process = &report->processes[i];
    char end[PROCESS_END_SIZE];
    process_end_describe(process->end, process->code, process->core_dumped, end);
    fprintf(out, "%s%spid %d (%s): %s\n", prefix,
            root   ? ""
            : last ? "`- "
                   : "+- ",
            (int)process->pid,
            process->program_count > 0 ? base_name(process->programs[process->program_count - 1])
                                       : "forked, no exec",
            end);
    char deeper[256];
    snprintf(deeper, sizeof(deeper), "%s%s", prefix, root ? "" : last ? "   " : "|  ");
    size_t last_child = 0;
    for (size_t child = 0; child < report->process_count; child++)
        if (!report->processes[child].is_thread && parents[child] == (long)i)
            last_child = child;
    for (size_t child = 0; child < report->process_count; child++)
        if (!report->processes[child].is_thread && parents[child] == (long)i)
            put_process(report, parents, child, deeper, child == last_child, false, out);
}

static void put_run_tree(const struct report *report, FILE *out)
{
    long *parents = process_parent_indexes(report);
    for (size_t i = 0; parents != NULL && i < report->process_count; i++)
        if (report->processes[i].pid == report->main_pid) {
            put_process(report, parents, i, "  ", true, true, out);
            break;
        }
    free(parents);
}

/* The output as "| line" lines, or "(nothing)". */
static void put_output(const char *output, FILE *out)
{
    if (output[0] == '\0')
        fputs("  (nothing)\n", out);
    for (const char *line = output; *line != '\0';) {
        const char *end = strchrnul(line, '\n');
        fprintf(out, "  | %.*s\n", (int)(end - line), line);
        line = *end != '\0' ? end + 1 : end;
    }
}

/* What the run says about the question, as the right-hand column. */
static void run_column(const struct drill *drill, const struct drill_truth *truth, FILE *text)
{
    struct drill_answer seen = {.lines = truth->lines, .fds = truth->fds};
    char answer[160];
    switch (drill->kind) {
    case DRILL_LINES:
        fprintf(text, "this run printed %ld line%s\n", truth->lines, truth->lines == 1 ? "" : "s");
        break;
    case DRILL_TREE:
        fputs("this run made\n", text);
        drill_tree_draw(truth->shape, "", text);
        break;
    case DRILL_ORDERS:
        if (truth->candidate >= 0)
            fprintf(text, "this run printed %c\n", (char)('A' + truth->candidate));
        else
            fputs("this run printed another one\n", text);
        for (const char *line = truth->report.out.data ? truth->report.out.data : ""; *line;) {
            const char *end = strchrnul(line, '\n');
            fprintf(text, "%.*s\n", (int)(end - line), line);
            line = *end != '\0' ? end + 1 : end;
        }
        break;
    case DRILL_FDS:
        drill_answer_text(drill, &seen, answer, sizeof(answer));
        fprintf(text, "`%s` started with %s\n", drill->exec_name, answer);
        break;
    case DRILL_KIND_COUNT:
        break;
    }
}

static void answer_column(const struct drill *drill, const struct drill_answer *answer, FILE *text)
{
    char typed[160];
    drill_answer_text(drill, answer, typed, sizeof(typed));
    fprintf(text, "you said %s\n", typed);
    if (drill->kind == DRILL_TREE)
        for (size_t i = 0; i < drill->candidate_count; i++)
            if (answer->letters & (1u << i))
                drill_tree_draw(drill->candidates[i], "", text);
}

/* Where the scheduler decides, says so: every output it can print, and
 * which one this run gave. */
static void put_orders(const struct drill *drill, const struct drill_truth *truth, FILE *out)
{
    if (drill->output_count == 1) {
        fputs("\nIt prints the same output on every run: its waits and pipe reads fix the "
              "order.\n",
              out);
        return;
    }
    fprintf(out,
            "\nIt can print %zu different outputs; which one a run prints is up to the "
            "scheduler:\n",
            drill->output_count);
    for (size_t i = 0; i < drill->output_count; i++) {
        fputs("  ", out);
        for (const char *c = drill->outputs[i]; *c != '\0'; c++)
            if (*c != '\n')
                fputc(*c, out);
        int candidate = -1;
        for (size_t c = 0; c < drill->candidate_count; c++)
            if (strcmp(drill->candidates[c], drill->outputs[i]) == 0)
                candidate = (int)c;
        if (candidate >= 0)
            fprintf(out, "   (%c)", (char)('A' + candidate));
        if ((int)i == truth->output)
            fputs("   <- this run", out);
        fputc('\n', out);
    }
}

static void put_result(const struct drill *drill, const struct drill_answer *answer,
                       const struct drill_truth *truth, FILE *out)
{
    char *left = NULL, *right = NULL;
    size_t left_size = 0, right_size = 0;
    FILE *left_text = open_memstream(&left, &left_size);
    FILE *right_text = open_memstream(&right, &right_size);
    if (left_text != NULL && right_text != NULL) {
        answer_column(drill, answer, left_text);
        run_column(drill, truth, right_text);
    }
    if (left_text != NULL)
        fclose(left_text);
    if (right_text != NULL)
        fclose(right_text);
    fputc('\n', out);
    if (left != NULL && right != NULL)
        put_columns(left, right, out);
    free(left);
    free(right);

    struct drill_answer right_answer;
    drill_answer_of(drill, &right_answer);
    char text[160];
    drill_answer_text(drill, &right_answer, text, sizeof(text));
    if (drill_answer_is_right(drill, answer))
        fprintf(out, "\nRight.\n");
    else
        fprintf(out, "\nNot quite: the answer is %s.\n", text);
    if (drill->kind == DRILL_ORDERS)
        put_orders(drill, truth, out);
    fputs("\nThe run under the checker:\n", out);
    put_run_tree(&truth->report, out);
    if (drill->kind == DRILL_FDS) {
        fprintf(out, "what `%s` held above 2, read at its exec:%s\n", drill->exec_name,
                truth->fds == 0 ? " nothing" : "");
        for (int fd = 3; fd <= DRILL_MAX_FD; fd++)
            if (truth->fds & ((uint32_t)1 << fd))
                fprintf(out, "  fd %d: %s\n", fd, truth->fd_what[fd]);
    }
    fputs("stdout:\n", out);
    put_output(truth->report.out.data != NULL ? truth->report.out.data : "", out);
}

/* ---- one drill ---------------------------------------------------------------------- */

/* Reads the next answer line; returns 0, or EXIT_USAGE after a message. */
static int read_answer(char **line, size_t *size, bool interactive)
{
    if (interactive) {
        fputs("your answer: ", stdout);
        fflush(stdout);
    }
    ssize_t length = getline(line, size, stdin);
    if (length < 0)
        return cli_error("drill: no answer: stdin ended (give one with --answer)");
    if (length > 0 && (*line)[length - 1] == '\n')
        (*line)[length - 1] = '\0';
    return 0;
}

/* Asks one drill; returns EXIT_NO_FINDINGS (right), EXIT_FINDINGS (wrong)
 * or EXIT_USAGE. */
static int ask(const struct kit *kit, const struct drill *drill, const char *given)
{
    put_drill(drill, stdout);
    fflush(stdout); /* before a prompt, or an error on stderr */
    char *line = NULL;
    size_t size = 0;
    int status = 0;
    if (given == NULL)
        status = read_answer(&line, &size, isatty(STDIN_FILENO));
    else
        fprintf(stdout, "your answer: %s\n", given);
    struct drill_answer answer;
    char why[512];
    if (status == 0 &&
        drill_answer_parse(drill, given != NULL ? given : line, &answer, why, sizeof(why)) < 0)
        status = cli_error("drill: %s", why);
    free(line);
    if (status != 0)
        return status;
    fflush(stdout);
    struct drill_truth truth;
    if (drill_run(kit, drill, &truth, why, sizeof(why)) < 0) {
        drill_truth_free(&truth);
        return cli_error("drill %s: cannot run it: %s", drill->id, why);
    }
    put_result(drill, &answer, &truth, stdout);
    if (!drill_truth_agrees(drill, &truth))
        status = cli_error("drill %s: this run disagrees with the drill's own answer: the drill "
                           "is wrong, or this machine is unusual (please report it)",
                           drill->id);
    else
        status = drill_answer_is_right(drill, &answer) ? EXIT_NO_FINDINGS : EXIT_FINDINGS;
    drill_truth_free(&truth);
    return status;
}

/* "03-zombies" is asked for by "03", "3", "zombies" or itself. */
static bool lesson_matches(const char *lesson, const char *wanted)
{
    if (strcmp(lesson, wanted) == 0)
        return true;
    const char *dash = strchr(lesson, '-');
    if (dash != NULL && strcmp(dash + 1, wanted) == 0)
        return true;
    char *end;
    long number = strtol(wanted, &end, 10);
    return end != wanted && *end == '\0' && number == strtol(lesson, NULL, 10);
}

static int list(const struct drill_catalog *catalog)
{
    for (size_t i = 0; i < catalog->count; i++)
        printf("  %-22s %-22s %s\n", catalog->drills[i].id, catalog->drills[i].lesson,
               drill_kind_name(catalog->drills[i].kind));
    printf("\n%zu drills. %s drill NAME asks one; %s drill --seed N makes a new one.\n",
           catalog->count, cli_program_name(), cli_program_name());
    return EXIT_NO_FINDINGS;
}

/* The catalog drills `wanted` names; asks each in turn. */
static int ask_from_catalog(const struct kit *kit, const struct drill_command *command,
                            const char *wanted)
{
    struct drill_catalog catalog;
    char why[512];
    if (drill_catalog_load(kit, &catalog, why, sizeof(why)) < 0)
        return cli_error("drill: %s", why);
    int status = EXIT_NO_FINDINGS;
    if (wanted == NULL) {
        status = list(&catalog);
    } else {
        size_t asked = 0, chosen = 0;
        for (size_t i = 0; i < catalog.count; i++)
            chosen += strcmp(catalog.drills[i].id, wanted) == 0 ||
                      lesson_matches(catalog.drills[i].lesson, wanted);
        if (chosen == 0)
            status = cli_error("drill: no drill or lesson '%s' (see %s drill --list)", wanted,
                               cli_program_name());
        else if (chosen > 1 && command->answer != NULL)
            status =
                cli_error("drill: '%s' is %zu drills: --answer answers one drill", wanted, chosen);
        for (size_t i = 0; status != EXIT_USAGE && i < catalog.count; i++) {
            const struct drill *drill = &catalog.drills[i];
            if (strcmp(drill->id, wanted) != 0 && !lesson_matches(drill->lesson, wanted))
                continue;
            if (asked++ > 0)
                fputs("\n", stdout);
            int result = ask(kit, drill, command->answer);
            if (result != EXIT_NO_FINDINGS)
                status = result;
        }
    }
    drill_catalog_free(&catalog);
    return status;
}

static int ask_generated(const struct kit *kit, const struct drill_command *command)
{
    uint64_t seed;
    if (command->seed_text != NULL) {
        char *end;
        errno = 0;
        unsigned long long value = strtoull(command->seed_text, &end, 10);
        if (errno != 0 || end == command->seed_text || *end != '\0' || command->seed_text[0] == '-')
            return cli_error("drill: --seed '%s': give a whole number, such as 42",
                             command->seed_text);
        seed = value;
    } else if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed)) {
        return cli_error("drill: no random seed: %s", strerror(errno));
    } else {
        seed %= 1000000; /* short enough to type again */
    }
    struct drill drill;
    int error = drill_generate(seed, command->kind, &drill);
    if (error < 0)
        return cli_error("drill: cannot make a drill from seed %llu: %s", (unsigned long long)seed,
                         strerror(-error));
    int status = ask(kit, &drill, command->answer);
    printf("\nThe same drill again: %s drill --seed %llu --kind %s\n", cli_program_name(),
           (unsigned long long)seed, drill_kind_name(drill.kind));
    drill_free(&drill);
    return status;
}

int cli_drill_main(int argc, char **argv)
{
    static const struct option options[] = {
        {"answer", required_argument, NULL, 'a'}, {"seed", required_argument, NULL, 's'},
        {"kind", required_argument, NULL, 'k'},   {"list", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    struct drill_command command = {.kind = -1};
    int status = cli_parse_options(argc, argv, "drill", ":h", options, apply_option, &command);
    if (status != 0)
        return status;
    if (command.help) {
        cli_drill_help(stdout);
        return EXIT_NO_FINDINGS;
    }
    const char *wanted = optind < argc ? argv[optind] : NULL;
    if (optind + 1 < argc)
        return cli_error("drill: one drill at a time ('%s' is one too many)", argv[optind + 1]);
    if (command.list && (wanted != NULL || command.seed_text != NULL || command.answer != NULL))
        return cli_error("drill: --list takes nothing else");
    if (wanted != NULL && command.seed_text != NULL)
        return cli_error("drill: give a drill or --seed, not both");
    if (command.kind >= 0 && wanted != NULL)
        return cli_error("drill: --kind goes with --seed (a catalog drill has its own kind)");
    struct kit kit;
    char why[PATH_MAX + 128];
    if (kit_locate(&kit, why, sizeof(why)) < 0)
        return cli_error("drill: %s", why);
    if (command.list || wanted != NULL)
        return ask_from_catalog(&kit, &command, wanted);
    return ask_generated(&kit, &command);
}
