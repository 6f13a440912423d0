/* Shared by cli_grade*.c and the self-study commands (cli/study.c,
 * cli/verify.c, cli/watch.c): see cli/exercise.h. */
#include "cli/exercise.h"

#include "cli/cli.h"
#include "cli/program_name.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_kit_load(struct cli_kit *kit)
{
    char why[PATH_MAX + 128] = "";
    if (kit_locate(&kit->kit, why, sizeof(why)) < 0)
        return cli_error("%s", why);
    char path[PATH_MAX];
    if (kit_path(&kit->kit, MANIFEST_PATH, path, sizeof(path)) < 0)
        return cli_error("%s/%s: the path is too long", kit->kit.root, MANIFEST_PATH);
    if (manifest_load(path, &kit->manifest, why, sizeof(why)) < 0)
        return cli_error("cannot load the exercises: %s", why);
    return 0;
}

int cli_kit_load_exercise(struct cli_kit *kit, const char *name,
                          const struct manifest_pitfall **exercise)
{
    int status = cli_kit_load(kit);
    if (status != 0)
        return status;
    *exercise = NULL;
    if (name != NULL && (*exercise = cli_exercise_find(kit, name)) == NULL) {
        cli_kit_free(kit);
        return EXIT_USAGE;
    }
    return 0;
}

void cli_kit_free(struct cli_kit *kit)
{
    manifest_free(&kit->manifest);
}

const struct manifest_pitfall *cli_exercise_find(const struct cli_kit *kit, const char *name)
{
    const struct manifest_pitfall *exercise = manifest_find(&kit->manifest, name);
    if (exercise != NULL)
        return exercise;
    fprintf(stderr, "forklab: no exercise '%s'; the exercises are:", name);
    for (size_t i = 0; i < kit->manifest.count; i++)
        fprintf(stderr, " %s", kit->manifest.pitfalls[i].name);
    fprintf(stderr, " (see %s list)\n", cli_program_name());
    return NULL;
}

int study_copy_path(const char *dir, const struct manifest_pitfall *exercise, char *path,
                    size_t size)
{
    int length = snprintf(path, size, "%s/%s.c", dir, exercise->name);
    return length >= 0 && (size_t)length < size ? 0 : -ENAMETOOLONG;
}
