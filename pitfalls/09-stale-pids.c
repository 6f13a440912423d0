/* Sorts a file with `sort` in the background and waits until sort is done
 * the way a shell script does with `kill -0 $pid`: by asking, every 100 ms,
 * whether the process still exists.
 * Pitfall 09 (broken on purpose): see lessons/09-stale-pids.md. */
#include <signal.h>
#include <stdio.h>
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

    /* kill() with signal 0 sends nothing: it only says whether pid exists.
     * Meanwhile the program could do other work. */
    while (kill(worker, 0) == 0)
        usleep(100 * 1000);
    printf("sort: done\n");
    return 0;
}
