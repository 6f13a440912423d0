/* What an execve or execveat of a tracee is about to do, read at its
 * seccomp stop: the path, the arguments, and, when the file is not there,
 * the error it will fail with. Knowing that in advance spares a second stop
 * at the syscall's exit for each miss of a PATH search (execvp tries every
 * directory of PATH in turn). */
#ifndef FORKLAB_EXEC_ATTEMPT_H
#define FORKLAB_EXEC_ATTEMPT_H

#include "trace/trace_run.h"

#include <stdint.h>
#include <sys/types.h>

/* Fills `attempt` (its strings allocated) for the call `nr` with `args`
 * made by `tid`. `previous` is the process's latest attempt or NULL: when it
 * failed and passed the same argv array (as execvp's PATH search does),
 * its argv is reused instead of read again. attempt->error is the errno
 * the exec will fail with when that is already known, else -1. Returns 0
 * or -ENOMEM. */
int exec_attempt_read(pid_t tid, int nr, const uint64_t *args, const struct exec_attempt *previous,
                      struct exec_attempt *attempt);

#endif
