/* forklab's command line: `forklab COMMAND [ARG]...`. Each command is one row
 * of the table below, with its code in its own cli_COMMAND.c. */
#include "cli/cli.h"
#include "cli/check.h"
#include "cli/children.h"
#include "cli/drill.h"
#include "cli/grade.h"
#include "cli/program_name.h"
#include "cli/study.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define FORKLAB_VERSION "0.1.0"

struct command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
    void (*help)(FILE *out);
};

static int help_command(int argc, char **argv);
static void help(FILE *out);

/* To add a command: write cli_NAME.c with its run and help functions, and
 * add its row here. */
static const struct command commands[] = {
    {"check", "run a program and report its process pitfalls", cli_check_main, cli_check_help},
    {"list", "list the exercises and your progress", cli_list_main, cli_list_help},
    {"start", "copy an exercise's broken program for you to fix", cli_start_main, cli_start_help},
    {"hint", "show the next hint for an exercise", cli_hint_main, cli_hint_help},
    {"show", "print an exercise's lesson", cli_show_main, cli_show_help},
    {"drill", "predict what a short program does, then see it run", cli_drill_main, cli_drill_help},
    {"verify", "grade your copy of an exercise", cli_verify_main, cli_verify_help},
    {"watch", "grade your copy again on every save", cli_watch_main, cli_watch_help},
    {"grade", "grade a submission with the exercise's checks and points", cli_grade_main,
     cli_grade_help},
    {"grade-all", "grade a folder of submissions into a gradebook", cli_grade_all_main,
     cli_grade_all_help},
    {"children", "list what your shell has not reaped (run it inside the shell)", cli_children_main,
     cli_children_help},
    {"help", "describe forklab, or one of its commands", help_command, help},
};

static const size_t command_count = sizeof(commands) / sizeof(commands[0]);

static const struct command *command_by_name(const char *name)
{
    for (size_t i = 0; i < command_count; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void help(FILE *out)
{
    fprintf(out,
            "usage: %1$s COMMAND [ARG]...\n"
            "       %1$s --help | --version\n"
            "\n"
            "forklab shows the process pitfalls of C on Unix (fork, exec, wait, pipes):\n"
            "zombies, leaked descriptors, runaway children and more.\n"
            "\n"
            "Commands:\n",
            cli_program_name());
    for (size_t i = 0; i < command_count; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "`%s help COMMAND` describes one command.\n"
            "\n"
            "Options:\n"
            "  -h, --help     show this help\n"
            "  -V, --version  show forklab's version\n",
            cli_program_name());
}

/* `forklab help [COMMAND]`. */
static int help_command(int argc, char **argv)
{
    if (argc < 2) {
        help(stdout);
        return EXIT_NO_FINDINGS;
    }
    const struct command *command = command_by_name(argv[1]);
    if (command == NULL) {
        fprintf(stderr, "forklab: help: no command '%s' (see %s --help)\n", argv[1],
                cli_program_name());
        return EXIT_USAGE;
    }
    command->help(stdout);
    return EXIT_NO_FINDINGS;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0; /* one line of our own wording instead of getopt's */
    int option;
    /* '+': stop at the command's name; what follows is the command's. */
    while ((option = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (option) {
        case 'h':
            help(stdout);
            return EXIT_NO_FINDINGS;
        case 'V':
            printf("forklab %s\n", FORKLAB_VERSION);
            return EXIT_NO_FINDINGS;
        default:
            fprintf(stderr, "forklab: unknown option '%s' (see %s --help)\n", argv[optind - 1],
                    cli_program_name());
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "forklab: no command given (see %s --help)\n", cli_program_name());
        return EXIT_USAGE;
    }
    const char *name = argv[optind];
    const struct command *command = command_by_name(name);
    if (command == NULL) {
        fprintf(stderr, "forklab: unknown command '%s' (see %s --help)\n", name,
                cli_program_name());
        return EXIT_USAGE;
    }
    return command->run(argc - optind, argv + optind);
}
