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

/* Sets *found to a new string holding the program's path (NULL when program
 * contains '/' and is used as it is). Like execvp: an entry that exists but is
 * not executable gives -EACCES unless a later entry works; else -ENOENT. */
int fl__find_program(const char *program, const char *search_path, char **found)
{
    *found = NULL;
    if (strchr(program, '/'))
        return 0;
    if (!search_path)
        search_path = default_search_path;

    size_t program_len = strlen(program);
    int result = -ENOENT;
    const char *entry = search_path;
    for (;;) {
        const char *end = strchrnul(entry, ':');
        size_t dir_len = (size_t)(end - entry);
        char candidate[PATH_MAX];
        /* An empty entry means the current directory, as in the shell. */
        int len = dir_len == 0 ? snprintf(candidate, sizeof candidate, "%s", program)
                               : snprintf(candidate, sizeof candidate, "%.*s/%s", (int)dir_len,
                                          entry, program);
        struct stat st;
        if (len > 0 && (size_t)len < sizeof candidate && program_len > 0 &&
            stat(candidate, &st) == 0 && S_ISREG(st.st_mode)) {
            if (faccessat(AT_FDCWD, candidate, X_OK, AT_EACCESS) == 0) {
                *found = strdup(candidate);
                return *found ? 0 : -ENOMEM;
            }
            result = -EACCES;
        }
        if (*end == '\0')
            return result;
        entry = end + 1;
    }
}
