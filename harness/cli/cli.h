/* What every forklab command shares: the exit statuses of the contract, so
 * graders and scripts can tell "clean" from "findings" from "did not run". */
#ifndef FORKLAB_CLI_H
#define FORKLAB_CLI_H

#define EXIT_NO_FINDINGS 0
#define EXIT_FINDINGS    1
#define EXIT_USAGE       2 /* bad command line, or the program could not start */

#endif
