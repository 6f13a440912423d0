/* What the drill generators share (study/ only): the seeded random numbers
 * that make the same seed give the same drill everywhere, and the
 * descriptor generator (drill_fds.c) beside the process ones. */
#ifndef FORKLAB_DRILL_GENERATE_H
#define FORKLAB_DRILL_GENERATE_H

#include "study/drill.h"

#include <stdint.h>

/* splitmix64: small, fast, and the same sequence on every machine, which
 * rand() does not promise. */
struct drill_random {
    uint64_t state;
};

static inline uint64_t drill_random_next(struct drill_random *random)
{
    uint64_t z = (random->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A number in [0, bound). */
static inline unsigned drill_random_below(struct drill_random *random, unsigned bound)
{
    return (unsigned)(drill_random_next(random) % bound);
}

/* Fills drill->source, exec_name and fds with a descriptor program: some
 * opens, pipes, dups and closes, with and without close-on-exec, then a
 * child that execs `true`. Returns 0 or -ENOMEM. */
int drill_fds_generate(struct drill_random *random, const char *title, struct drill *drill);

#endif
