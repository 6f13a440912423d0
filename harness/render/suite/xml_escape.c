/* The one XML escaper: every XML document forklab writes passes its text
 * through here, so the rules below are decided in one place. */
#include "render/suite/xml_escape.h"

#include "core/write/utf8.h"

/* Whether XML 1.0 allows a character at all (its Char production). */
static bool xml_allows(long c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Characters XML cannot hold (control bytes, bytes that are not UTF-8)
 * become U+FFFD, so nothing a program prints can break the document. An
 * attribute keeps its newlines and tabs as character references, which the
 * parser would else turn into spaces; a carriage return is always one, as a
 * parser would else drop it. */
void xml_put_escaped(FILE *out, const char *text, size_t length, bool in_attribute)
{
    for (size_t at = 0; at < length;) {
        size_t size;
        long c = utf8_decode(text + at, length - at, &size);
        if (c == '&')
            fputs("&amp;", out);
        else if (c == '<')
            fputs("&lt;", out);
        else if (c == '>')
            fputs("&gt;", out);
        else if (c == '"' && in_attribute)
            fputs("&quot;", out);
        else if (c == '\r' || ((c == '\n' || c == '\t') && in_attribute))
            fprintf(out, "&#%ld;", c);
        else if (c == UTF8_INVALID || !xml_allows(c))
            fputs("\xEF\xBF\xBD", out);
        else
            fwrite(text + at, 1, size, out);
        at += size;
    }
}
