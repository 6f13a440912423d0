/* A shell exercise's failed sessions as a student can replay them: the
 * files the session started with, the script the shell read (a probe line
 * as the command it became), and what the shell wrote. Shared by the text
 * format and the test-suite formats' overview. */
#include "grade/render/grade_render.h"

#include "grade/sessions.h"
#include "render/render.h"

#include <string.h>

/* Whether a check of this session lost points. */
static bool session_failed(const struct grade_result *result,
                           const struct manifest_session *session)
{
    for (size_t i = 0; i < result->check_count; i++)
        if (result->checks[i].check->session == session &&
            result->checks[i].score < result->checks[i].check->points)
            return true;
    return false;
}

/* What the program wrote: behind the output gutter and made visible for a
 * terminal, as it is otherwise. */
static void put_output(FILE *out, const char *session, const char *name,
                       const struct captured_output *output, bool visible)
{
    if (output->total == 0)
        return;
    fprintf(out, "--- the program's %s in session %s (%zu bytes", name, session, output->total);
    if (output->total > output->length)
        fprintf(out, "; forklab kept %zu", output->length);
    fputs(") ---\n", out);
    if (visible) {
        render_put_output_lines(out, output->data, output->length, "", "");
    } else if (output->length > 0) {
        fwrite(output->data, 1, output->length, out);
        if (output->data[output->length - 1] != '\n')
            fputc('\n', out);
    }
}

void grade_put_sessions(const struct grade_result *result, FILE *out, bool visible)
{
    for (size_t i = 0; i < result->session_count; i++) {
        const struct grade_session_run *run = &result->sessions[i];
        const struct manifest_session *session = run->session;
        if (!session_failed(result, session))
            continue;
        /* The manifest's own text: files and script are forklab's words. */
        for (size_t f = 0; f < session->input_count; f++) {
            const struct manifest_file *file = &session->inputs[f];
            fprintf(out, "--- %s, in the folder of session %s ---\n", file->name, session->name);
            fwrite(file->content, 1, file->length, out);
            if (file->length > 0 && file->content[file->length - 1] != '\n')
                fputc('\n', out);
        }
        fprintf(out, "--- what the shell read in session %s ---\n", session->name);
        for (const char *line = session->script; *line != '\0';) {
            const char *end = strchr(line, '\n'); /* every line ends in one */
            size_t length = (size_t)(end - line);
            if (length == strlen(MANIFEST_PROBE_LINE) &&
                strncmp(line, MANIFEST_PROBE_LINE, length) == 0)
                fputs("forklab children\n", out);
            else
                fprintf(out, "%.*s\n", (int)length, line);
            line = end + 1;
        }
        put_output(out, session->name, "stdout", &run->report.out, visible);
        put_output(out, session->name, "stderr", &run->report.err, visible);
    }
}
