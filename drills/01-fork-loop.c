/* Drill 01-fork-loop (lesson 01-nested-forks): fork() in a loop. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ); /* each line written at its newline */
    for (int i = 0; i < 3; i++) {
        fork();
        printf("%d\n", i);
    }
    while (wait(NULL) > 0) /* every process waits for its own children */
        continue;
    return 0;
}
