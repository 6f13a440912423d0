/* For the tests that run a program as another user (nobody): a copy of a
 * binary where that user can run it, whatever the folders above the build
 * allow (a clone under mktemp -d is 0700). Shared by the harness and grade
 * tests. */
#ifndef FORKLAB_TEST_COPY_EXECUTABLE_H
#define FORKLAB_TEST_COPY_EXECUTABLE_H

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Copies `from` to `to`, mode 0755 (asserts it could). */
static inline void copy_executable(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    cr_assert(in != NULL && out != NULL, "copy %s to %s: %s", from, to, strerror(errno));
    char buffer[65536];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), in)) > 0)
        cr_assert_eq(fwrite(buffer, 1, got, out), got);
    cr_assert(!ferror(in) && fclose(out) == 0);
    fclose(in);
    cr_assert_eq(chmod(to, 0755), 0);
}

#endif
