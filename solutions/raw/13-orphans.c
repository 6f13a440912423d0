/* Runs a list of tests against a server that it starts first and stops at
 * the end, on every path. The server leads a process group of its own, so one
 * kill() reaches every process it started; as a child subreaper, this program
 * gets back the ones orphaned on the way, and waits for them too.
 * Solution to pitfall 13 with raw system calls: see lessons/13-orphans.md. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* A stand-in for a real server, in Perl: it forks a worker process, says it
 * is ready, and works (sleeps) for 10 seconds; so does the worker. Both end
 * by themselves after that, whatever happens. */
static const char server_script[] = "$| = 1; print qq(ready\\n) if fork; sleep 10";

/* Stops the server, then whatever it left in its process group, and waits
 * until every process of the group is gone. */
static void stop_server(pid_t server)
{
    kill(server, SIGTERM);
    /* WNOWAIT: wait until the server has ended, but leave it unreaped, so
     * that its pid, the group's id, cannot go to another process yet. */
    siginfo_t ended;
    while (waitid(P_PID, (id_t)server, &ended, WEXITED | WNOWAIT) < 0 && errno == EINTR)
        continue;
    kill(-server, SIGTERM); /* the rest of its group: its worker */
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
        continue;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s TESTS\n", argv[0]);
        return 2;
    }
    /* Orphans of our children come back to us, not to init. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
        perror("prctl");
        return 1;
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
        setpgid(0, 0); /* a new group, led by the server */
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execlp("perl", "perl", "-e", server_script, (char *)NULL);
        perror("perl");
        _exit(127);
    }
    setpgid(server, server); /* here too, so no kill() can come before the group exists */
    close(fds[1]);
    char ready[16];
    ssize_t n = read(fds[0], ready, sizeof(ready)); /* wait until the server is up */
    close(fds[0]);
    if (n <= 0) {
        fprintf(stderr, "the server did not start\n");
        stop_server(server);
        return 1;
    }
    printf("server: started\n");

    int status = 0;
    FILE *tests = fopen(argv[1], "r");
    if (tests == NULL) {
        perror(argv[1]);
        status = 1; /* and on to stop the server */
    } else {
        char test[256];
        while (fgets(test, sizeof(test), tests) != NULL)
            printf("test %s", test);
        fclose(tests);
    }

    stop_server(server);
    printf("server: stopped\n");
    return status;
}
