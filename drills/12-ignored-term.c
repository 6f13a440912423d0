/* Drill 12-ignored-term (lesson 12-inherited-signals): SIGTERM ignored, then exec. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    signal(SIGTERM, SIG_IGN);
    pid_t child = fork();
    if (child == 0) {
        execlp("sh", "sh", "-c", "kill -TERM $$; echo survived", (char *)NULL);
        _exit(127);
    }
    waitpid(child, NULL, 0);
    return 0;
}
