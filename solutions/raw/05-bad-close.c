/* Sorts each word list named on the command line with sort(1), as the shell
 * does for `sort < FILE`, and skips a list it cannot open. sort_from() owns
 * the descriptor it is given and closes it once; a list that could not be
 * opened has no descriptor to close.
 * Solution to pitfall 05 with raw system calls: see lessons/05-bad-close.md. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs sort with `input` as its standard input, and closes `input`. */
static void sort_from(int input)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        close(input);
        return;
    }
    if (pid == 0) {
        dup2(input, STDIN_FILENO);
        close(input);
        execlp("sort", "sort", (char *)NULL);
        perror("sort");
        _exit(127);
    }
    close(input);
    waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            perror(argv[i]);
            status = 1;
        } else {
            sort_from(fd); /* the owner of fd from here on */
        }
    }
    return status;
}
