/* test_threads.c: 8 threads spawning 1000 children each at once. Every
 * descriptor is close-on-exec from birth, so no thread's pipes leak into
 * another thread's children, and at the end nothing is left over. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS           8
#define SPAWNS_PER_THREAD 1000

struct worker {
    pthread_t thread;
    int failures;
    char first_failure[256];
};

static void *spawn_many(void *arg)
{
    struct worker *w = arg;
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    for (int i = 0; i < SPAWNS_PER_THREAD; i++) {
        struct fl_output out;
        char fds[256];
        int rc = fl_command_output(cmd, &out);
        /* Each probe must see exactly its own three pipes/devnull: a leak
         * from a concurrent spawn would show up as a fourth descriptor. */
        if (rc < 0 || !fl_status_success(out.status) ||
            !probe_field(out.out, "fds", fds, sizeof fds) || strcmp(fds, "0 1 2") != 0) {
            if (w->failures++ == 0)
                snprintf(w->first_failure, sizeof w->first_failure, "rc %d (%s), fds [%s]", rc,
                         fl_command_strerror(cmd), rc == 0 && out.out ? out.out : "");
        }
        fl_output_free(&out);
    }
    fl_command_free(&cmd);
    return NULL;
}

Test(threads, many_threads_spawning_leak_nothing)
{
    hang_guard(600);
    int before[256], after[256];
    int n_before = fds_snapshot(before, 256);
    struct worker workers[THREADS] = {0};
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_create(&workers[i].thread, NULL, spawn_many, &workers[i]), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(workers[i].thread, NULL);
    for (int i = 0; i < THREADS; i++)
        cr_expect_eq(workers[i].failures, 0, "thread %d: %d failures, first: %s", i,
                     workers[i].failures, workers[i].first_failure);

    int n_after = fds_snapshot(after, 256);
    cr_assert_eq(n_before, n_after, "descriptors before %d, after %d", n_before, n_after);
    cr_assert_arr_eq(before, after, (size_t)n_before * sizeof(int));
    int zombies;
    cr_assert_eq(children_of_self(&zombies), 0);
    cr_assert_eq(zombies, 0);
}
