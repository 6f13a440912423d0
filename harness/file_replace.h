/* Writes a file whole or not at all: into a new temporary file beside it,
 * then renamed over the old one. A reader never sees half a file, and
 * whatever was at the path before (a file, a symlink a program planted) is
 * replaced, never written through. */
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
