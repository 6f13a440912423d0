/* file_replace: mkstemp in the same folder (rename is atomic only within one
 * file system), write, flush, rename. */
#include "core/write/file_replace.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int file_replace(const char *path, int (*write_content)(FILE *out, const void *context),
                 const void *context, char *why, size_t why_size)
{
    char temporary[PATH_MAX];
    if (snprintf(temporary, sizeof(temporary), "%s.XXXXXX", path) >= (int)sizeof(temporary)) {
        snprintf(why, why_size, "%s: the path is too long", path);
        return -ENAMETOOLONG;
    }
    int fd = mkostemp(temporary, O_CLOEXEC);
    if (fd < 0) {
        int error = -errno;
        snprintf(why, why_size, "cannot write %s: %s", path, strerror(errno));
        return error;
    }
    fchmod(fd, 0644); /* mkostemp makes 0600; these files are meant to be read */
    FILE *out = fdopen(fd, "w");
    if (out == NULL) {
        int error = -errno;
        close(fd);
        unlink(temporary);
        snprintf(why, why_size, "cannot write %s: %s", path, strerror(-error));
        return error;
    }
    int error = write_content(out, context);
    if (fclose(out) != 0 && error == 0)
        error = -errno;
    if (error == 0 && rename(temporary, path) != 0)
        error = -errno;
    if (error < 0) {
        unlink(temporary);
        snprintf(why, why_size, "cannot write %s: %s", path, strerror(-error));
    }
    return error;
}
