/* Reading a forklab command line, the same way in every command: one-line
 * refusals, number values, and the getopt_long loop with its messages.
 * Shared by cli/check.c, the grading commands and the self-study commands. */
#ifndef FORKLAB_CLI_PARSE_H
#define FORKLAB_CLI_PARSE_H

#include <getopt.h>
#include <stdbool.h>

/* Longer than a day is a mistake in a unit, not a limit anyone needs. */
#define CLI_SECONDS_MAX 86400.0
/* More processes at once than this is a fork bomb, whatever the course. */
#define CLI_MAX_PROCS_MAX 100000
/* 4 TiB: past any machine this runs on, and still a byte count in a long. */
#define CLI_MAX_MEMORY_MIB_MAX (4L * 1024 * 1024)
/* The kernel's ceiling on a descriptor number (fs.nr_open's default). */
#define CLI_FD_MAX 1048575

/* Prints "forklab: MESSAGE" on stderr and returns EXIT_USAGE. */
int cli_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* How a text fits a range of numbers. */
enum cli_fit {
    CLI_FIT,        /* a number in range */
    CLI_NOT_NUMBER, /* "12abc", "", " 3", "0x10", "nan" */
    CLI_TOO_SMALL,
    CLI_TOO_BIG,
};

/* A whole decimal number in [min, max]. */
enum cli_fit cli_fit_whole(const char *text, long min, long max, long *value);
/* Seconds (decimals allowed) above 0 and at most CLI_SECONDS_MAX, into
 * milliseconds (rounded up). */
enum cli_fit cli_fit_seconds(const char *text, long *milliseconds);
/* Shorthands: whether the text fits. */
bool cli_parse_whole(const char *text, long min, long max, long *value);
bool cli_parse_seconds(const char *text, long *milliseconds);

/* A number option: its name, range and what it counts. Every number option
 * is refused the same way, naming the range: "--jobs '0' is too small: at
 * least 1 (students graded at once)". */
struct cli_number {
    const char *option; /* "--jobs" */
    long min, max;
    const char *unit; /* "students graded at once" */
};
/* Parses `value` for `spec`. Returns 0, or EXIT_USAGE after the message. */
int cli_parse_number(const struct cli_number *spec, const char *value, long *number);
/* The same for a number of seconds: "--timeout '0' is too small: more than 0
 * seconds". Returns 0 or EXIT_USAGE. */
int cli_parse_seconds_option(const char *option, const char *value, long *milliseconds);

/* The run options that `check` and the grading commands share, parsed with
 * their one-line refusals. Each returns 0 or EXIT_USAGE (after the message). */
int cli_parse_timeout_option(const char *value, long *milliseconds);
int cli_parse_max_procs_option(const char *value, long *max_procs);
/* --max-memory MIB: a whole number of MiB, 0 for no limit. */
int cli_parse_max_memory_option(const char *value, long *mib);

/* Stores one option's value in `command`; returns 0 or an exit status. */
typedef int (*cli_option_apply)(void *command, int option, const char *value);

/* Runs getopt_long over argv with `short_options` and `long_options`, and
 * hands each option to `apply`. An unknown option, or one without its value,
 * is refused in one line that names the command (`name`: "check", "grade",
 * ...). Returns 0 with optind at the first operand, or an exit status. */
int cli_parse_options(int argc, char **argv, const char *name, const char *short_options,
                      const struct option *long_options, cli_option_apply apply, void *command);

#endif
