/* Text made visible for a terminal (see core/write/visible_text.h). Every printer
 * of forklab's text formats goes through here, so a terminal never gets a
 * byte of a target's choosing that it would act on. */
#include "core/write/visible_text.h"

#include "core/write/utf8.h"

#include <stdlib.h>
#include <string.h>

bool visible_text_hides(long code_point)
{
    return (code_point < 0x20 && code_point != '\t') || code_point == 0x7F ||
           (code_point >= 0x80 && code_point <= 0x9F) ||
           (code_point >= 0x202A && code_point <= 0x202E) ||
           (code_point >= 0x2066 && code_point <= 0x2069);
}

void visible_text_put(FILE *out, const char *text, size_t length)
{
    for (size_t at = 0; at < length;) {
        size_t size;
        long c = utf8_decode(text + at, length - at, &size);
        if (c == UTF8_INVALID)
            fprintf(out, "\\x%02x", (unsigned char)text[at]);
        else if (visible_text_hides(c) && c < 0x80)
            fprintf(out, "\\x%02lx", c);
        else if (visible_text_hides(c))
            fprintf(out, "\\u%04lx", c);
        else
            fwrite(text + at, 1, size, out);
        at += size;
    }
}

void visible_text_put_string(FILE *out, const char *text)
{
    visible_text_put(out, text, strlen(text));
}

char *visible_text_dup(const char *text)
{
    char *copy = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&copy, &size);
    if (out == NULL)
        return NULL;
    visible_text_put_string(out, text);
    if (fclose(out) != 0) {
        free(copy);
        return NULL;
    }
    return copy;
}
