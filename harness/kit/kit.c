/* Finds the kit's files relative to the forklab binary (/proc/self/exe), so
 * that `forklab grade` works from any directory, from the build tree as well
 * as from an installed prefix. */
#include "kit/kit.h"

#include "kit/manifest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((format(printf, 3, 4))) static bool join(char *path, size_t size, const char *format,
                                                       ...)
{
    va_list args;
    va_start(args, format);
    int length = vsnprintf(path, size, format, args);
    va_end(args);
    return length >= 0 && (size_t)length < size;
}

static bool readable(const char *path)
{
    return access(path, R_OK) == 0;
}

/* Whether `dir` is a kit root: it holds the manifest. */
static bool is_root(const char *dir)
{
    char manifest[PATH_MAX];
    return join(manifest, sizeof(manifest), "%s/%s", dir, MANIFEST_PATH) && readable(manifest);
}

/* The wrapper's header and library: the source tree's lib/ and the build
 * directory `bin_dir` first, then an installed prefix around `bin_dir`. */
static void find_wrapper(struct kit *kit, const char *bin_dir)
{
    char path[PATH_MAX];
    kit->include_dir[0] = kit->library[0] = '\0';
    if (join(path, sizeof(path), "%s/lib/forklab.h", kit->root) && readable(path))
        join(kit->include_dir, sizeof(kit->include_dir), "%s/lib", kit->root);
    else if (join(path, sizeof(path), "%s/../include/forklab.h", bin_dir) && readable(path))
        join(kit->include_dir, sizeof(kit->include_dir), "%s/../include", bin_dir);

    if (join(path, sizeof(path), "%s/libforklab.a", bin_dir) && readable(path))
        join(kit->library, sizeof(kit->library), "%s", path);
    else if (join(path, sizeof(path), "%s/../lib/libforklab.a", bin_dir) && readable(path))
        join(kit->library, sizeof(kit->library), "%s", path);
}

int kit_locate(struct kit *kit, char *why, size_t why_size)
{
    char exe[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (length < 0) {
        snprintf(why, why_size, "cannot find the forklab binary: /proc/self/exe: %s",
                 strerror(errno));
        return -ENOENT;
    }
    exe[length] = '\0';
    snprintf(kit->forklab, sizeof(kit->forklab), "%s", exe);
    char *slash = strrchr(exe, '/');
    if (slash != NULL)
        *slash = '\0';
    const char *bin_dir = exe;

    const char *home = getenv("FORKLAB_HOME");
    if (home != NULL && home[0] != '\0') {
        if (!is_root(home)) {
            snprintf(why, why_size, "FORKLAB_HOME=%s has no %s", home, MANIFEST_PATH);
            return -ENOENT;
        }
        join(kit->root, sizeof(kit->root), "%s", home);
        find_wrapper(kit, bin_dir);
        return 0;
    }
    /* BUILD/forklab, BUILD/asan/forklab, then PREFIX/bin/forklab. */
    const char *const candidates[] = {"%s/..", "%s/../..", "%s/../share/forklab"};
    for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
        char dir[PATH_MAX], resolved[PATH_MAX];
        if (join(dir, sizeof(dir), candidates[i], bin_dir) && is_root(dir) &&
            realpath(dir, resolved) != NULL) {
            join(kit->root, sizeof(kit->root), "%s", resolved);
            find_wrapper(kit, bin_dir);
            return 0;
        }
    }
    snprintf(why, why_size,
             "cannot find forklab's %s near %s (set FORKLAB_HOME to the forklab source tree)",
             MANIFEST_PATH, bin_dir);
    return -ENOENT;
}

int kit_at(struct kit *kit, const char *root, const char *build_dir)
{
    if (!join(kit->root, sizeof(kit->root), "%s", root) ||
        !join(kit->include_dir, sizeof(kit->include_dir), "%s/lib", root) ||
        !join(kit->library, sizeof(kit->library), "%s/libforklab.a", build_dir) ||
        !join(kit->forklab, sizeof(kit->forklab), "%s/forklab", build_dir))
        return -ENAMETOOLONG;
    return 0;
}

int kit_path(const struct kit *kit, const char *relative, char *path, size_t size)
{
    return join(path, size, "%s/%s", kit->root, relative) ? 0 : -ENAMETOOLONG;
}
