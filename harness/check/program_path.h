/* Finds the program a check runs, the way execvp would (argv[0] through
 * PATH), and refuses what could never start: so that a bad command line
 * fails before anything is forked. */
#ifndef FORKLAB_PROGRAM_PATH_H
#define FORKLAB_PROGRAM_PATH_H

#include <stddef.h>

/* Resolves `name` into `path`. Returns 0, or a negative errno with a
 * one-line reason in `why`: -ENOENT (not found), -EISDIR (a directory),
 * -EACCES (not executable), -EINVAL (empty name), -ENAMETOOLONG. */
int program_path_resolve(const char *name, char *path, size_t path_size, char *why,
                         size_t why_size);

#endif
