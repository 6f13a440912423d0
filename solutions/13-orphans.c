/* Runs a list of tests against a server that it starts first and stops at
 * the end, on every path. The server runs in a process group of its own, so
 * one signal reaches every process it started; as a child subreaper, this
 * program gets back the ones orphaned on the way and waits for them too.
 * Solution to pitfall 13: see lessons/13-orphans.md. */
#include <forklab.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* A stand-in for a real server, in Perl: it forks a worker process, says it
 * is ready, and works (sleeps) for 10 seconds; so does the worker. Both end
 * by themselves after that, whatever happens. */
static const char server_script[] = "$| = 1; print qq(ready\\n) if fork; sleep 10";

/* Waits until the child has ended, without reaping it; retries on EINTR. */
static int wait_ended(struct fl_child *child, int timeout_ms)
{
    struct pollfd ended = {.fd = fl_child_pidfd(child), .events = POLLIN};
    int n;
    do
        n = poll(&ended, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    return n;
}

/* Stops the server, then whatever it left in its process group, and waits
 * until every process of the group is gone. */
static void stop_server(struct fl_child **server)
{
    /* SIGTERM, and SIGKILL if it has not ended a second later. Its pidfd
     * says when it has ended; nobody has reaped it yet. */
    fl_child_kill(*server, SIGTERM);
    if (wait_ended(*server, 1000) == 0) {
        fl_child_kill(*server, SIGKILL);
        wait_ended(*server, -1);
    }
    /* Ended but not reaped, the server still holds its pid, which is the
     * group's id: this kill reaches the rest of its group, its worker, and
     * can reach no one else. */
    kill(-fl_child_pid(*server), SIGTERM);
    fl_child_free(server); /* reaps the server */
    /* The worker, orphaned, became our child (we are a child subreaper). */
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
    struct fl_command *cmd = fl_command_new("perl");
    if (cmd == NULL) {
        perror("perl");
        return 1;
    }
    fl_command_arg(cmd, "-e");
    fl_command_arg(cmd, server_script);
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    fl_command_process_group(cmd, 0); /* a new group, led by the server */
    struct fl_child *server = NULL;
    if (fl_command_spawn(cmd, &server) < 0) {
        fprintf(stderr, "%s\n", fl_command_strerror(cmd));
        fl_command_free(&cmd);
        return 1;
    }
    fl_command_free(&cmd);

    char ready[16];
    ssize_t n;
    do
        n = read(fl_child_fd(server, FL_STDOUT), ready, sizeof(ready));
    while (n < 0 && errno == EINTR);
    fl_child_close_fd(server, FL_STDOUT);
    if (n <= 0) {
        fprintf(stderr, "the server did not start\n");
        stop_server(&server);
        return 1;
    }
    printf("server: started\n");

    int status = 0;
    FILE *tests = fopen(argv[1], "r");
    if (tests == NULL) {
        perror(argv[1]);
        status = 1;
    } else {
        char test[256];
        while (fgets(test, sizeof(test), tests) != NULL)
            printf("test %s", test);
        fclose(tests);
    }

    stop_server(&server);
    printf("server: stopped\n");
    return status;
}
