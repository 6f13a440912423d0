/* Runs the steps of a small release script one after the other, then says
 * how many of them succeeded. One step has a typo in its program's name: the
 * child whose exec failed ends there, with _exit(127).
 * Solution to pitfall 02 with raw system calls: see lessons/02-runaway-children.md. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const steps[][3] = {
    {"echo", "compiling", NULL},
    {"mkae", "test", NULL},
    {"echo", "packaging", NULL},
};
#define STEPS (sizeof(steps) / sizeof(steps[0]))

int main(void)
{
    int succeeded = 0;
    printf("release: %zu steps\n", STEPS);
    for (size_t i = 0; i < STEPS; i++) {
        fflush(stdout); /* the child must not inherit a copy of unwritten output */
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            execvp(steps[i][0], steps[i]);
            fprintf(stderr, "cannot run %s\n", steps[i][0]);
            _exit(127); /* never back into the parent's loop, never flush its buffers */
        } else {
            int status;
            if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
                succeeded++;
        }
    }
    printf("%d of %zu steps succeeded\n", succeeded, STEPS);
    return succeeded == (int)STEPS ? 0 : 1;
}
