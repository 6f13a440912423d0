/* Counts the primes below 30000 with three worker processes, one per range,
 * then waits for the workers and says it is done. A worker ends when its
 * range is counted, so only the parent goes round the loop. The wrapper has
 * no part here: it starts programs, and a worker is a function of ours.
 * Solution to pitfall 01: see lessons/01-nested-forks.md. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 3
#define LIMIT   30000

static bool is_prime(long n)
{
    if (n < 2)
        return false;
    for (long d = 2; d * d <= n; d++)
        if (n % d == 0)
            return false;
    return true;
}

static void count_primes(int worker, long from, long to)
{
    long count = 0;
    for (long n = from; n < to; n++)
        count += is_prime(n);
    printf("worker %d: %ld primes in [%ld, %ld)\n", worker, count, from, to);
}

int main(void)
{
    for (int i = 0; i < WORKERS; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            count_primes(i, (long)i * LIMIT / WORKERS, (long)(i + 1) * LIMIT / WORKERS);
            exit(0); /* ends the worker, flushing its line: it never goes round the loop */
        }
    }
    while (wait(NULL) > 0)
        ;
    printf("all workers done\n");
    return 0;
}
