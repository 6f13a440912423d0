/* Shared by cli_grade*.c and the self-study commands (cli_study.c,
 * cli_verify.c, cli_watch.c): see cli_exercise.h. */
#include "cli_exercise.h"

#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longer than a day is a mistake in a unit, not a limit anyone needs. */
#define SECONDS_MAX 86400.0

int cli_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("forklab: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    return EXIT_USAGE;
}

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
    fputs(" (see forklab list)\n", stderr);
    return NULL;
}

int study_copy_path(const char *dir, const struct manifest_pitfall *exercise, char *path,
                    size_t size)
{
    int length = snprintf(path, size, "%s/%s.c", dir, exercise->name);
    return length >= 0 && (size_t)length < size ? 0 : -ENAMETOOLONG;
}

bool cli_parse_seconds(const char *text, long *milliseconds)
{
    char *end;
    errno = 0;
    double seconds = strtod(text, &end);
    if (end == text || *end != '\0' || errno != 0 || !(seconds > 0) || seconds > SECONDS_MAX)
        return false;
    /* Round up, so a tiny value still means at least 1 ms. */
    double exact = seconds * 1000.0;
    *milliseconds = (long)exact;
    if (*milliseconds < exact)
        (*milliseconds)++;
    return true;
}

bool cli_parse_whole(const char *text, long min, long max, long *value)
{
    if (text[0] == '\0' || strspn(text, "+-0123456789") != strlen(text))
        return false;
    char *end;
    errno = 0;
    long parsed = strtol(text, &end, 10);
    if (*end != '\0' || errno != 0 || parsed < min || parsed > max)
        return false;
    *value = parsed;
    return true;
}
