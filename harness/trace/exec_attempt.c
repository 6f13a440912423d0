/* Reading an exec attempt at its seccomp stop (see trace/exec_attempt.h). The
 * kernel looks the file up the way we do here: a relative path from the
 * tracee's working directory, /proc/TID/cwd, or from the directory of
 * execveat's dirfd, /proc/TID/fd/N. If our lookup says the file is missing,
 * the exec fails the same way; if a file appears in between, the exec
 * succeeds and the tracer's exec stop sets the record right. */
#include "trace/exec_attempt.h"
#include "trace/tracee_memory.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The errno the exec of `path` will fail with because the file is not
 * there (ENOENT, ENOTDIR, ...), or -1 when the file exists (the exec may
 * still fail, for EACCES or ENOEXEC, but only the exit stop can tell). */
static int predict_error(pid_t tid, int nr, const uint64_t *args, const char *path)
{
    if (nr == SYS_execveat && path[0] == '\0')
        return -1; /* fexecve(): the file is the open descriptor */
    char where[PATH_MAX + 64];
    int dirfd = nr == SYS_execveat ? (int)args[0] : AT_FDCWD;
    if (path[0] == '/')
        snprintf(where, sizeof(where), "%s", path);
    else if (dirfd == AT_FDCWD)
        snprintf(where, sizeof(where), "/proc/%d/cwd/%s", (int)tid, path);
    else
        snprintf(where, sizeof(where), "/proc/%d/fd/%d/%s", (int)tid, dirfd, path);
    if (faccessat(AT_FDCWD, where, F_OK, 0) == 0)
        return -1;
    return errno == ENOENT || errno == ENOTDIR || errno == ENAMETOOLONG || errno == ELOOP ? errno
                                                                                          : -1;
}

int exec_attempt_read(pid_t tid, int nr, const uint64_t *args, const struct exec_attempt *previous,
                      struct exec_attempt *attempt)
{
    /* execve(path, argv, envp); execveat(dirfd, path, argv, envp, flags) */
    bool at = nr == SYS_execveat;
    memset(attempt, 0, sizeof(*attempt));
    char path[PATH_MAX];
    if (tracee_read_string(tid, at ? args[1] : args[0], path, sizeof(path)) < 0)
        snprintf(path, sizeof(path), "(unreadable)");
    attempt->argv_address = at ? args[2] : args[1];

    char argv_text[512];
    if (previous != NULL && previous->error != 0 &&
        previous->argv_address == attempt->argv_address) {
        snprintf(argv_text, sizeof(argv_text), "%s", previous->argv_text);
        attempt->argv_hash = previous->argv_hash;
    } else if (tracee_read_argv(tid, attempt->argv_address, argv_text, sizeof(argv_text),
                                &attempt->argv_hash) < 0) {
        snprintf(argv_text, sizeof(argv_text), "(unreadable)");
    }
    attempt->error = predict_error(tid, nr, args, path);
    attempt->path = strdup(path);
    attempt->argv_text = strdup(argv_text);
    if (attempt->path == NULL || attempt->argv_text == NULL) {
        free(attempt->path);
        free(attempt->argv_text);
        return -ENOMEM;
    }
    return 0;
}
