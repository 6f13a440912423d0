/* A lesson as `forklab show` prints it: whole, or without the part a student
 * should read only after an attempt at the exercise. */
#ifndef FORKLAB_KIT_LESSON_H
#define FORKLAB_KIT_LESSON_H

#include <stdbool.h>
#include <stdio.h>

/* The heading that opens a lesson's solution part; the part ends at the
 * next heading of the same level ("## "), or at the end of the lesson. */
#define LESSON_SOLUTION_HEADING "## After you solve it"

/* Copies the lesson file `path` to `out`. Without `with_solution`, the
 * solution part is left out: its heading is kept, followed by `instead`
 * (text that says how to see it). Returns 0 or a negative errno. */
int lesson_print(const char *path, bool with_solution, const char *instead, FILE *out);

#endif
