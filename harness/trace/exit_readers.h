/* fd_leak's facts at an exit, read while the exit is held: the pipe write
 * ends the process held through its last idle call, wrote nothing on since
 * and still holds (ends it no longer needed); who reads those pipes; and,
 * once the readers have settled, which of them waits in a read for the end
 * of file that only this exit brings. */
#ifndef FORKLAB_EXIT_READERS_H
#define FORKLAB_EXIT_READERS_H

#include "trace/tracer_state.h"

#include <stddef.h>
#include <sys/types.h>

/* At most this many unneeded write ends of one exit are looked at. */
#define EXIT_ENDS_MAX 16

/* The unneeded write ends of `process` (entries of its fds_at_exit) into
 * `ends`; returns how many. */
size_t exit_unneeded_write_ends(const struct traced_process *process, const struct fd_entry **ends,
                                size_t max);

/* The live processes other than `process` that hold the read end of one of
 * `ends`, into hold->watched. */
void exit_watch_readers(const struct tracer *tracer, const struct traced_process *process,
                        const struct fd_entry **ends, size_t end_count, struct hold *hold);

/* At the end of the hold: notes each watched reader blocked in a read of
 * one of the pipes, whose other end only `process` still holds. */
void exit_note_waiting_readers(struct tracer *tracer, const struct hold *hold,
                               struct traced_process *process);

#endif
