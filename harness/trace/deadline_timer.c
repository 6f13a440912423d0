/* The tracer's deadline. A real-time signal, not SIGALRM: callers (tests
 * among them) keep alarm() for their own watchdogs. */
#include "trace/deadline_timer.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Between the deadline and its handling, the signal repeats this often. */
#define REPEAT_MS 10

static int deadline_signal(void)
{
    return SIGRTMIN;
}

/* Nothing to do: arriving is the point, since it makes waitpid return
 * EINTR (the handler is installed without SA_RESTART). */
static void on_deadline_signal(int signo)
{
    (void)signo;
}

int deadline_timer_start(struct deadline_timer *deadline)
{
    memset(deadline, 0, sizeof(*deadline));
    struct sigevent event = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = deadline_signal()};
    event._sigev_un._tid = gettid(); /* glibc 2.36 spells sigev_notify_thread_id so */
    if (timer_create(CLOCK_MONOTONIC, &event, &deadline->timer) < 0)
        return -errno;
    deadline->created = true;

    struct sigaction action = {.sa_handler = on_deadline_signal};
    sigemptyset(&action.sa_mask);
    sigaction(deadline_signal(), &action, &deadline->old_action);
    sigset_t just_it;
    sigemptyset(&just_it);
    sigaddset(&just_it, deadline_signal());
    pthread_sigmask(SIG_UNBLOCK, &just_it, &deadline->old_mask);
    return 0;
}

void deadline_timer_arm(struct deadline_timer *deadline, long when_ms)
{
    struct itimerspec at = {
        .it_value = {.tv_sec = when_ms / 1000, .tv_nsec = (when_ms % 1000) * 1000000},
        .it_interval = {.tv_sec = 0, .tv_nsec = REPEAT_MS * 1000000L},
    };
    if (deadline->created)
        timer_settime(deadline->timer, TIMER_ABSTIME, &at, NULL);
}

void deadline_timer_stop(struct deadline_timer *deadline)
{
    if (!deadline->created)
        return;
    timer_delete(deadline->timer);
    deadline->created = false;
    /* A signal already queued is taken by the handler before it goes. */
    pthread_sigmask(SIG_SETMASK, &deadline->old_mask, NULL);
    sigaction(deadline_signal(), &deadline->old_action, NULL);
}
