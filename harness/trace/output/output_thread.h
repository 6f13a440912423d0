/* Reads the target's stdout and stderr on a thread of its own, so that the
 * tracer's thread can sleep in waitpid and wake only for ptrace stops. */
#ifndef FORKLAB_OUTPUT_THREAD_H
#define FORKLAB_OUTPUT_THREAD_H

#include "trace/output/output_capture.h"

#include <pthread.h>
#include <stdbool.h>

struct output_thread {
    struct output_capture *out, *err;
    int stop_fd; /* an eventfd: written once to ask the thread to finish */
    pthread_t thread;
    bool running;
};

/* Starts reading `out` and `err` until both reach end of file or
 * output_thread_finish is called. The thread blocks every signal. Returns 0
 * or a negative errno (then nothing runs and the captures are untouched). */
int output_thread_start(struct output_thread *reader, struct output_capture *out,
                        struct output_capture *err);

/* Reads what is left without waiting for writers that may still exist,
 * stops the thread and closes both captures. Safe to call after a failed
 * start. */
void output_thread_finish(struct output_thread *reader);

#endif
