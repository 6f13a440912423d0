/* Loads a big table into memory, then runs a small helper command, `true`,
 * many times, and says how long one run takes on average (on stderr).
 * posix_spawnp() starts each child without copying the parent's page tables
 * (glibc uses clone with CLONE_VM and CLONE_VFORK), so the table's size does
 * not matter.
 * Solution to pitfall 10 with raw system calls: see lessons/10-fork-cost.md. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TABLE_MIB 128
#define RUNS      10

static double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(void)
{
    size_t size = (size_t)TABLE_MIB << 20;
    char *table = malloc(size);
    if (table == NULL) {
        perror("malloc");
        return 1;
    }
    memset(table, 1, size); /* touch every page, as loading real data would */

    char *const argv[] = {"true", NULL};
    double start = now_seconds();
    for (int i = 0; i < RUNS; i++) {
        pid_t pid;
        int error = posix_spawnp(&pid, "true", NULL, NULL, argv, environ);
        if (error != 0) { /* the error number itself: posix_spawnp leaves errno alone */
            fprintf(stderr, "true: %s\n", strerror(error));
            return 1;
        }
        int status;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "true failed\n");
            return 1;
        }
    }
    double per_run = (now_seconds() - start) / RUNS;
    printf("ran true %d times\n", RUNS);
    fprintf(stderr, "posix_spawnp with a %d MiB heap: %.0f microseconds per run\n", TABLE_MIB,
            per_run * 1e6);
    free(table);
    return 0;
}
