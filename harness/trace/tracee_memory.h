/* Reads a stopped tracee's memory with process_vm_readv: the path and argv
 * of an execve it is about to make, what a wait() it made wrote back. */
#ifndef FORKLAB_TRACEE_MEMORY_H
#define FORKLAB_TRACEE_MEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Copies `size` bytes at `address` into `buffer`. Returns the bytes read
 * (fewer when the range ends in an unmapped page), or a negative errno. */
ssize_t tracee_read(pid_t pid, uint64_t address, void *buffer, size_t size);

/* Copies the NUL-terminated string at `address` into `buffer` (truncated to
 * size - 1 bytes). Returns its length, or a negative errno. */
ssize_t tracee_read_string(pid_t pid, uint64_t address, char *buffer, size_t size);

/* Reads the argv array at `address`: `text` gets the arguments joined by
 * spaces (truncated), `hash` a hash of all of them, so two argv arrays can
 * be compared without keeping them. Returns the argument count or a
 * negative errno. */
int tracee_read_argv(pid_t pid, uint64_t address, char *text, size_t text_size, uint64_t *hash);

#endif
