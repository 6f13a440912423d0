/* UTF-8 checking: a target may print any bytes at all, and one bad byte must
 * not make a whole report unreadable (JSON, XML) or reach a terminal raw. */
#ifndef FORKLAB_UTF8_H
#define FORKLAB_UTF8_H

#include <stddef.h>

#define UTF8_INVALID (-1L)
/* Decodes one UTF-8 character from `bytes` (at most `length` bytes, > 0) and
 * sets *size to the bytes it used. A malformed, overlong, surrogate or cut
 * sequence yields UTF8_INVALID with *size 1, so callers replace one byte and
 * go on. */
long utf8_decode(const char *bytes, size_t length, size_t *size);
/* A copy of `bytes` that is valid UTF-8: each bad byte becomes U+FFFD. The
 * copy is NUL-terminated (it may hold NULs too), its length is stored in
 * *repaired_length; NULL when out of memory. The caller frees it. */
char *utf8_repair(const char *bytes, size_t length, size_t *repaired_length);

#endif
