/* Counts the primes below 30000 with three worker processes, one per range.
 * Each worker is this same program started again with its range as
 * arguments (a spawn, not a bare fork), so no worker can wander into the
 * parent's loop; the parent prints their answers in order.
 * Solution to pitfall 01: see lessons/01-nested-forks.md. */
#include <forklab.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORKERS 3
#define LIMIT   30000

static bool is_prime(long n)
{
    if (n < 2)
        return false;
    for (long d = 2; d * d <= n; d++)
        if (n % d == 0)
            return false;
    return true;
}

/* The worker: `01-nested-forks --worker N FROM TO`. */
static int count_primes(char **argv)
{
    long from = atol(argv[3]), to = atol(argv[4]), count = 0;
    for (long n = from; n < to; n++)
        count += is_prime(n);
    printf("worker %s: %ld primes in [%ld, %ld)\n", argv[2], count, from, to);
    return 0;
}

/* Starts `self --worker N FROM TO` with its stdout on a pipe. */
static int spawn_worker(const char *self, int worker, struct fl_child **child)
{
    char number[16], from[24], to[24];
    snprintf(number, sizeof(number), "%d", worker);
    snprintf(from, sizeof(from), "%ld", (long)worker * LIMIT / WORKERS);
    snprintf(to, sizeof(to), "%ld", (long)(worker + 1) * LIMIT / WORKERS);
    const char *args[] = {"--worker", number, from, to, NULL};

    struct fl_command *cmd = fl_command_new(self);
    if (cmd == NULL)
        return -1;
    fl_command_args(cmd, args);
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    int error = fl_command_spawn(cmd, child);
    if (error < 0)
        fprintf(stderr, "worker %d: %s\n", worker, fl_command_strerror(cmd));
    fl_command_free(&cmd);
    return error;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--worker") == 0)
        return count_primes(argv);

    /* The path of our own executable: argv[0] may be a bare name found in
     * PATH, /proc/self/exe names the file itself. */
    char self[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (length < 0) {
        perror("/proc/self/exe");
        return 1;
    }
    self[length] = '\0';

    struct fl_child *workers[WORKERS] = {NULL};
    int status = 0;
    for (int i = 0; i < WORKERS; i++)
        if (spawn_worker(self, i, &workers[i]) < 0)
            status = 1;
    for (int i = 0; i < WORKERS; i++) {
        struct fl_output output;
        if (workers[i] != NULL && fl_child_wait_with_output(workers[i], &output) == 0) {
            fputs(output.out, stdout);
            if (!fl_status_success(output.status))
                status = 1;
            fl_output_free(&output);
        }
        fl_child_free(&workers[i]);
    }
    printf("all workers done\n");
    return status;
}
