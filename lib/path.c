/* path.c: finding a program in PATH, in the parent, before the child exists.
 * Doing it here means the child needs no buffer to build candidate paths and
 * makes one execve instead of one per PATH entry. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What execvp uses when PATH is unset (glibc's confstr(_CS_PATH)). */
static const char default_search_path[] = "/bin:/usr/bin";

/* Whether `path`, seen from the child's working directory, is a regular file
 * we may execute: 0, -EACCES (it exists but is not executable) or -ENOENT.
 * The child changes to `cwd` (relative to ours) before exec, so a relative
 * candidate is checked as cwd/path: the file the child will run. */
static int check_candidate(const char *path, const char *cwd)
{
    char seen_from_here[PATH_MAX];
    if (cwd && path[0] != '/') {
        int len = snprintf(seen_from_here, sizeof seen_from_here, "%s/%s", cwd, path);
        if (len < 0 || (size_t)len >= sizeof seen_from_here)
            return -ENOENT;
        path = seen_from_here;
    }
    struct stat st;
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
        return -ENOENT;
    return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0 ? 0 : -EACCES;
}

/* Sets *found to a new string holding the program's path (NULL when program
 * contains '/' and is used as it is). Like execvp: an entry that exists but is
 * not executable gives -EACCES unless a later entry works; else -ENOENT. A
 * relative entry ("." or "bin"; an empty one means ".") is relative to the
 * child's working directory, cwd (NULL: ours), as it would be for execvp run
 * in the child; *found is then relative too, for the child's exec. */
int fl__find_program(const char *program, const char *search_path, const char *cwd, char **found)
{
    *found = NULL;
    if (strchr(program, '/'))
        return 0;
    if (!search_path)
        search_path = default_search_path;

    int result = -ENOENT;
    const char *entry = search_path;
    for (;;) {
        const char *end = strchrnul(entry, ':');
        int dir_len = (int)(end - entry);
        char candidate[PATH_MAX];
        int len = snprintf(candidate, sizeof candidate, "%.*s/%s", dir_len ? dir_len : 1,
                           dir_len ? entry : ".", program);
        if (len > 0 && (size_t)len < sizeof candidate && program[0] != '\0') {
            int rc = check_candidate(candidate, cwd);
            if (rc == 0) {
                *found = strdup(candidate);
                return *found ? 0 : -ENOMEM;
            }
            if (rc == -EACCES)
                result = -EACCES;
        }
        if (*end == '\0')
            return result;
        entry = end + 1;
    }
}
