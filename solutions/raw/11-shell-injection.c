/* Shows the first three lines of each file named on the command line, under
 * a title line per file, with `head -n 3`. No shell: fork, then exec with
 * one argument per word, so each name reaches head as one argument, whatever
 * characters it contains.
 * Solution to pitfall 11 with raw system calls: see lessons/11-shell-injection.md. */
#include <stdbool.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs `head -n 3 -- name` and waits for it; true when it succeeded. The
 * "--" makes a name that starts with '-' a name, not an option. */
static bool head3(const char *name)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return false;
    }
    if (pid == 0) {
        execlp("head", "head", "-n", "3", "--", name, (char *)NULL);
        perror("head");
        _exit(127);
    }
    int status;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        printf("== %s\n", argv[i]);
        fflush(stdout); /* before head writes to the same stdout */
        if (!head3(argv[i]))
            status = 1;
    }
    return status;
}
