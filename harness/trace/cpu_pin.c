/* One CPU for a run. A ptrace stop is a round trip: the tracee stops and
 * wakes the tracer, the tracer reads what it needs and wakes the tracee.
 * When the two sit on different CPUs each wake-up crosses CPUs, and on a
 * virtual machine that means waking a halted virtual CPU through the host:
 * here PTRACE_CONT alone took 11 us across CPUs and 3.5 us on one, and
 * `forklab check` of bench/fork_heavy.c (12,000 stops) took 950 ms unpinned
 * and 410 ms pinned, where strace, unpinned, takes 530 ms. rr binds what it
 * records to one CPU for the same reason.
 *
 * The cost to the program: its processes share one CPU, so two of them never
 * compute at the same instant. The kit's programs wait far more than they
 * compute, and every run is checked under steered schedules anyway: no
 * verdict may depend on how the scheduler interleaves them.
 *
 * Runs at the same time (grade-all --jobs N, parallel test suites) must not
 * stack on one CPU while another idles, so each run claims its CPU by
 * binding an abstract socket named after it: the kernel refuses a second
 * binding of the name, and frees it when the run closes it or dies, so no
 * claim outlives its run and there is no file to clean up. The output
 * thread is started before the pin and keeps every CPU: it drains a flood
 * while the program runs. */
#include "trace/cpu_pin.h"

#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int cpu_pin_claim(int cpu)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    /* sun_path[0] stays '\0': the abstract namespace, no file. */
    int length =
        snprintf(address.sun_path + 1, sizeof(address.sun_path) - 1, "forklab/cpu/%d", cpu);
    socklen_t size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)length);
    if (bind(fd, (const struct sockaddr *)&address, size) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

void cpu_pin_start(struct cpu_pin *pin)
{
    pin->claim_fd = -1;
    if (sched_getaffinity(0, sizeof(pin->saved), &pin->saved) < 0)
        return;
    /* The CPU we run on first: the scheduler placed us there. */
    int first = sched_getcpu();
    if (first < 0)
        first = 0;
    for (int i = 0; i < CPU_SETSIZE && pin->claim_fd < 0; i++) {
        int cpu = (first + i) % CPU_SETSIZE;
        if (!CPU_ISSET(cpu, &pin->saved))
            continue;
        int fd = cpu_pin_claim(cpu);
        if (fd < 0)
            continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        if (sched_setaffinity(0, sizeof(one), &one) < 0) {
            close(fd);
            return; /* refused here (a cpuset that moved, a seccomp profile) */
        }
        pin->claim_fd = fd;
    }
}

void cpu_pin_end(struct cpu_pin *pin)
{
    if (pin->claim_fd < 0)
        return;
    sched_setaffinity(0, sizeof(pin->saved), &pin->saved);
    close(pin->claim_fd);
    pin->claim_fd = -1;
}
