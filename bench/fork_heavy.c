/* Benchmark load for the harness: 300 times (or argv[1] times), a pipe, a
 * fork, an exec of echo writing into the pipe, a read to end of file, a
 * wait. Written the way the lessons teach it (pipe, dup2, close both ends),
 * so the tracer sees the usual closes, execs and exits of such a program. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_ROUNDS 300

static int one_round(void)
{
    int ends[2];
    if (pipe(ends) < 0)
        return -1;
    pid_t child = fork();
    if (child < 0)
        return -1;
    if (child == 0) {
        dup2(ends[1], 1);
        close(ends[0]);
        close(ends[1]);
        execlp("echo", "echo", "hello", (char *)NULL);
        _exit(127);
    }
    close(ends[1]);
    char buffer[64];
    ssize_t got;
    size_t total = 0;
    while ((got = read(ends[0], buffer, sizeof(buffer))) > 0)
        total += (size_t)got;
    close(ends[0]);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return total == 6 ? 0 : -1; /* "hello\n" */
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : DEFAULT_ROUNDS;
    for (int i = 0; i < rounds; i++) {
        if (one_round() < 0) {
            fprintf(stderr, "fork_heavy: round %d failed\n", i);
            return 1;
        }
    }
    return 0;
}
