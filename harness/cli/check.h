/* `forklab check`: parses and validates its command line into struct
 * check_options, runs the check and prints the report in the chosen format. */
#ifndef FORKLAB_CLI_CHECK_H
#define FORKLAB_CLI_CHECK_H

#include "cli/cli.h"

#include <stdio.h>

/* Runs `forklab check`; argv[0] is "check". Returns the exit status. */
int cli_check_main(int argc, char **argv);
/* Writes the help of `forklab check`. */
void cli_check_help(FILE *out);

#endif
