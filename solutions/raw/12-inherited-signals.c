/* Runs a job with a time limit of one second: a job still running then is
 * stopped with SIGTERM. Signals are events of the main loop, read from a
 * signalfd, so the program blocks them; the job, in the child before exec,
 * unblocks them all again, so SIGTERM ends it. The job, `sleep 10`, stands
 * for a command that hangs.
 * Solution to pitfall 12 with raw system calls: see lessons/12-inherited-signals.md. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    alarm(5); /* never wait more than 5 seconds */

    /* Blocked signals are not delivered: they wait, readable on the signalfd. */
    sigset_t events;
    sigemptyset(&events);
    sigaddset(&events, SIGCHLD);
    sigaddset(&events, SIGINT);
    sigaddset(&events, SIGTERM);
    sigprocmask(SIG_BLOCK, &events, NULL);
    int signals = signalfd(-1, &events, SFD_CLOEXEC);
    if (signals < 0) {
        perror("signalfd");
        return 1;
    }

    pid_t job = fork();
    if (job < 0) {
        perror("fork");
        return 1;
    }
    if (job == 0) {
        /* The mask survives exec: give the job the one it expects, empty. */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execlp("sleep", "sleep", "10", (char *)NULL);
        perror("sleep");
        _exit(127);
    }

    struct pollfd ready = {.fd = signals, .events = POLLIN};
    int limit_ms = 1000;
    for (;;) {
        if (poll(&ready, 1, limit_ms) == 0) {
            fprintf(stderr, "job: still running after 1 s, stopping it\n");
            kill(job, SIGTERM);
            limit_ms = -1; /* now wait for it to end */
            continue;
        }
        struct signalfd_siginfo event;
        if (read(signals, &event, sizeof(event)) != sizeof(event))
            continue;
        if (event.ssi_signo == SIGCHLD)
            break;
        kill(job, SIGTERM); /* SIGINT or SIGTERM: we are asked to stop, so is the job */
    }
    close(signals);

    int status;
    waitpid(job, &status, 0);
    if (WIFSIGNALED(status))
        printf("job: killed by SIG%s\n", sigabbrev_np(WTERMSIG(status)));
    else
        printf("job: exited with code %d\n", WEXITSTATUS(status));
    return 1;
}
