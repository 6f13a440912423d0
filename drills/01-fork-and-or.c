/* Drill 01-fork-and-or (lesson 01-nested-forks): fork() in a condition. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ); /* each line written at its newline */
    if ((fork() && fork()) || fork())
        printf("left\n");
    else
        printf("right\n");
    while (wait(NULL) > 0) /* every process waits for its own children */
        continue;
    return 0;
}
