/* Runs a list of tests against a server that it starts first and stops at
 * the end. The list is a file, given as the only argument.
 * Pitfall 13 (broken on purpose): see lessons/13-orphans.md. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* A stand-in for a real server, in Perl: it forks a worker process, says it
 * is ready, and works (sleeps) for 10 seconds; so does the worker. Both end
 * by themselves after that, whatever happens. */
static const char server_script[] = "$| = 1; print qq(ready\\n) if fork; sleep 10";

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s TESTS\n", argv[0]);
        return 2;
    }
    int fds[2];
    if (pipe(fds) < 0) {
        perror("pipe");
        return 1;
    }
    pid_t server = fork();
    if (server < 0) {
        perror("fork");
        return 1;
    }
    if (server == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execlp("perl", "perl", "-e", server_script, (char *)NULL);
        perror("perl");
        _exit(127);
    }
    close(fds[1]);
    char ready[16];
    ssize_t n = read(fds[0], ready, sizeof(ready)); /* wait until the server is up */
    close(fds[0]);
    if (n <= 0) {
        fprintf(stderr, "the server did not start\n");
        return 1;
    }
    printf("server: started\n");

    FILE *tests = fopen(argv[1], "r");
    if (tests == NULL) {
        perror(argv[1]);
        return 1;
    }
    char test[256];
    while (fgets(test, sizeof(test), tests) != NULL)
        printf("test %s", test);
    fclose(tests);

    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    printf("server: stopped\n");
    return 0;
}
