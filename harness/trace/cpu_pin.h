/* One CPU for a run: the tracer's thread and every process it traces share
 * it, for the run's length (trace/cpu_pin.c says why). */
#ifndef FORKLAB_TRACE_CPU_PIN_H
#define FORKLAB_TRACE_CPU_PIN_H

#include <sched.h>

struct cpu_pin {
    cpu_set_t saved; /* the thread's CPUs before, given back at the end */
    int claim_fd;    /* holds the CPU against other runs; -1: not pinned */
};

/* Claims CPU `cpu` against every other run: an abstract socket named
 * "forklab/cpu/N", which the kernel frees when it is closed or its holder
 * dies. Returns the socket, or -1: another run holds the CPU (or sockets
 * are refused). */
int cpu_pin_claim(int cpu);

/* Pins the calling thread, and so every process it forks from now on, to a
 * CPU no other run holds, starting with the one it runs on. With every CPU
 * held by other runs (more runs than CPUs), or where the kernel refuses,
 * nothing changes: pinning only makes the run faster, so it never fails. */
void cpu_pin_start(struct cpu_pin *pin);

/* Gives the thread its CPUs back and releases the claim. */
void cpu_pin_end(struct cpu_pin *pin);

#endif
