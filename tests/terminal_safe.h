/* For the tests of everything forklab prints for people: where a text holds
 * something a terminal would act on (what core/write/visible_text.h hides, a byte
 * that is not UTF-8), newlines aside. Shared by the render and grade tests. */
#ifndef FORKLAB_TEST_TERMINAL_SAFE_H
#define FORKLAB_TEST_TERMINAL_SAFE_H

#include "core/write/utf8.h"
#include "core/write/visible_text.h"

#include <stddef.h>

/* The offset of the first such character in `length` bytes of `text`, or -1
 * when there is none. */
static inline long terminal_unsafe_at(const char *text, size_t length)
{
    for (size_t at = 0; at < length;) {
        size_t size;
        long c = utf8_decode(text + at, length - at, &size);
        if (c == UTF8_INVALID || (c != '\n' && visible_text_hides(c)))
            return (long)at;
        at += size;
    }
    return -1;
}

#endif
