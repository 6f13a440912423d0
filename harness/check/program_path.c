/* Resolving argv[0] like execvp: a name with a '/' is used as it is, a bare
 * name is looked up in each directory of PATH in turn. */
#include "check/program_path.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The PATH execvp uses when the environment has none (glibc's default). */
#define DEFAULT_PATH "/bin:/usr/bin"

/* Checks one candidate. Returns 0 when it can be executed, or a negative
 * errno explaining why not. */
static int check_candidate(const char *path)
{
    struct stat info;
    if (stat(path, &info) != 0)
        return -errno;
    if (S_ISDIR(info.st_mode))
        return -EISDIR;
    if (!S_ISREG(info.st_mode) || access(path, X_OK) != 0)
        return -EACCES;
    return 0;
}

static int explain(int error, const char *name, char *why, size_t why_size)
{
    if (why == NULL)
        return error;
    switch (error) {
    case -ENOENT:
        snprintf(why, why_size, "%s: no such program%s", name, strchr(name, '/') ? "" : " in PATH");
        break;
    case -EISDIR:
        snprintf(why, why_size, "%s: is a directory, not a program", name);
        break;
    case -EACCES:
        snprintf(why, why_size, "%s: not executable (check its permissions: chmod +x)", name);
        break;
    default:
        snprintf(why, why_size, "%s: %s", name, strerror(-error));
    }
    return error;
}

int program_path_resolve(const char *name, char *path, size_t path_size, char *why, size_t why_size)
{
    if (name == NULL || name[0] == '\0') {
        if (why != NULL)
            snprintf(why, why_size, "no program given");
        return -EINVAL;
    }
    if (strchr(name, '/') != NULL) {
        if (strlen(name) >= path_size)
            return explain(-ENAMETOOLONG, name, why, why_size);
        int error = check_candidate(name);
        if (error < 0)
            return explain(error, name, why, why_size);
        strcpy(path, name);
        return 0;
    }

    const char *search = getenv("PATH");
    if (search == NULL)
        search = DEFAULT_PATH;
    /* Like execvp: report the most telling failure seen (a candidate that
     * exists but cannot run beats "not found"). */
    int best = -ENOENT;
    for (const char *dir = search;; dir++) {
        const char *end = strchrnul(dir, ':');
        size_t length = (size_t)(end - dir);
        /* An empty entry means the current directory. */
        int written = length == 0 ? snprintf(path, path_size, "%s", name)
                                  : snprintf(path, path_size, "%.*s/%s", (int)length, dir, name);
        if (written > 0 && (size_t)written < path_size) {
            int error = check_candidate(path);
            if (error == 0)
                return 0;
            if (error != -ENOENT && error != -ENOTDIR)
                best = error;
        }
        if (*end == '\0')
            break;
        dir = end;
    }
    path[0] = '\0';
    return explain(best, name, why, why_size);
}
