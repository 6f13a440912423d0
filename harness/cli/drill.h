/* `forklab drill`: prediction drills on short programs, checked against a
 * real run (study/drill.h). */
#ifndef FORKLAB_CLI_DRILL_H
#define FORKLAB_CLI_DRILL_H

#include <stdio.h>

/* Runs `forklab drill`; argv[0] is "drill". Returns the exit status. */
int cli_drill_main(int argc, char **argv);
void cli_drill_help(FILE *out);

#endif
