/* The table of grade formats behind `forklab grade --format`: one name, one
 * renderer. A new format is one grade_render_NAME.c file and one line here. */
#include "grade/render/grade_render.h"

#include <string.h>

static const struct {
    const char *name;
    grade_renderer render;
} formats[] = {
    {"text", grade_render_text},
    {"json", grade_render_json},
    {"tap", grade_render_tap},
    {"junit", grade_render_junit},
    {"gradescope", grade_render_gradescope},
    {"html", grade_render_html},
};

const char grade_format_names[] = "text|json|tap|junit|gradescope|html";

grade_renderer grade_renderer_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (strcmp(formats[i].name, name) == 0)
            return formats[i].render;
    return NULL;
}
