/* The grading commands: `forklab grade` (one submission, cli_grade.c) and
 * `forklab grade-all` (a folder of students, cli_grade_all.c). */
#ifndef FORKLAB_CLI_GRADE_H
#define FORKLAB_CLI_GRADE_H

#include <stdio.h>

int cli_grade_main(int argc, char **argv);
void cli_grade_help(FILE *out);

int cli_grade_all_main(int argc, char **argv);
void cli_grade_all_help(FILE *out);

#endif
