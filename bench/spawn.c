/* spawn.c: how fast the wrapper starts a process, next to posix_spawn and
 * fork+exec, from a small parent and from one with 2 GiB of touched heap (where
 * fork must copy the page tables); and how fast output() collects 1 GiB.
 *
 * Not quite the same work. Per spawn the wrapper also creates an error pipe
 * and reads its EOF (how exec failure comes back), gets a pidfd (CLONE_PIDFD)
 * and closes it after reaping, and marks inherited descriptors close-on-exec
 * in the child (close_range): 6 system calls that glibc's posix_spawn with no
 * attributes does not make (it reports exec failure through the shared
 * memory and leaves descriptors alone). But to reset signal handlers its child
 * makes two rt_sigaction calls per signal where ours makes one, so in all
 * (strace -f -c, /bin/true) the wrapper makes about 105 system calls per
 * spawn and posix_spawn about 160.
 * output() does more than the pipeline too: it keeps the 1 GiB, in fresh
 * memory the kernel must zero, where `cat >/dev/null` reuses one small buffer.
 * On a virtual machine whose host takes freed guest memory back (free page
 * reporting, e.g. Firecracker), fresh memory also costs host faults on first
 * touch: an output() run that directly follows another one reuses its pages
 * and is much faster than one that follows a pipeline run. Both kinds occur
 * here; the per-run figures show the spread. */
#include "forklab.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SPAWN_RUNS  101 /* odd, so the median is one measurement */
#define OUTPUT_RUNS 5
#define BIG_HEAP    ((size_t)2 << 30)

extern char **environ;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value at fraction q (0.5: the median) of the sorted values; sorts them. */
static double quantile(double *values, int n, double q)
{
    qsort(values, (size_t)n, sizeof *values, compare_doubles);
    return values[(int)(q * (n - 1) + 0.5)];
}

static double median(double *values, int n)
{
    return quantile(values, n, 0.5);
}

static void must(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "bench: %s failed\n", what);
        exit(1);
    }
}

static double time_wrapper(struct fl_command *cmd)
{
    struct fl_status status;
    double start = now_seconds();
    must(fl_command_status(cmd, &status) == 0 && fl_status_success(status), "wrapper");
    return now_seconds() - start;
}

static double time_posix_spawn(char *const argv[])
{
    pid_t pid;
    int status;
    double start = now_seconds();
    must(posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) == 0, "posix_spawn");
    must(waitpid(pid, &status, 0) == pid && status == 0, "waitpid");
    return now_seconds() - start;
}

static double time_fork_exec(char *const argv[])
{
    int status;
    double start = now_seconds();
    pid_t pid = fork();
    if (pid == 0) {
        execve(argv[0], argv, environ);
        _exit(127);
    }
    must(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0, "fork+exec");
    return now_seconds() - start;
}

/* What one table row shows: per way, the median and the interquartile range
 * in microseconds; and the median of the per-round ratios wrapper/posix_spawn,
 * which a slow drift of the machine's load affects less than a ratio of
 * medians does. */
struct spawn_times {
    double median[3], q1[3], q3[3];
    double paired_ratio;
};

/* The three ways are run in turn so that a burst of load on the machine hits
 * all three alike. The order rotates every round: in a fixed order one way
 * would always run right after the same other way and pay for what that
 * one's child left behind (the kernel frees some of an exited process's
 * memory after it has been reaped). */
static void time_spawns(struct spawn_times *result)
{
    static double samples[3][SPAWN_RUNS], ratios[SPAWN_RUNS];
    char *argv[] = {"/bin/true", NULL};
    struct fl_command *cmd = fl_command_new("/bin/true");
    must(cmd != NULL, "fl_command_new");
    for (int i = 0; i < SPAWN_RUNS; i++) {
        for (int turn = 0; turn < 3; turn++) {
            int way = (i + turn) % 3;
            samples[way][i] = way == 0   ? time_wrapper(cmd)
                              : way == 1 ? time_posix_spawn(argv)
                                         : time_fork_exec(argv);
        }
        ratios[i] = samples[0][i] / samples[1][i];
    }
    fl_command_free(&cmd);
    for (int way = 0; way < 3; way++) {
        result->median[way] = median(samples[way], SPAWN_RUNS) * 1e6;
        result->q1[way] = quantile(samples[way], SPAWN_RUNS, 0.25) * 1e6;
        result->q3[way] = quantile(samples[way], SPAWN_RUNS, 0.75) * 1e6;
    }
    result->paired_ratio = median(ratios, SPAWN_RUNS);
}

static double time_output(void)
{
    struct fl_command *cmd = fl_command_new("head");
    const char *args[] = {"-c", "1G", "/dev/zero", NULL};
    fl_command_args(cmd, args);
    struct fl_output out;
    double start = now_seconds();
    must(fl_command_output(cmd, &out) == 0 && out.out_len == (size_t)1 << 30, "output()");
    double elapsed = now_seconds() - start;
    fl_output_free(&out);
    fl_command_free(&cmd);
    return elapsed;
}

static double time_shell_pipeline(void)
{
    char *argv[] = {"/bin/sh", "-c", "head -c 1G /dev/zero | cat >/dev/null", NULL};
    return time_posix_spawn(argv);
}

static void print_spawn_row(const char *heap, const struct spawn_times *t)
{
    const double *m = t->median;
    printf("%-12s %12.1f %12.1f %12.1f %14.2fx %14.2fx %9.2fx\n", heap, m[0], m[1], m[2],
           m[0] / m[1], m[2] / m[1], t->paired_ratio);
    printf("%-12s %5.0f-%-6.0f %5.0f-%-6.0f %5.0f-%-6.0f\n", "  (IQR)", t->q1[0], t->q3[0],
           t->q1[1], t->q3[1], t->q1[2], t->q3[2]);
}

static void print_runs(const char *what, const double *runs, int n)
{
    printf("  %-10s", what);
    for (int i = 0; i < n; i++)
        printf(" %7.3f", runs[i]);
    printf("\n");
}

int main(void)
{
    struct spawn_times small, big;
    time_spawns(&small);

    double output_runs[OUTPUT_RUNS], shell_runs[OUTPUT_RUNS], ratios[OUTPUT_RUNS];
    /* Alternating which goes first, for the same reason as above. */
    for (int i = 0; i < OUTPUT_RUNS; i++) {
        if (i % 2 == 0) {
            output_runs[i] = time_output();
            shell_runs[i] = time_shell_pipeline();
        } else {
            shell_runs[i] = time_shell_pipeline();
            output_runs[i] = time_output();
        }
        ratios[i] = output_runs[i] / shell_runs[i];
    }

    /* Touched, so that every page is mapped and fork has tables to copy. */
    char *heap = malloc(BIG_HEAP);
    must(heap != NULL, "malloc 2 GiB");
    memset(heap, 1, BIG_HEAP);
    time_spawns(&big);

    printf("spawn + wait of /bin/true, median of %d runs each, in microseconds\n", SPAWN_RUNS);
    printf("%-12s %12s %12s %12s %15s %15s %10s\n", "parent heap", "wrapper", "posix_spawn",
           "fork+exec", "wrapper/spawn", "fork/spawn", "paired");
    print_spawn_row("0 MiB", &small);
    print_spawn_row("2 GiB", &big);
    printf("(paired: median of the per-round ratios wrapper/posix_spawn)\n");

    printf("\n1 GiB through a pipe, %d runs each in turn, in seconds\n", OUTPUT_RUNS);
    print_runs("output()", output_runs, OUTPUT_RUNS);
    print_runs("pipeline", shell_runs, OUTPUT_RUNS);
    double output_median = median(output_runs, OUTPUT_RUNS);
    double shell_median = median(shell_runs, OUTPUT_RUNS);
    double ratio_median = median(ratios, OUTPUT_RUNS);
    printf("%-44s %8.3f\n", "fl_command_output(head -c 1G /dev/zero)", output_median);
    printf("%-44s %8.3f\n", "head -c 1G /dev/zero | cat >/dev/null", shell_median);
    printf("%-44s %7.2fx (paired: %.2fx)\n", "ratio of the medians", output_median / shell_median,
           ratio_median);
    printf("targets: wrapper/spawn <= 1.05x at both sizes; output ratio <= 1.5x\n");
    free(heap);
    fflush(stdout); /* the table first, then any miss on stderr */

    int status = 0;
    if (small.median[0] / small.median[1] > 1.05 || big.median[0] / big.median[1] > 1.05) {
        fprintf(stderr, "10-wrapper: spawn ratio above the target of 1.05x\n");
        status = 1;
    }
    if (output_median / shell_median > 1.5) {
        fprintf(stderr, "10-wrapper: output ratio above the target of 1.5x\n");
        status = 1;
    }
    return status;
}
