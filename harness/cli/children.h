/* `forklab children`: the children its parent has not reaped, read from
 * /proc; run from inside a shell, the zombies and stray processes it left. */
#ifndef FORKLAB_CLI_CHILDREN_H
#define FORKLAB_CLI_CHILDREN_H

#include <stdio.h>

/* Runs `forklab children`; argv[0] is "children". Returns the exit status. */
int cli_children_main(int argc, char **argv);
void cli_children_help(FILE *out);

#endif
