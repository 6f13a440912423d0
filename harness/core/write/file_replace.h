/* Writes a file whole or not at all (a temporary file beside it, renamed
 * over it): a reader never sees half a file, and whatever was at the path,
 * even a planted symlink, is replaced, never written through. */
#ifndef FORKLAB_FILE_REPLACE_H
#define FORKLAB_FILE_REPLACE_H

#include <stddef.h>
#include <stdio.h>

/* Writes what `write_content` puts on its stream to `path` (mode 0644). `write_content`
 * returns 0 or a negative errno. Returns 0, or a negative errno with a
 * one-line reason in `why`. */
int file_replace(const char *path, int (*write_content)(FILE *out, const void *context),
                 const void *context, char *why, size_t why_size);

#endif
