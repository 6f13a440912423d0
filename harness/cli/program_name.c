/* The name forklab prints for itself: see cli/program_name.h. argv[0] is
 * what the user typed (glibc keeps it as program_invocation_name): a bare
 * name was found on PATH and runs again as typed; a path runs again too,
 * from the same folder, but when the bare name on PATH is this same program
 * the bare name is shorter and works from anywhere. */
#include "cli/program_name.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Whether `name`, looked up in PATH as a shell would, is the file we run. */
static bool on_path_is_us(const char *name)
{
    struct stat us;
    const char *path = getenv("PATH");
    if (path == NULL || stat("/proc/self/exe", &us) != 0)
        return false;
    while (*path != '\0') {
        size_t length = strcspn(path, ":");
        char candidate[PATH_MAX];
        /* An empty entry means the current folder, as in a shell. */
        int written = length == 0 ? snprintf(candidate, sizeof(candidate), "./%s", name)
                                  : snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)length,
                                             path, name);
        struct stat found;
        if (written > 0 && (size_t)written < sizeof(candidate) && stat(candidate, &found) == 0 &&
            (found.st_mode & S_IXUSR))
            /* The first hit is what the shell would run: us, or someone else. */
            return found.st_dev == us.st_dev && found.st_ino == us.st_ino;
        path += length + (path[length] == ':');
    }
    return false;
}

/* Whether a shell reads `word` as itself, unquoted. */
static bool shell_safe(const char *word)
{
    return word[0] != '\0' &&
           strspn(word,
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./+-=:,@%") ==
               strlen(word);
}

char *cli_shell_quote(const char *word, char *out, size_t size)
{
    if (size < 3) { /* not even '' fits */
        if (size > 0)
            out[0] = '\0';
        return out;
    }
    if (shell_safe(word)) {
        snprintf(out, size, "%s", word);
        return out;
    }
    /* 'it'\''s': every single quote closes, escapes and reopens. */
    size_t used = 0;
    out[used++] = '\'';
    for (const char *c = word; *c != '\0' && used + 6 < size; c++) {
        if (*c == '\'') {
            memcpy(out + used, "'\\''", 4);
            used += 4;
        } else {
            out[used++] = *c;
        }
    }
    if (used + 1 < size)
        out[used++] = '\'';
    out[used] = '\0';
    return out;
}

const char *cli_program_name(void)
{
    /* Computed once: the answer cannot change during a run, and messages
     * ask for it many times. */
    static char name[PATH_MAX * 4 + 3];
    if (name[0] != '\0')
        return name;
    const char *typed = program_invocation_name;
    const char *bare = program_invocation_short_name;
    if (strchr(typed, '/') != NULL && shell_safe(bare) && on_path_is_us(bare))
        typed = bare;
    return cli_shell_quote(typed, name, sizeof(name));
}
