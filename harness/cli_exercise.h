/* What the grading and self-study commands share: the kit and its manifest,
 * naming an exercise, a student's copy in the work folder, number options,
 * and one-line errors. */
#ifndef FORKLAB_CLI_EXERCISE_H
#define FORKLAB_CLI_EXERCISE_H

#include "kit.h"
#include "manifest.h"

#include <stdbool.h>
#include <stddef.h>

/* The work folder of `forklab start`, relative to the current directory. */
#define STUDY_DEFAULT_DIR "exercises"

/* Prints "forklab: MESSAGE" on stderr and returns EXIT_USAGE. */
int cli_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

struct cli_kit {
    struct kit kit;
    struct manifest manifest;
};

/* Finds the kit and loads its manifest; on failure prints why and returns
 * EXIT_USAGE (then there is nothing to free). */
int cli_kit_load(struct cli_kit *kit);
void cli_kit_free(struct cli_kit *kit);

/* The exercise called `name` (see manifest_find); NULL after printing an
 * error that lists the exercises. */
const struct manifest_pitfall *cli_exercise_find(const struct cli_kit *kit, const char *name);

/* DIR/NAME.c, the student's copy of an exercise. Returns 0 or -ENAMETOOLONG. */
int study_copy_path(const char *dir, const struct manifest_pitfall *exercise, char *path,
                    size_t size);

/* Seconds (decimals allowed) above 0 and at most a day, into milliseconds. */
bool cli_parse_seconds(const char *text, long *milliseconds);
/* A whole decimal number in [min, max]; "12abc", "" and "0x10" are not. */
bool cli_parse_whole(const char *text, long min, long max, long *value);

#endif
