/* What a program printed, for people: every line behind one gutter and made
 * visible (core/write/visible_text.h), so nothing a program prints can act on the
 * terminal or pass for a line of forklab's own. Both text formats, check's
 * and the grader's, show program output through here. */
#include "core/write/visible_text.h"
#include "render/render.h"

void render_put_cut(FILE *out, const char *text, size_t length, size_t limit)
{
    if (length <= limit) {
        visible_text_put(out, text, length);
        return;
    }
    size_t cut = limit;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--; /* not in the middle of a UTF-8 character */
    visible_text_put(out, text, cut);
    fprintf(out, " ... (%zu more bytes)", length - cut);
}

static size_t count_lines(const char *data, size_t length)
{
    size_t lines = 0;
    for (size_t i = 0; i < length; i++)
        lines += data[i] == '\n';
    return lines + (length > 0 && data[length - 1] != '\n');
}

static void put_line(FILE *out, const char *line, size_t length)
{
    fputs(OUTPUT_GUTTER, out);
    render_put_cut(out, line, length, OUTPUT_LINE_BYTES_SHOWN);
    fputc('\n', out);
}

void render_put_output_lines(FILE *out, const char *data, size_t length, const char *dim,
                             const char *reset)
{
    if (data == NULL)
        return;
    size_t lines = count_lines(data, length), line = 0, start = 0;
    for (size_t i = 0; i <= length && start < length; i++) {
        if (i < length && data[i] != '\n')
            continue;
        bool in_head = line < OUTPUT_LINES_SHOWN / 2;
        bool in_tail = line >= lines - OUTPUT_LINES_SHOWN / 2;
        if (lines <= OUTPUT_LINES_SHOWN || in_head || in_tail)
            put_line(out, data + start, i - start);
        else if (line == OUTPUT_LINES_SHOWN / 2)
            fprintf(out, "  %s... %zu lines not shown (--format json has them all) ...%s\n", dim,
                    lines - OUTPUT_LINES_SHOWN, reset);
        line++;
        start = i + 1;
    }
}
