/* The one clock of the harness: CLOCK_MONOTONIC, which the wall clock's
 * jumps never move, for deadlines and durations. */
#ifndef FORKLAB_CLOCK_H
#define FORKLAB_CLOCK_H

/* Milliseconds and microseconds since an arbitrary fixed point. */
long clock_now_ms(void);
long clock_now_us(void);

#endif
