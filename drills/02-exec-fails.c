/* Drill 02-exec-fails (lesson 02-runaway-children): an exec that fails. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ); /* each line written at its newline */
    for (int i = 0; i < 2; i++) {
        pid_t child = fork();
        if (child == 0)
            execlp("no-such-program", "no-such-program", (char *)NULL);
        else
            waitpid(child, NULL, 0);
        printf("step %d\n", i);
    }
    return 0;
}
