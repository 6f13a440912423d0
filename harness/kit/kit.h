/* Where forklab's own files are: the kit root (the manifest, pitfalls/,
 * lessons/), the wrapper's header and its static library. The grader needs
 * them to build and run a submission the way the fixed programs are built. */
#ifndef FORKLAB_KIT_H
#define FORKLAB_KIT_H

#include <limits.h>
#include <stddef.h>

struct kit {
    char root[PATH_MAX];        /* holds pitfalls/manifest.json; programs run here */
    char include_dir[PATH_MAX]; /* holds forklab.h; "" when not found */
    char library[PATH_MAX];     /* libforklab.a; "" when not found */
    /* The forklab binary: a shell exercise's sessions run `forklab children`
     * inside the submission (kit_at: BUILD/forklab). */
    char forklab[PATH_MAX];
};

/* Finds the kit from the running forklab binary: FORKLAB_HOME when set, else
 * the source tree the binary was built in (BUILD/forklab, one or two levels
 * below the root), else an installed prefix (PREFIX/bin/forklab with
 * PREFIX/share/forklab, PREFIX/include and PREFIX/lib). Returns 0, or
 * -ENOENT with a one-line reason in `why`. */
int kit_locate(struct kit *kit, char *why, size_t why_size);

/* A kit at a known place: the source tree `root` and the build directory
 * `build_dir` that holds libforklab.a and forklab (tests use this). Returns 0 or
 * -ENAMETOOLONG. */
int kit_at(struct kit *kit, const char *root, const char *build_dir);

/* root/relative into `path`. Returns 0 or -ENAMETOOLONG. */
int kit_path(const struct kit *kit, const char *relative, char *path, size_t size);

#endif
