/* The command-line reading every forklab command shares: see cli/parse.h. */
#include "cli/parse.h"

#include "cli/cli.h"
#include "cli/program_name.h"
#include "core/write/visible_text.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_error(const char *format, ...)
{
    /* The message often names a file or repeats an argument: it is made
     * visible whole, so neither can act on the terminal or add a line. */
    va_list args;
    va_start(args, format);
    char *message;
    int length = vasprintf(&message, format, args);
    va_end(args);
    fputs("forklab: ", stderr);
    if (length < 0)
        fputs("out of memory while reporting an error", stderr);
    else
        visible_text_put(stderr, message, (size_t)length);
    fputc('\n', stderr);
    if (length >= 0)
        free(message);
    return EXIT_USAGE;
}

enum cli_fit cli_fit_seconds(const char *text, long *milliseconds)
{
    char *end;
    errno = 0;
    double seconds = strtod(text, &end);
    /* Plain decimals only: strtod would also take " 5", "0x10" and "inf". */
    bool decimal = text[0] != '\0' && strspn(text, "0123456789.+-eE") == strlen(text);
    if (!decimal || end == text || *end != '\0' || !isfinite(seconds))
        return errno == ERANGE ? (seconds > 0 ? CLI_TOO_BIG : CLI_TOO_SMALL) : CLI_NOT_NUMBER;
    if (seconds <= 0)
        return CLI_TOO_SMALL;
    if (seconds > CLI_SECONDS_MAX)
        return CLI_TOO_BIG;
    /* Round up, so a tiny value still means at least 1 ms (by hand: ceil()
     * would need libm, which the build does not link). */
    double exact = seconds * 1000.0;
    *milliseconds = (long)exact;
    if (*milliseconds < exact)
        (*milliseconds)++;
    return CLI_FIT;
}

enum cli_fit cli_fit_whole(const char *text, long min, long max, long *value)
{
    /* strtol alone would take leading spaces and stop quietly at "abc". */
    size_t length = strlen(text);
    size_t sign = text[0] == '+' || text[0] == '-';
    if (length == sign || strspn(text + sign, "0123456789") != length - sign)
        return CLI_NOT_NUMBER;
    errno = 0;
    long parsed = strtol(text, NULL, 10);
    if (errno == ERANGE)
        return text[0] == '-' ? CLI_TOO_SMALL : CLI_TOO_BIG;
    if (parsed < min)
        return CLI_TOO_SMALL;
    if (parsed > max)
        return CLI_TOO_BIG;
    *value = parsed;
    return CLI_FIT;
}

bool cli_parse_seconds(const char *text, long *milliseconds)
{
    return cli_fit_seconds(text, milliseconds) == CLI_FIT;
}

bool cli_parse_whole(const char *text, long min, long max, long *value)
{
    return cli_fit_whole(text, min, max, value) == CLI_FIT;
}

int cli_parse_number(const struct cli_number *spec, const char *value, long *number)
{
    switch (cli_fit_whole(value, spec->min, spec->max, number)) {
    case CLI_FIT:
        return 0;
    case CLI_TOO_SMALL:
        return cli_error("%s '%s' is too small: at least %ld (%s)", spec->option, value, spec->min,
                         spec->unit);
    case CLI_TOO_BIG:
        return cli_error("%s '%s' is too big: at most %ld (%s)", spec->option, value, spec->max,
                         spec->unit);
    case CLI_NOT_NUMBER:
        break;
    }
    return cli_error("%s '%s': give a whole number from %ld to %ld (%s)", spec->option, value,
                     spec->min, spec->max, spec->unit);
}

int cli_parse_seconds_option(const char *option, const char *value, long *milliseconds)
{
    switch (cli_fit_seconds(value, milliseconds)) {
    case CLI_FIT:
        return 0;
    case CLI_TOO_SMALL:
        return cli_error("%s '%s' is too small: more than 0 seconds", option, value);
    case CLI_TOO_BIG:
        return cli_error("%s '%s' is too big: at most %g seconds (a day)", option, value,
                         CLI_SECONDS_MAX);
    case CLI_NOT_NUMBER:
        break;
    }
    return cli_error("%s '%s': give a number of seconds above 0 and at most %g, such as 5 or 0.5",
                     option, value, CLI_SECONDS_MAX);
}

int cli_parse_timeout_option(const char *value, long *milliseconds)
{
    return cli_parse_seconds_option("--timeout", value, milliseconds);
}

int cli_parse_max_procs_option(const char *value, long *max_procs)
{
    static const struct cli_number spec = {"--max-procs", 1, CLI_MAX_PROCS_MAX,
                                           "processes at once"};
    return cli_parse_number(&spec, value, max_procs);
}

int cli_parse_max_memory_option(const char *value, long *mib)
{
    static const struct cli_number spec = {"--max-memory", 0, CLI_MAX_MEMORY_MIB_MAX,
                                           "MiB, 0 for no limit"};
    return cli_parse_number(&spec, value, mib);
}

int cli_parse_options(int argc, char **argv, const char *name, const char *short_options,
                      const struct option *long_options, cli_option_apply apply, void *command)
{
    optind = 0; /* glibc: start afresh, whatever parsed before */
    opterr = 0; /* our own messages: one line, naming the option */
    int option;
    /* A ':' first in short_options (after a '+', if any) makes a missing
     * value ':' rather than '?'. */
    while ((option = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
        if (option == '?')
            return cli_error("%s: unknown option '%s' (see %s %s --help)", name, argv[optind - 1],
                             cli_program_name(), name);
        if (option == ':')
            return cli_error("%s: option '%s' needs a value", name, argv[optind - 1]);
        int status = apply(command, option, optarg);
        if (status != 0)
            return status;
    }
    return 0;
}
