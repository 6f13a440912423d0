/* Adds up the numbers 1 to 300 with three worker processes: each adds up a
 * third of the range and prints it on its stdout, a pipe shared by all
 * workers, and the parent adds up the partial sums it reads. The parent waits
 * until it has no child left, so none is left a zombie.
 * Solution to pitfall 03: see lessons/03-zombies.md. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 3
#define LAST    300

int main(void)
{
    int fds[2];
    if (pipe(fds) < 0) {
        perror("pipe");
        return 1;
    }
    pid_t pid;
    for (int i = 0; i < WORKERS; i++) {
        pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            dup2(fds[1], STDOUT_FILENO);
            close(fds[0]);
            close(fds[1]);
            long sum = 0;
            for (long n = i * LAST / WORKERS + 1; n <= (i + 1) * LAST / WORKERS; n++)
                sum += n;
            printf("%ld\n", sum);
            exit(0);
        }
    }
    close(fds[1]);

    FILE *sums = fdopen(fds[0], "r");
    long total = 0, part;
    while (fscanf(sums, "%ld", &part) == 1)
        total += part;
    fclose(sums);

    while (wait(NULL) > 0) /* one wait for each worker, until none is left (ECHILD) */
        ;
    printf("sum of 1..%d = %ld\n", LAST, total);
    return 0;
}
