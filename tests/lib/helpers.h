/* helpers.h: what the wrapper's tests share: paths of fixture programs, and
 * looks at this test process from /proc (its descriptors, its children). */
#ifndef FORKLAB_TEST_HELPERS_H
#define FORKLAB_TEST_HELPERS_H

#include "forklab.h"

#include <errno.h>
#include <stddef.h>

#define FIXTURE(name) FORKLAB_PLAIN_DIR "/fixtures/" name

/* Open descriptors of this process, sorted, into fds (at most max). */
int fds_snapshot(int *fds, int max);
/* Children of this process: returns how many; *zombies of them in state Z. */
int children_of_self(int *zombies);
/* Runs cmd with fl_command_output() and returns its stdout (malloc'd); fails
 * the test if the spawn fails or the child does not exit with 0. */
char *output_of(struct fl_command *cmd);
/* The value of "key: value" in a probe's output, into buf. NULL if absent. */
char *probe_field(const char *text, const char *key, char *buf, size_t len);
/* Turns a hang of this test into a failure: SIGALRM kills the test process
 * after seconds, which criterion reports as a crash. (Criterion's own
 * .timeout is avoided: in 2.4.1 its runner sometimes leaks the timeout
 * record, which fails the LeakSanitizer run of the whole binary.) */
void hang_guard(unsigned seconds);
/* A fresh empty directory under /tmp; remove it with remove_tree(). */
char *make_temp_dir(void);
void remove_tree(const char *dir);

#endif
