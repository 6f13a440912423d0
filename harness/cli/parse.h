/* Reading a forklab command line, the same way in every command: one-line
 * refusals, number values, and the getopt_long loop with its messages.
 * Shared by cli/check.c, the grading commands and the self-study commands. */
#ifndef FORKLAB_CLI_PARSE_H
#define FORKLAB_CLI_PARSE_H

#include <getopt.h>
#include <stdbool.h>

/* Longer than a day is a mistake in a unit, not a limit anyone needs. */
#define CLI_SECONDS_MAX 86400.0

/* Prints "forklab: MESSAGE" on stderr and returns EXIT_USAGE. */
int cli_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Seconds (decimals allowed) above 0 and at most CLI_SECONDS_MAX, into
 * milliseconds. */
bool cli_parse_seconds(const char *text, long *milliseconds);
/* A whole decimal number in [min, max]; "12abc", "", " 3" and "0x10" are not. */
bool cli_parse_whole(const char *text, long min, long max, long *value);

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
