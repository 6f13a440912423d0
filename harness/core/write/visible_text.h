/* The one escaping of text for a terminal: whatever a program printed, a
 * student named a file or a user typed is shown as visible characters, so it
 * can neither act on the terminal nor pass for a line of forklab's own. */
#ifndef FORKLAB_VISIBLE_TEXT_H
#define FORKLAB_VISIBLE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Whether a character must not reach a terminal as itself: a C0 control but
 * tab (ESC starts every escape sequence; CR and backspace overwrite what was
 * shown; NUL and BEL are invisible), DEL, a C1 control (0x9B is a one-byte
 * CSI, 0x9D a one-byte OSC, for terminals that read them), and the bidi
 * overrides and isolates (U+202A..U+202E, U+2066..U+2069) that make text
 * read in another order than it is stored. */
bool visible_text_hides(long code_point);

/* Writes `length` bytes of `text` on one line, each hidden character as an
 * escape that shows what it was: "\x1b" for a byte below 0x80 (newline too),
 * "\u009b" or "\u202e" for a character above, "\xff" for a byte that is not
 * UTF-8. Everything else, tab and backslash included, is written as it is:
 * the escapes are made to be seen, not to be decoded back. */
void visible_text_put(FILE *out, const char *text, size_t length);
/* The same for a NUL-terminated string. */
void visible_text_put_string(FILE *out, const char *text);
/* The same, as a new string (for columns that printf pads); NULL when out of
 * memory. The caller frees it. */
char *visible_text_dup(const char *text);

#endif
