/* Drill 09-kill-zero (lesson 09-stale-pids): is an ended child still there? */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ); /* each line written at its newline */
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    siginfo_t info;
    waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT); /* it has ended; not reaped yet */
    if (kill(child, 0) == 0)
        printf("still there after it ended\n");
    waitpid(child, NULL, 0);
    if (kill(child, 0) == 0)
        printf("still there after wait\n");
    return 0;
}
