/* UTF-8 decoding and repair, for every format that must hold valid text
 * (JSON, XML, dot, YAML) and for the escaping of text shown on a terminal. */
#include "core/write/utf8.h"

#include <stdbool.h>
#include <stdlib.h>

static bool is_continuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

long utf8_decode(const char *bytes, size_t length, size_t *size)
{
    const unsigned char *s = (const unsigned char *)bytes;
    *size = 1;
    if (s[0] < 0x80)
        return s[0];

    size_t needed;
    long code_point, smallest;
    if ((s[0] & 0xE0) == 0xC0) {
        needed = 2, code_point = s[0] & 0x1F, smallest = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        needed = 3, code_point = s[0] & 0x0F, smallest = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        needed = 4, code_point = s[0] & 0x07, smallest = 0x10000;
    } else {
        return UTF8_INVALID; /* a stray continuation byte, or 0xF8..0xFF */
    }
    if (length < needed)
        return UTF8_INVALID;
    for (size_t i = 1; i < needed; i++) {
        if (!is_continuation(s[i]))
            return UTF8_INVALID;
        code_point = code_point << 6 | (s[i] & 0x3F);
    }
    /* Overlong forms and surrogates are the classic ways to smuggle a '<' or
     * a half character past a checker, so they count as malformed. */
    if (code_point < smallest || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF))
        return UTF8_INVALID;
    *size = needed;
    return code_point;
}

/* Writes the UTF-8 encoding of a code point (4 bytes at most); returns its length. */
static size_t utf8_encode(long code_point, char out[4])
{
    if (code_point < 0x80) {
        out[0] = (char)code_point;
        return 1;
    }
    if (code_point < 0x800) {
        out[0] = (char)(0xC0 | code_point >> 6);
        out[1] = (char)(0x80 | (code_point & 0x3F));
        return 2;
    }
    if (code_point < 0x10000) {
        out[0] = (char)(0xE0 | code_point >> 12);
        out[1] = (char)(0x80 | (code_point >> 6 & 0x3F));
        out[2] = (char)(0x80 | (code_point & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | code_point >> 18);
    out[1] = (char)(0x80 | (code_point >> 12 & 0x3F));
    out[2] = (char)(0x80 | (code_point >> 6 & 0x3F));
    out[3] = (char)(0x80 | (code_point & 0x3F));
    return 4;
}

char *utf8_repair(const char *bytes, size_t length, size_t *repaired_length)
{
    /* U+FFFD takes 3 bytes where the bad byte took 1: at most 3 times longer. */
    char *repaired = malloc(3 * length + 1);
    if (repaired == NULL)
        return NULL;
    size_t used = 0;
    for (size_t at = 0; at < length;) {
        size_t size;
        long code_point = utf8_decode(bytes + at, length - at, &size);
        if (code_point == UTF8_INVALID)
            used += utf8_encode(0xFFFD, repaired + used);
        else
            for (size_t i = 0; i < size; i++)
                repaired[used++] = bytes[at + i];
        at += size;
    }
    repaired[used] = '\0';
    *repaired_length = used;
    return repaired;
}
