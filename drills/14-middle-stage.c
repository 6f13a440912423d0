/* Drill 14-middle-stage (lesson 14-shell): the middle stage of a pipeline
 * whose two pipes were made first. (It runs true, which exits at once: a
 * real middle stage would wait for an end of file that never comes.) */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int in[2], out[2];
    if (pipe(in) < 0 || pipe(out) < 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        close(in[0]);
        close(out[1]);
        execlp("true", "true", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    waitpid(child, NULL, 0);
    close(in[1]);
    close(out[0]);
    return 0;
}
