/* `forklab check [OPTION]... -- PROGRAM [ARG]...`: turns the command line into
 * struct check_options, refusing bad input before anything is started, then
 * runs the check and renders the report. Exit: 0 clean, 1 findings, 2 usage. */
#include "cli/check.h"

#include "check/check.h"
#include "cli/parse.h"
#include "cli/program_name.h"
#include "check/program_path.h"
#include "render/render.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_check_help(FILE *out)
{
    fprintf(out,
            "usage: %1$s check [OPTION]... [--] PROGRAM [ARG]...\n"
            "\n"
            "Runs PROGRAM (looked up in PATH like a shell does) under forklab's tracer and\n"
            "reports the process pitfalls it commits. Finding kinds: zombie, fd_leak,\n"
            "bad_close, nested_fork, runaway_child, process_limit, timeout, crash, and\n"
            "memory_leak (only with --valgrind). Every process the program started is\n"
            "stopped before the report is printed.\n"
            "\n"
            "Options:\n"
            "  --timeout SEC       stop the program after SEC seconds, a `timeout` finding\n"
            "                      (decimals allowed, e.g. 0.5; default %2$g)\n"
            "  --max-procs N       more than N processes is a `process_limit` finding\n"
            "                      and ends the run (default %3$d)\n"
            "  --valgrind          also run the program under valgrind's memcheck\n"
            "  --format FORMAT     how to print the report: %4$s\n"
            "                      (default text; json is described in harness/render/json.c)\n"
            "  --fds               show every process's descriptor table in the text report\n"
            "                      (shown anyway after a timeout or an fd_leak finding)\n"
            "  --allow-fd FD       FD is handed to children on purpose: never report it as\n"
            "                      an fd_leak (repeat for more descriptors)\n"
            "  --schedules WHICH   natural: one run, as the scheduler makes it; all: that\n"
            "                      run, then one per steered schedule (a SIGCHLD held while\n"
            "                      more children exit, the child first after a fork, the\n"
            "                      parent first, a pipe's reader late), so that a race\n"
            "                      shows every time (default all; grade always uses all);\n"
            "                      or the name a finding gives, to run that schedule alone\n"
            "  --strict-fds        also report every descriptor a process opened and still\n"
            "                      held at its exit, files included (by default an fd_leak\n"
            "                      at exit is only a pipe end that kept a reader waiting)\n"
            "  --stdin FILE        the program's standard input (default /dev/null)\n"
            "  --output-cap BYTES  keep at most BYTES of the program's stdout, and of its\n"
            "                      stderr (default %5$d)\n"
            "  --max-memory MIB    the kernel stops the program past MIB MiB of memory\n"
            "                      (default %6$d; 0: no limit)\n"
            "  --no-isolation      run the program outside forklab's box (no namespaces,\n"
            "                      no cgroups, no CPU limit): for a comparison, or a\n"
            "                      kernel that refuses the box\n"
            "  -h, --help          show this help\n"
            "\n"
            "The program runs in a box made by the kernel: its own PID namespace (its\n"
            "parent is forklab's init, forklab itself is not there), its own /proc, a user\n"
            "namespace when forklab is not root, and cgroup limits on its processes and\n"
            "memory. The report's first lines say what it got, and why not more.\n"
            "\n"
            "The program and forklab's tracer share one CPU for the run, as rr does: on\n"
            "a virtual machine a tracer stop that crosses CPUs costs several times more.\n"
            "Runs at the same time (grade-all --jobs) each take a CPU of their own; past\n"
            "one run per CPU, a run is not pinned.\n"
            "\n"
            "The report goes to standard output; what the program prints is captured and\n"
            "shown in the report. Text output is coloured on a terminal unless NO_COLOR\n"
            "is set.\n"
            "\n"
            "Exit status: 0 no findings, 1 findings, 2 usage error or PROGRAM could not be\n"
            "started (a one-line message on stderr says why).\n"
            "\n"
            "Examples:\n"
            "  %1$s check -- ./a.out\n"
            "  %1$s check --timeout 2 --format json -- ./pipeline input.txt\n"
            "  %1$s check --format tap -- ./a.out > check.tap; prove -e cat check.tap\n",
            cli_program_name(), CHECK_DEFAULT_TIMEOUT_MS / 1000.0, CHECK_DEFAULT_MAX_PROCS,
            render_format_names, CHECK_DEFAULT_OUTPUT_CAP, CHECK_DEFAULT_MAX_MEMORY_MIB);
}

/* Opens FILE once to be sure the program will be able to read it. */
static int check_stdin_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cli_error("--stdin %s: %s", path, strerror(errno));
    struct stat status;
    int failed = fstat(fd, &status);
    int saved = errno;
    close(fd);
    if (failed)
        return cli_error("--stdin %s: %s", path, strerror(saved));
    if (S_ISDIR(status.st_mode))
        return cli_error("--stdin %s: is a directory, not a file", path);
    return 0;
}

/* ---- the program --------------------------------------------------------- */

/* Refuses a program that could never start (missing, a directory, not
 * executable), so that a typo is a clear message instead of a run. */
static int check_program(const char *name)
{
    if (name[0] == '\0')
        return cli_error("the program name is empty");
    char path[PATH_MAX], why[PATH_MAX + 128];
    if (program_path_resolve(name, path, sizeof(path), why, sizeof(why)) < 0)
        return cli_error("%s", why);
    return 0;
}

/* ---- the command line ---------------------------------------------------- */

enum option_id {
    OPTION_TIMEOUT = 256,
    OPTION_MAX_PROCS,
    OPTION_VALGRIND,
    OPTION_FORMAT,
    OPTION_ALLOW_FD,
    OPTION_STDIN,
    OPTION_OUTPUT_CAP,
    OPTION_SCHEDULES,
    OPTION_STRICT_FDS,
    OPTION_MAX_MEMORY,
    OPTION_NO_ISOLATION,
    OPTION_FDS,
};

static const struct option long_options[] = {
    {"timeout", required_argument, NULL, OPTION_TIMEOUT},
    {"max-procs", required_argument, NULL, OPTION_MAX_PROCS},
    {"valgrind", no_argument, NULL, OPTION_VALGRIND},
    {"format", required_argument, NULL, OPTION_FORMAT},
    {"allow-fd", required_argument, NULL, OPTION_ALLOW_FD},
    {"stdin", required_argument, NULL, OPTION_STDIN},
    {"output-cap", required_argument, NULL, OPTION_OUTPUT_CAP},
    {"schedules", required_argument, NULL, OPTION_SCHEDULES},
    {"strict-fds", no_argument, NULL, OPTION_STRICT_FDS},
    {"max-memory", required_argument, NULL, OPTION_MAX_MEMORY},
    {"no-isolation", no_argument, NULL, OPTION_NO_ISOLATION},
    {"fds", no_argument, NULL, OPTION_FDS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct check_command {
    struct check_options options;
    renderer render;
    bool fds;         /* --fds: the text report shows the descriptor view */
    int *allowed_fds; /* grows with each --allow-fd */
    bool help;
};

static int add_allowed_fd(struct check_command *command, long fd)
{
    size_t count = command->options.allowed_fd_count;
    int *grown = realloc(command->allowed_fds, (count + 1) * sizeof(int));
    if (grown == NULL)
        return cli_error("out of memory");
    grown[count] = (int)fd;
    command->allowed_fds = grown;
    command->options.allowed_fds = grown;
    command->options.allowed_fd_count = count + 1;
    return 0;
}

static int apply_option(void *context, int option, const char *value)
{
    struct check_command *command = context;
    struct check_options *options = &command->options;
    long number;
    switch (option) {
    case OPTION_TIMEOUT:
        return cli_parse_timeout_option(value, &options->timeout_ms);
    case OPTION_MAX_PROCS:
        return cli_parse_max_procs_option(value, &options->max_procs);
    case OPTION_VALGRIND:
        options->valgrind = true;
        return 0;
    case OPTION_FORMAT:
        command->render = renderer_by_name(value);
        if (command->render == NULL)
            return cli_error("--format '%s': not a format; use one of %s", value,
                             render_format_names);
        return 0;
    case OPTION_ALLOW_FD: {
        static const struct cli_number spec = {"--allow-fd", 0, CLI_FD_MAX, "a descriptor number"};
        int refused = cli_parse_number(&spec, value, &number);
        return refused != 0 ? refused : add_allowed_fd(command, number);
    }
    case OPTION_STDIN:
        options->stdin_path = value;
        return check_stdin_file(value);
    case OPTION_OUTPUT_CAP: {
        static const struct cli_number spec = {"--output-cap", 1, CHECK_OUTPUT_CAP_MAX, "bytes"};
        int refused = cli_parse_number(&spec, value, &number);
        options->output_cap = (size_t)number;
        return refused;
    }
    case OPTION_MAX_MEMORY:
        return cli_parse_max_memory_option(value, &options->max_memory_mib);
    case OPTION_NO_ISOLATION:
        options->no_isolation = true;
        return 0;
    case OPTION_FDS:
        command->fds = true;
        return 0;
    case OPTION_SCHEDULES:
        if (check_schedules_parse(value, options) < 0)
            return cli_error("--schedules '%s': use natural, all, or one of sigchld_held, "
                             "child_first, parent_first, reader_late, exit_last",
                             value);
        return 0;
    case OPTION_STRICT_FDS:
        options->strict_fds = true;
        return 0;
    case 'h':
        command->help = true;
        return 0;
    default:
        return cli_error("internal error: option %d has no handler", option);
    }
}

/* Fills `command` from argv; returns 0, or the exit status of a refusal. */
static int parse_command_line(struct check_command *command, int argc, char **argv)
{
    /* '+': options end at PROGRAM, so its own options are left to it. */
    int status = cli_parse_options(argc, argv, "check", "+:h", long_options, apply_option, command);
    if (status != 0)
        return status;
    if (command->help)
        return 0;
    if (optind >= argc)
        return cli_error("check: no program given (usage: %s check [OPTION]... -- "
                         "PROGRAM [ARG]...)",
                         cli_program_name());
    command->options.argv = argv + optind;
    return check_program(argv[optind]);
}

int cli_check_main(int argc, char **argv)
{
    struct check_command command = {.render = render_text};
    check_options_init(&command.options);
    /* A race must not pass by luck: every schedule unless asked otherwise. */
    command.options.schedules = CHECK_SCHEDULES_ALL;
    int status = parse_command_line(&command, argc, argv);
    if (status != 0 || command.help) {
        if (command.help)
            cli_check_help(stdout);
        free(command.allowed_fds);
        return status;
    }

    struct report report;
    report_init(&report);
    char why[256] = "";
    int ran = check_run(&command.options, &report, why, sizeof(why));
    free(command.allowed_fds);
    if (ran < 0) {
        report_free(&report);
        if (why[0] != '\0') /* check_run's reason names what failed */
            return cli_error("%s", why);
        return cli_error("%s: %s", command.options.argv[0], strerror(-ran));
    }

    struct text_options text = {.colour = render_wants_colour(stdout),
                                .fds = command.fds ? FDS_VIEW_ALWAYS : FDS_VIEW_AUTO};
    int rendered = command.render == render_text ? render_text_with(&report, stdout, &text)
                                                 : command.render(&report, stdout);
    status = report.finding_count > 0 ? EXIT_FINDINGS : EXIT_NO_FINDINGS;
    report_free(&report);
    if (rendered < 0)
        return cli_error("could not write the report: %s", strerror(-rendered));
    return status;
}
