/* A run keeps the tracer and the program on one CPU (trace/cpu_pin.c): the
 * program sees a single CPU, one that no other run holds, and the tracer's
 * CPUs come back after the run; with every CPU held by other runs the run is
 * not pinned at all. Each test runs in a network namespace of its own, so
 * that the CPU claims (abstract sockets, which live in the network
 * namespace) of suites running beside it cannot change what it sees. */
#include "harness_test.h"
#include "trace/cpu_pin.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void own_network_namespace(void)
{
    if (unshare(CLONE_NEWNET) < 0)
        cr_skip_test("no network namespace of our own here: %s", strerror(errno));
}

/* Holds CPU `cpu` as another run would (asserts it could). */
static int hold_cpu(int cpu)
{
    int fd = cpu_pin_claim(cpu);
    cr_assert(fd >= 0, "hold CPU %d: %s", cpu, strerror(errno));
    return fd;
}

/* Holds every CPU of `mine` below `below`, into `held`; returns how many. */
static int hold_cpus_below(const cpu_set_t *mine, int below, int held[CPU_SETSIZE])
{
    int count = 0;
    for (int cpu = 0; cpu < below; cpu++)
        if (CPU_ISSET(cpu, mine))
            held[count++] = hold_cpu(cpu);
    return count;
}

static void release_cpus(const int *held, int count)
{
    for (int i = 0; i < count; i++)
        close(held[i]);
}

/* The CPUs the program saw, as /proc/self/status lists them ("0", "0-1"). */
#define LIST_SIZE 64

static void cpus_the_program_sees(char list[LIST_SIZE])
{
    char *argv[] = {"grep", "Cpus_allowed_list", "/proc/self/status", NULL};
    struct check_options options;
    check_options_init(&options);
    struct report report;
    run_check(&options, argv, &report);
    char kinds[128];
    cr_assert_eq(kinds_of(&report), NO_KINDS, "found %s",
                 kinds_text(kinds_of(&report), kinds, sizeof(kinds)));
    cr_assert_eq(sscanf(report.out.data, "Cpus_allowed_list: %63s", list), 1, "stdout: %s",
                 report.out.data);
    report_free(&report);
}

static void cpus_of_this_process(char list[LIST_SIZE])
{
    FILE *status = fopen("/proc/self/status", "r");
    cr_assert(status != NULL);
    char line[256];
    list[0] = '\0';
    while (fgets(line, sizeof(line), status) != NULL)
        if (sscanf(line, "Cpus_allowed_list: %63s", list) == 1)
            break;
    fclose(status);
    cr_assert(list[0] != '\0');
}

Test(cpu_pin, the_program_runs_on_one_of_our_cpus_and_ours_come_back)
{
    own_network_namespace();
    cpu_set_t before, after;
    cr_assert_eq(sched_getaffinity(0, sizeof(before), &before), 0);
    char seen[LIST_SIZE];
    cpus_the_program_sees(seen);
    int cpu = -1;
    char rest;
    cr_assert_eq(sscanf(seen, "%d%c", &cpu, &rest), 1, "the program saw CPUs %s, not one", seen);
    cr_assert(CPU_ISSET(cpu, &before), "CPU %d is not one the harness may use", cpu);
    cr_assert_eq(sched_getaffinity(0, sizeof(after), &after), 0);
    cr_assert(CPU_EQUAL(&before, &after), "the harness did not get its CPUs back");
    /* The claim went with the run: the CPU can be held again. */
    close(hold_cpu(cpu));
}

Test(cpu_pin, a_cpu_another_run_holds_is_left_to_it)
{
    own_network_namespace();
    cpu_set_t mine;
    cr_assert_eq(sched_getaffinity(0, sizeof(mine), &mine), 0);
    /* Every CPU held but the last we may use: the run must take that one. */
    int free_cpu = -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, &mine))
            free_cpu = cpu;
    int held[CPU_SETSIZE];
    int held_count = hold_cpus_below(&mine, free_cpu, held);
    char seen[LIST_SIZE], want[LIST_SIZE];
    cpus_the_program_sees(seen);
    snprintf(want, sizeof(want), "%d", free_cpu);
    cr_assert_str_eq(seen, want, "with %d CPUs held", held_count);
    release_cpus(held, held_count);
}

Test(cpu_pin, with_every_cpu_held_the_run_is_not_pinned)
{
    own_network_namespace();
    cpu_set_t mine;
    cr_assert_eq(sched_getaffinity(0, sizeof(mine), &mine), 0);
    int held[CPU_SETSIZE];
    int held_count = hold_cpus_below(&mine, CPU_SETSIZE, held);
    char seen[LIST_SIZE], ours[LIST_SIZE];
    cpus_the_program_sees(seen);
    cpus_of_this_process(ours);
    cr_assert_str_eq(seen, ours, "every CPU held, yet the program was pinned");
    release_cpus(held, held_count);
}
