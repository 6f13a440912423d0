/* Drill 05-lowest-free (lesson 05-bad-close): which number a new descriptor gets. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int a = open("/dev/null", O_RDONLY);
    int b = open("/dev/null", O_RDONLY);
    close(a);
    int c = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int d = dup(b);
    pid_t child = fork();
    if (child == 0) {
        execlp("true", "true", (char *)NULL);
        _exit(127);
    }
    waitpid(child, NULL, 0);
    close(b);
    close(c);
    close(d);
    return 0;
}
