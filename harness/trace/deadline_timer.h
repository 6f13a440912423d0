/* Wakes the tracer's thread out of a blocking waitpid at a deadline: a POSIX
 * timer aimed at that one thread, with a signal whose handler does nothing
 * but interrupt the call. */
#ifndef FORKLAB_DEADLINE_TIMER_H
#define FORKLAB_DEADLINE_TIMER_H

#include <signal.h>
#include <stdbool.h>
#include <time.h>

struct deadline_timer {
    timer_t timer;
    bool created;
    struct sigaction old_action;
    sigset_t old_mask;
};

/* Creates the timer for the calling thread, which must be the one that
 * waits. Installs the handler (the caller's is restored by _stop) and
 * unblocks the signal in this thread. Returns 0 or a negative errno. */
int deadline_timer_start(struct deadline_timer *deadline);

/* From `when_ms` (CLOCK_MONOTONIC) on, interrupts the thread, and again
 * every few milliseconds until re-armed or stopped: a signal that lands
 * just before the thread enters waitpid is followed by another one. */
void deadline_timer_arm(struct deadline_timer *deadline, long when_ms);

/* Deletes the timer and restores the signal's handler and mask. */
void deadline_timer_stop(struct deadline_timer *deadline);

#endif
