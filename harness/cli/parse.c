/* The command-line reading every forklab command shares: see cli/parse.h. */
#include "cli/parse.h"

#include "cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("forklab: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    return EXIT_USAGE;
}

bool cli_parse_seconds(const char *text, long *milliseconds)
{
    char *end;
    errno = 0;
    double seconds = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !isfinite(seconds) || seconds <= 0 ||
        seconds > CLI_SECONDS_MAX)
        return false;
    /* Round up, so a tiny value still means at least 1 ms (by hand: ceil()
     * would need libm, which the build does not link). */
    double exact = seconds * 1000.0;
    *milliseconds = (long)exact;
    if (*milliseconds < exact)
        (*milliseconds)++;
    return true;
}

bool cli_parse_whole(const char *text, long min, long max, long *value)
{
    /* strtol alone would take leading spaces and stop quietly at "abc". */
    if (text[0] == '\0' || strspn(text, "+-0123456789") != strlen(text))
        return false;
    char *end;
    errno = 0;
    long parsed = strtol(text, &end, 10);
    if (*end != '\0' || errno != 0 || parsed < min || parsed > max)
        return false;
    *value = parsed;
    return true;
}

int cli_parse_timeout_option(const char *value, long *milliseconds)
{
    if (!cli_parse_seconds(value, milliseconds))
        return cli_error("--timeout '%s': give a number of seconds above 0 and at most %g, such "
                         "as 5 or 0.5",
                         value, CLI_SECONDS_MAX);
    return 0;
}

int cli_parse_max_procs_option(const char *value, long *max_procs)
{
    if (!cli_parse_whole(value, 1, INT_MAX, max_procs))
        return cli_error("--max-procs '%s': give a whole number of processes, at least 1", value);
    return 0;
}

int cli_parse_max_memory_option(const char *value, long *mib)
{
    /* 4 TiB: past any machine this runs on, and still a byte count in a long. */
    if (!cli_parse_whole(value, 0, 4L * 1024 * 1024, mib))
        return cli_error("--max-memory '%s': give a whole number of MiB (0: no limit)", value);
    return 0;
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
            return cli_error("%s: unknown option '%s' (see forklab %s --help)", name,
                             argv[optind - 1], name);
        if (option == ':')
            return cli_error("%s: option '%s' needs a value", name, argv[optind - 1]);
        int status = apply(command, option, optarg);
        if (status != 0)
            return status;
    }
    return 0;
}
