/* Sorts a file with `sort` in the background and waits until sort is done,
 * looking every 100 ms. waitpid() with WNOHANG asks about this child, whose
 * pid cannot go to another process until waitpid() has reaped it.
 * Solution to pitfall 09 with raw system calls: see lessons/09-stale-pids.md. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    alarm(5); /* never wait more than 5 seconds */

    pid_t worker = fork();
    if (worker < 0) {
        perror("fork");
        return 1;
    }
    if (worker == 0) {
        execlp("sort", "sort", "pitfalls/data/fruit.txt", (char *)NULL);
        perror("sort");
        _exit(127);
    }

    /* WNOHANG: 0 while sort runs; its pid once it has ended and is reaped.
     * Meanwhile the program could do other work. */
    int status;
    pid_t ended;
    while ((ended = waitpid(worker, &status, WNOHANG)) == 0)
        usleep(100 * 1000);
    if (ended < 0) {
        perror("waitpid");
        return 1;
    }
    if (!WIFEXITED(status)) {
        printf("sort: killed by signal %d\n", WTERMSIG(status));
        return 1;
    }
    printf("sort: exited with code %d\n", WEXITSTATUS(status));
    return WEXITSTATUS(status) == 0 ? 0 : 1;
}
