/* Reading a stopped tracee's memory. A string may end anywhere, right before
 * an unmapped page too, so it is read one page at a time: asking for more
 * than is mapped would fail the whole read. */
#include "trace/tracee_memory.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE_GUESS 4096U /* any power of two <= the page size keeps reads inside one page */
#define MAX_ARGS   256   /* argv entries looked at; a longer argv is hashed partly */

static ssize_t read_memory(pid_t pid, uint64_t address, void *buffer, size_t size)
{
    struct iovec local = {.iov_base = buffer, .iov_len = size};
    struct iovec remote = {.iov_base = (void *)(uintptr_t)address, .iov_len = size};
    ssize_t got;
    do
        got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
    while (got < 0 && errno == EINTR);
    return got < 0 ? -errno : got;
}

ssize_t tracee_read(pid_t pid, uint64_t address, void *buffer, size_t size)
{
    return read_memory(pid, address, buffer, size);
}

ssize_t tracee_read_string(pid_t pid, uint64_t address, char *buffer, size_t size)
{
    if (size == 0)
        return -EINVAL;
    size_t length = 0;
    while (length < size - 1) {
        size_t to_page_end = PAGE_GUESS - (size_t)((address + length) % PAGE_GUESS);
        size_t chunk = size - 1 - length < to_page_end ? size - 1 - length : to_page_end;
        ssize_t got = read_memory(pid, address + length, buffer + length, chunk);
        if (got <= 0) {
            if (length == 0)
                return got < 0 ? got : -EFAULT;
            break;
        }
        char *nul = memchr(buffer + length, '\0', (size_t)got);
        if (nul != NULL) {
            return nul - buffer;
        }
        length += (size_t)got;
    }
    buffer[length] = '\0';
    return (ssize_t)length;
}

/* FNV-1a: small, and good enough to tell two argv arrays apart. */
static uint64_t hash_bytes(uint64_t hash, const char *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        hash ^= (unsigned char)bytes[i];
        hash *= 1099511628211ULL;
    }
    return hash;
}

int tracee_read_argv(pid_t pid, uint64_t address, char *text, size_t text_size, uint64_t *hash)
{
    *hash = 14695981039346656037ULL;
    if (text_size > 0)
        text[0] = '\0';
    if (address == 0)
        return 0; /* execve(path, NULL, ...): Linux runs it with an empty argv */
    size_t used = 0;
    int count = 0;
    for (; count < MAX_ARGS; count++) {
        uint64_t pointer = 0;
        ssize_t got = read_memory(pid, address + (uint64_t)count * sizeof(pointer), &pointer,
                                  sizeof(pointer));
        if (got != (ssize_t)sizeof(pointer))
            return got < 0 ? (int)got : -EFAULT;
        if (pointer == 0)
            break;
        char argument[1024];
        ssize_t length = tracee_read_string(pid, pointer, argument, sizeof(argument));
        if (length < 0)
            return (int)length;
        /* The terminating NUL goes into the hash too, so "ab","c" != "a","bc". */
        *hash = hash_bytes(*hash, argument, (size_t)length + 1);
        if (used + 1 < text_size) {
            int written =
                snprintf(text + used, text_size - used, "%s%s", count ? " " : "", argument);
            used += written > 0 ? (size_t)written : 0;
            if (used >= text_size)
                used = text_size - 1;
        }
    }
    return count;
}
