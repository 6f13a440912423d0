/* Finds out which operating system it runs on, as a configure script does
 * with os=$(uname -s): runs uname and reads its output through a pipe. The
 * pipe is close-on-exec, and the parent closes its write end, so uname holds
 * the only one: when uname exits, the parent reads EOF.
 * Solution to pitfall 04 with raw system calls: see lessons/04-leaked-fds.md. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    alarm(5); /* never wait more than 5 seconds for uname */

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) { /* neither end survives an exec */
        perror("pipe2");
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        execlp("uname", "uname", "-s", (char *)NULL);
        perror("uname");
        _exit(127);
    }
    close(fds[1]); /* we only read: uname now holds the one write end */

    char os[64];
    size_t length = 0;
    ssize_t n;
    while ((n = read(fds[0], os + length, sizeof(os) - 1 - length)) > 0)
        length += (size_t)n;
    os[length] = '\0';
    waitpid(pid, NULL, 0);
    printf("operating system: %s", os);
    return 0;
}
