/* The one escaping of text for a terminal (core/write/visible_text.h): each kind
 * of character a terminal would act on is shown as an escape that says what
 * it was, every other character is left as it is, and no input at all can
 * get a hidden character through. */
#include "core/write/visible_text.h"
#include "../terminal_safe.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* `length` bytes of `text` through visible_text_put, as a string. */
static char *visible(const char *text, size_t length)
{
    char *shown = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&shown, &size);
    cr_assert_not_null(out);
    visible_text_put(out, text, length);
    cr_assert_eq(fclose(out), 0);
    return shown;
}

#define expect_visible(bytes, expected)                                                            \
    do {                                                                                           \
        char *shown = visible(bytes, sizeof(bytes) - 1);                                           \
        cr_expect_str_eq(shown, expected);                                                         \
        free(shown);                                                                               \
    } while (0)

Test(visible_text, c0_controls_and_del_show_as_hex_escapes)
{
    expect_visible("\033]52;c;cGF5bG9hZA==\007", "\\x1b]52;c;cGF5bG9hZA==\\x07"); /* OSC 52 */
    expect_visible("\033]0;title\007", "\\x1b]0;title\\x07");
    expect_visible("\033[2J\033[H", "\\x1b[2J\\x1b[H");
    expect_visible("a\0b", "a\\x00b");
    expect_visible("50%\rscore: 8/8", "50%\\x0dscore: 8/8");
    expect_visible("one\ntwo", "one\\x0atwo");
    expect_visible("back\bspace\x7f", "back\\x08space\\x7f");
    expect_visible("a\tb", "a\tb"); /* a tab only moves right: kept */
}

Test(visible_text, c1_controls_show_raw_or_encoded)
{
    expect_visible("\x9b"
                   "31m",
                   "\\x9b31m"); /* a raw byte: not UTF-8 */
    expect_visible("\x9d"
                   "0;t\x07",
                   "\\x9d0;t\\x07"); /* a one-byte OSC */
    expect_visible("\xc2\x9b"
                   "31m",
                   "\\u009b31m"); /* U+009B, encoded */
    expect_visible("\xc2\x9d"
                   "0;t",
                   "\\u009d0;t");
    expect_visible("\xc2\x80\xc2\x9f", "\\u0080\\u009f");
}

Test(visible_text, bidi_overrides_and_isolates_show_as_code_points)
{
    expect_visible("\xe2\x80\xae"
                   "dessap",
                   "\\u202edessap"); /* RLO */
    expect_visible("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
                   "\\u202a\\u202b\\u202c\\u202d");
    expect_visible("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
                   "\\u2066\\u2067\\u2068\\u2069");
    /* Their neighbours are ordinary characters. */
    expect_visible("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5", "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5");
}

Test(visible_text, bytes_that_are_not_utf8_show_as_hex_escapes)
{
    expect_visible("\xff\xfe", "\\xff\\xfe");
    expect_visible("\xc0\xaf", "\\xc0\\xaf");          /* an overlong '/' */
    expect_visible("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate */
    expect_visible("cut \xe2\x80", "cut \\xe2\\x80");
}

Test(visible_text, ordinary_text_is_left_as_it_is)
{
    expect_visible("plain ASCII, \\x1b as typed, 100%", "plain ASCII, \\x1b as typed, 100%");
    expect_visible("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                   "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    char *copy = visible_text_dup("name\033[31m.c");
    cr_assert_not_null(copy);
    cr_expect_str_eq(copy, "name\\x1b[31m.c");
    free(copy);
}

/* Every code point, encoded, and every byte value alone: nothing a terminal
 * would act on comes out, and what comes out is valid UTF-8. */
Test(visible_text, no_input_gets_a_hidden_character_through)
{
    char *shown = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&shown, &size);
    cr_assert_not_null(out);
    for (long c = 0; c <= 0x10FFFF; c++) {
        char bytes[4];
        size_t length;
        if (c < 0x80)
            bytes[0] = (char)c, length = 1;
        else if (c < 0x800)
            bytes[0] = (char)(0xC0 | c >> 6), bytes[1] = (char)(0x80 | (c & 0x3F)), length = 2;
        else if (c < 0x10000)
            bytes[0] = (char)(0xE0 | c >> 12), bytes[1] = (char)(0x80 | (c >> 6 & 0x3F)),
            bytes[2] = (char)(0x80 | (c & 0x3F)), length = 3;
        else
            bytes[0] = (char)(0xF0 | c >> 18), bytes[1] = (char)(0x80 | (c >> 12 & 0x3F)),
            bytes[2] = (char)(0x80 | (c >> 6 & 0x3F)), bytes[3] = (char)(0x80 | (c & 0x3F)),
            length = 4;
        visible_text_put(out, bytes, length);
    }
    for (int byte = 0; byte < 256; byte++) {
        char one = (char)byte;
        visible_text_put(out, &one, 1);
    }
    cr_assert_eq(fclose(out), 0);
    cr_expect_eq(terminal_unsafe_at(shown, size), -1, "a hidden character at byte %ld",
                 terminal_unsafe_at(shown, size));
    cr_expect_null(memchr(shown, '\n', size), "a newline got through");
    free(shown);
}
