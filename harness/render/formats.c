/* The table of report formats behind --format: one name, one renderer. A new
 * format is one render_NAME.c file and one line here. */
#include "render/render.h"

#include <string.h>

static const struct {
    const char *name;
    renderer render;
} formats[] = {
    {"text", render_text},
    {"json", render_json},
    {"tap", render_tap},
    {"junit", render_junit},
    {"gradescope", render_gradescope},
    {"dot", render_dot},
    {"html", render_html},
};

const char render_format_names[] = "text|json|tap|junit|gradescope|dot|html";

renderer renderer_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcmp(formats[i].name, name) == 0)
            return formats[i].render;
    return NULL;
}
