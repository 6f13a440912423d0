/* Adds up the numbers 1 to 300 with three worker processes: each adds up a
 * third of the range. Each worker is this program started again with its
 * range as arguments; the parent keeps every child handle and collects each
 * worker's output and exit status in turn, so none is left a zombie.
 * Solution to pitfall 03: see lessons/03-zombies.md. */
#include <forklab.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORKERS 3
#define LAST    300

/* The worker: `03-zombies --worker FROM TO` prints the sum of FROM..TO. */
static int add_range(char **argv)
{
    long sum = 0;
    for (long n = atol(argv[2]); n <= atol(argv[3]); n++)
        sum += n;
    printf("%ld\n", sum);
    return 0;
}

/* Starts `self --worker FROM TO` with its stdout on a pipe of its own. */
static int spawn_worker(const char *self, int worker, struct fl_child **child)
{
    char from[24], to[24];
    snprintf(from, sizeof(from), "%d", worker * LAST / WORKERS + 1);
    snprintf(to, sizeof(to), "%d", (worker + 1) * LAST / WORKERS);
    const char *args[] = {"--worker", from, to, NULL};

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
    if (argc == 4 && strcmp(argv[1], "--worker") == 0)
        return add_range(argv);

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

    long total = 0;
    for (int i = 0; i < WORKERS; i++) {
        struct fl_output output;
        /* Reads the worker's pipe to EOF, then reaps the worker. */
        if (workers[i] != NULL && fl_child_wait_with_output(workers[i], &output) == 0) {
            total += atol(output.out);
            if (!fl_status_success(output.status))
                status = 1;
            fl_output_free(&output);
        }
        fl_child_free(&workers[i]); /* never leaves a zombie, even on an error path */
    }
    printf("sum of 1..%d = %ld\n", LAST, total);
    return status;
}
