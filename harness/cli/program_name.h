/* How forklab names itself in the commands it suggests ("run forklab verify
 * 03"), so that each one runs exactly as printed: `forklab` when that name on
 * PATH is this very program, else the path it was run by (`build/forklab`). */
#ifndef FORKLAB_CLI_PROGRAM_NAME_H
#define FORKLAB_CLI_PROGRAM_NAME_H

#include <stddef.h>

/* The name to print, quoted for a POSIX shell when it needs to be. A
 * static string, the same for the whole run. */
const char *cli_program_name(void);

/* `word` as a POSIX shell must be given it: as is when it is made of safe
 * characters only, else in single quotes. Returns `out` (truncated to
 * `size`, always terminated). */
char *cli_shell_quote(const char *word, char *out, size_t size);

#endif
