/* capture.c: one output stream collected into memory, fast and with a cap.
 * The bytes are read straight into the final buffer, which grows by doubling
 * and, once large, has its pages faulted in ahead of read(), many at a time. */
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
/* From this capacity on the buffer is a mapping of its own (malloc serves it
 * with mmap, and realloc moves it with mremap, page tables and all, instead of
 * copying), and its pages are faulted in PREFAULT_STEP at a time.
 * No huge pages (MADV_HUGEPAGE): on a virtual machine whose host takes back
 * the guest's large free blocks (free page reporting), a 2 MiB page comes
 * from such a block and faults through the host, while 4 KiB pages mostly
 * come from small free blocks that never left: 1 GiB took 2-8 s with huge
 * pages and about 0.3 s without, on this project's machines (bench/spawn.c). */
#define PREFAULT_FROM (4 * 1024 * 1024)
#define PREFAULT_STEP (4 * 1024 * 1024)
#define PAGE_SIZE_MIN 4096
/* Past this much unused capacity the buffer is shrunk to fit at the end. */
#define SHRINK_FROM (2 * 1024 * 1024)

void fl__capture_init(struct fl__capture *c, int fd, size_t limit)
{
    *c = (struct fl__capture){.fd = fd, .limit = limit};
}

static uintptr_t round_down(uintptr_t at, uintptr_t align)
{
    return at & ~(align - 1);
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
    /* realloc may have copied: only the bytes read are then known to be
     * backed (mremap keeps every page, but faulting twice costs nothing). */
    c->faulted = c->len;
    return 0;
}

/* Touches one byte in every page of [from, from + len), so the kernel maps
 * them now. The bytes lie past the data read so far: any value will do. */
static void touch_pages(char *from, size_t len)
{
    for (size_t at = 0; at < len; at = (at | (PAGE_SIZE_MIN - 1)) + 1)
        ((volatile char *)from)[at] = 0;
}

/* Makes sure the pages up to data + until, and PREFAULT_STEP beyond, exist
 * before read() copies into them: one madvise maps them all, where letting
 * read() fault costs one fault per page, each taken while the kernel holds
 * the pipe's lock (so the writing child waits for it too). Only the free
 * part of the buffer is ever written to. */
static void prefault(struct fl__capture *c, size_t until)
{
    if (c->cap < PREFAULT_FROM || until <= c->faulted)
        return;
    uintptr_t base = (uintptr_t)c->data;
    uintptr_t at = base + c->faulted;
    uintptr_t end = base + until + PREFAULT_STEP;
    if (end > base + c->cap)
        end = base + c->cap;
    /* MADV_POPULATE_WRITE (Linux 5.14+) maps the pages without changing a
     * byte, in one call; it wants page-aligned bounds, and the page holding
     * `at` may be partly filled, which it leaves as it is. */
    uintptr_t from = round_down(at, PAGE_SIZE_MIN);
    uintptr_t to = round_down(end, PAGE_SIZE_MIN);
    if (to <= from || madvise((void *)from, to - from, MADV_POPULATE_WRITE) < 0)
        touch_pages((char *)at, end - at);
    c->faulted = end - base;
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
    /* Doubling can leave up to half the buffer unused (1 GiB of output sits
     * in 2 GiB); hand back the spare pages. Shrinking a mapped block is
     * an mremap that cuts the tail off in place, so it costs no copy. */
    if (c->cap - c->len > SHRINK_FROM) {
        char *shrunk = realloc(c->data, c->len + 1);
        if (shrunk)
            c->data = shrunk;
    }
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
