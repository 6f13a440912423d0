/* Loads a big table into memory, then runs a small helper command, `true`,
 * many times, and says how long one run takes on average (on stderr). The
 * wrapper starts each child without copying the parent's page tables, so the
 * size of the table does not matter.
 * Solution to pitfall 10: see lessons/10-fork-cost.md. */
#include <forklab.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

    struct fl_command *cmd = fl_command_new("true");
    if (cmd == NULL) {
        perror("true");
        free(table);
        return 1;
    }
    int code = 0;
    double start = now_seconds();
    for (int i = 0; i < RUNS && code == 0; i++) {
        struct fl_status status;
        if (fl_command_status(cmd, &status) < 0) {
            fprintf(stderr, "%s\n", fl_command_strerror(cmd));
            code = 1;
        } else if (!fl_status_success(status)) {
            fprintf(stderr, "true failed\n");
            code = 1;
        }
    }
    if (code == 0) {
        double per_run = (now_seconds() - start) / RUNS;
        printf("ran true %d times\n", RUNS);
        fprintf(stderr, "the wrapper with a %d MiB heap: %.0f microseconds per run\n", TABLE_MIB,
                per_run * 1e6);
    }
    fl_command_free(&cmd);
    free(table);
    return code;
}
