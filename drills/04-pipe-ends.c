/* Drill 04-pipe-ends (lesson 04-leaked-fds): a child that writes into a pipe. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    if (pipe(p) < 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        dup2(p[1], STDOUT_FILENO);
        close(p[1]);
        execlp("true", "true", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    waitpid(child, NULL, 0);
    close(p[0]);
    return 0;
}
