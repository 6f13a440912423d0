/* Runs a job with a time limit of one second: a job still running then is
 * stopped with SIGTERM. The program blocks SIGINT and SIGTERM to read them
 * from a signalfd, but the wrapper starts the job with no signal blocked and
 * none ignored, so SIGTERM ends it. The job, `sleep 10`, stands for a
 * command that hangs.
 * Solution to pitfall 12: see lessons/12-inherited-signals.md. */
#include <forklab.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <unistd.h>

int main(void)
{
    /* Blocked signals are not delivered: they wait, readable on the signalfd. */
    sigset_t events;
    sigemptyset(&events);
    sigaddset(&events, SIGINT);
    sigaddset(&events, SIGTERM);
    sigprocmask(SIG_BLOCK, &events, NULL);
    int signals = signalfd(-1, &events, SFD_CLOEXEC);
    if (signals < 0) {
        perror("signalfd");
        return 1;
    }

    struct fl_command *cmd = fl_command_new("sleep");
    if (cmd == NULL) {
        perror("sleep");
        close(signals);
        return 1;
    }
    fl_command_arg(cmd, "10"); /* starts with an empty mask: the wrapper's default */
    struct fl_child *job = NULL;
    if (fl_command_spawn(cmd, &job) < 0) {
        fprintf(stderr, "%s\n", fl_command_strerror(cmd));
        fl_command_free(&cmd);
        close(signals);
        return 1;
    }
    fl_command_free(&cmd);

    /* The job's pidfd becomes readable when it ends: no SIGCHLD needed. */
    struct pollfd ready[2] = {{.fd = fl_child_pidfd(job), .events = POLLIN},
                              {.fd = signals, .events = POLLIN}};
    int n;
    do
        n = poll(ready, 2, 1000);
    while (n < 0 && errno == EINTR);
    if (n == 0)
        fprintf(stderr, "job: still running after 1 s, stopping it\n");

    /* SIGTERM; SIGKILL if it is still running one second later; reaped. */
    struct fl_status status;
    int code = 1;
    if (fl_child_stop(job, 1000, &status) == 0) {
        char text[64];
        printf("job: %s\n", fl_status_text(status, text, sizeof(text)));
        code = fl_status_success(status) ? 0 : 1;
    }
    fl_child_free(&job);
    close(signals);
    return code;
}
