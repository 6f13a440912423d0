/* capture.c: one output stream collected into memory, fast and with a cap.
 * Speed comes from reading straight into the final buffer, growing it
 * geometrically (realloc of a large block remaps pages instead of copying),
 * faulting its pages in before read() needs them, and enlarging the pipe
 * once the output proves to be big. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define FIRST_CAPACITY (64 * 1024)
#define MIN_READ       (64 * 1024)
#define SCRATCH_SIZE   (256 * 1024)
/* Past this much output a 1 MiB pipe (the unprivileged maximum) saves many
 * context switches; small outputs keep the default 64 KiB. */
#define BIG_OUTPUT (1024 * 1024)
#define BIG_PIPE   (1024 * 1024)
/* Pages are faulted in ahead of read() in steps of this size, once the buffer
 * is big enough for that to matter. */
#define PREFAULT_STEP (2 * 1024 * 1024)
#define PAGE_SIZE_MIN 4096
#ifndef MADV_COLLAPSE /* glibc before 2.37 lacks the name, not the kernel */
#define MADV_COLLAPSE 25
#endif

void fl__capture_init(struct fl__capture *c, int fd, size_t limit)
{
    *c = (struct fl__capture){.fd = fd, .limit = limit};
}

/* Makes room for at least MIN_READ more bytes (or up to the cap), always
 * keeping one spare byte for the final NUL. */
static int reserve(struct fl__capture *c)
{
    size_t wanted = c->limit - c->len < MIN_READ ? c->limit - c->len : MIN_READ;
    if (c->cap - c->len > wanted)
        return 0;
    size_t new_cap = c->cap < FIRST_CAPACITY ? FIRST_CAPACITY : c->cap * 2;
    if (c->limit < SIZE_MAX && new_cap > c->limit + 1)
        new_cap = c->limit + 1;
    char *grown = realloc(c->data, new_cap);
    if (!grown)
        return -ENOMEM;
    c->data = grown;
    c->cap = new_cap;
    /* Pages already faulted stay faulted: a large block is moved by mremap
     * with its pages, a small one is copied by realloc, which touches them. */
    if (c->faulted > new_cap)
        c->faulted = new_cap;
    return 0;
}

/* Touches one byte in every page of [from, from + len), so the kernel maps
 * them now. The bytes lie past the data read so far: any value will do. */
static void touch_pages(char *from, size_t len)
{
    for (size_t at = 0; at < len; at = (at | (PAGE_SIZE_MIN - 1)) + 1)
        ((volatile char *)from)[at] = 0;
}

/* Backs the free stretch [from, from + len) of the buffer with memory. A whole
 * 2 MiB-aligned block gets a huge page if the kernel can (MADV_COLLAPSE,
 * Linux 6.1+, wants one page present first): one huge page instead of 512
 * small ones means far fewer TLB misses while read() copies into it, which on
 * a virtual machine with shadow page tables is the difference between 0.1 s
 * and 1.5 s per GiB. */
static void back_stretch(char *from, size_t len)
{
    bool whole_block = ((uintptr_t)from & (PREFAULT_STEP - 1)) == 0 && len == PREFAULT_STEP;
    if (whole_block) {
        from[0] = 0;
        if (madvise(from, len, MADV_COLLAPSE) == 0 ||
            madvise(from, len, MADV_POPULATE_WRITE) == 0) /* Linux 5.14+ */
            return;
    }
    touch_pages(from, len);
}

/* Makes sure the pages up to data + until (and a step beyond) exist before
 * read() copies into them. A page fault inside read() happens while the
 * kernel holds the pipe's lock, and the writing child spins on that lock for
 * the whole fault; faulted here, it costs the writer nothing. Only the free
 * part of the buffer is ever touched: never a byte already read. */
static void prefault(struct fl__capture *c, size_t until)
{
    if (c->cap < 2 * PREFAULT_STEP || until <= c->faulted)
        return;
    size_t start = c->faulted > c->len ? c->faulted : c->len;
    uintptr_t at = (uintptr_t)c->data + start;
    /* End on a block boundary, so that the next call starts on one. */
    uintptr_t end =
        ((uintptr_t)c->data + until + 2 * PREFAULT_STEP - 1) & ~(uintptr_t)(PREFAULT_STEP - 1);
    if (end > (uintptr_t)c->data + c->cap)
        end = (uintptr_t)c->data + c->cap;
    while (at < end) {
        uintptr_t next = (at & ~(uintptr_t)(PREFAULT_STEP - 1)) + PREFAULT_STEP;
        if (next > end)
            next = end;
        back_stretch((char *)at, next - at);
        at = next;
    }
    c->faulted = end - (uintptr_t)c->data;
}

/* Reads once from the stream. Returns the bytes read (kept or dropped), 0 at
 * EOF, or -errno. */
ssize_t fl__capture_read(struct fl__capture *c)
{
    ssize_t n;
    if (c->len < c->limit) {
        int rc = reserve(c);
        if (rc < 0)
            return rc;
        size_t room = c->cap - c->len - 1;
        if (room > c->limit - c->len)
            room = c->limit - c->len;
        if (room > BIG_PIPE)
            room = BIG_PIPE; /* a pipe never holds more */
        prefault(c, c->len + room);
        n = FL_RETRY(read(c->fd, c->data + c->len, room));
        if (n > 0)
            c->len += (size_t)n;
    } else {
        /* Over the cap: keep reading, so the child never blocks on a full
         * pipe, but into a scratch buffer that is overwritten every time. */
        if (!c->scratch && !(c->scratch = malloc(SCRATCH_SIZE)))
            return -ENOMEM;
        n = FL_RETRY(read(c->fd, c->scratch, SCRATCH_SIZE));
        if (n > 0)
            c->truncated = true;
    }
    if (n < 0)
        return -errno;
    if (!c->big_pipe && c->len >= BIG_OUTPUT) {
        c->big_pipe = true;
        fcntl(c->fd, F_SETPIPE_SZ, BIG_PIPE); /* only an optimisation: may fail */
    }
    return n;
}

/* Hands the NUL-terminated bytes over and resets c. */
int fl__capture_finish(struct fl__capture *c, char **data, size_t *len, bool *truncated)
{
    if (!c->data && !(c->data = malloc(1)))
        return -ENOMEM;
    c->data[c->len] = '\0';
    *data = c->data;
    *len = c->len;
    *truncated = c->truncated;
    free(c->scratch);
    *c = (struct fl__capture){.fd = -1};
    return 0;
}

void fl__capture_discard(struct fl__capture *c)
{
    free(c->data);
    free(c->scratch);
    *c = (struct fl__capture){.fd = -1};
}
