/* What the grading and self-study commands share: the kit and its manifest,
 * naming an exercise, a student's copy in the work folder, and (through
 * cli/parse.h) number options and one-line errors. */
#ifndef FORKLAB_CLI_EXERCISE_H
#define FORKLAB_CLI_EXERCISE_H

#include "cli/parse.h"
#include "kit/kit.h"
#include "kit/manifest.h"

#include <stdbool.h>
#include <stddef.h>

/* The work folder of `forklab start`, relative to the current directory. */
#define STUDY_DEFAULT_DIR "exercises"

struct cli_kit {
    struct kit kit;
    struct manifest manifest;
};

/* Finds the kit and loads its manifest; on failure prints why and returns
 * EXIT_USAGE (then there is nothing to free). */
int cli_kit_load(struct cli_kit *kit);
void cli_kit_free(struct cli_kit *kit);
/* cli_kit_load, then the exercise called `name` into *exercise (NULL when
 * `name` is NULL). On failure prints why and returns EXIT_USAGE, with the
 * kit already freed; on success call cli_kit_free. */
int cli_kit_load_exercise(struct cli_kit *kit, const char *name,
                          const struct manifest_pitfall **exercise);

/* The exercise called `name` (see manifest_find); NULL after printing an
 * error that lists the exercises. */
const struct manifest_pitfall *cli_exercise_find(const struct cli_kit *kit, const char *name);

/* DIR/NAME.c, the student's copy of an exercise. Returns 0 or -ENAMETOOLONG. */
int study_copy_path(const char *dir, const struct manifest_pitfall *exercise, char *path,
                    size_t size);

#endif
