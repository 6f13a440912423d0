/* The descriptor view in Markdown, for the formats that show it (Gradescope's
 * output_format "md"): a test's explanation, then the view, each in a fenced
 * block, so no text of the run is read as Markdown. */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

/* A fence of backticks longer than any run of them in `text`, so that
 * nothing the program named can close the block early. */
static void put_fence(FILE *out, const char *text)
{
    size_t longest = 0, run = 0;
    for (const char *c = text; *c != '\0'; c++) {
        run = *c == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
        fputc('`', out);
}

static void put_block(FILE *out, const char *text)
{
    put_fence(out, text);
    fputs("text\n", out);
    fputs(text, out);
    if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
        fputc('\n', out);
    put_fence(out, text);
    fputc('\n', out);
}

char *fds_markdown(const char *detail, const struct report *report)
{
    char *view = NULL, *text = NULL;
    size_t view_size = 0, size = 0;
    FILE *out = open_memstream(&view, &view_size);
    if (out == NULL)
        return NULL;
    int error = render_fds_text(report, out, false);
    if (fclose(out) != 0 || error < 0) {
        free(view);
        return NULL;
    }
    out = open_memstream(&text, &size);
    if (out != NULL) {
        put_block(out, detail);
        fputs("\n**Who held which descriptor** in the run:\n\n", out);
        put_block(out, view);
        if (fclose(out) != 0) {
            free(text);
            text = NULL;
        }
    }
    free(view);
    return text;
}
