/* Which valgrind is installed, and what its output can tell: the pass asks
 * `valgrind --version` at run time and reads what that version has. */
#ifndef FORKLAB_VALGRIND_VERSION_H
#define FORKLAB_VALGRIND_VERSION_H

#include <stdbool.h>
#include <stddef.h>

struct valgrind_version {
    int major, minor, patch;
};

/* What the pass says when valgrind cannot be found. */
#define VALGRIND_NOT_INSTALLED                                                                     \
    "valgrind is not installed; install it with: apt-get install valgrind"

/* Parses what `valgrind --version` prints: "valgrind-3.19.0", also with a
 * suffix ("valgrind-3.25.0.GIT", "valgrind-3.19.0-8d3c8034b8-20220411").
 * Returns 0 or -EINVAL. */
int valgrind_version_parse(const char *text, struct valgrind_version *version);

/* Runs `valgrind --version` (found in PATH). Returns 0; -ENOENT with
 * VALGRIND_NOT_INSTALLED in `why` when there is no valgrind; another negative
 * errno with a reason when it cannot be run or answers something else. */
int valgrind_version_detect(struct valgrind_version *version, char *why, size_t why_size);

bool valgrind_version_at_least(struct valgrind_version version, int major, int minor);

/* valgrind 3.24 added the FdBadClose and FdNotClosed errors to its XML; before
 * that, descriptors open at exit appear only in the text log and a bad close
 * only as a warning about an out-of-range number. */
bool valgrind_has_fd_errors_in_xml(struct valgrind_version version);

#endif
