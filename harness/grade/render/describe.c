/* Wording shared by the grade formats, so text and the test-suite formats
 * name the checks and describe the compile step and the run the same way. */
#include "grade/render/grade_render.h"

#include "core/write/visible_text.h"
#include "grade/sessions.h"
#include "render/render.h"

#include <string.h>

const char *grade_check_name(const struct grade_result *result,
                             const struct grade_check_result *check,
                             char buffer[GRADE_CHECK_NAME_SIZE])
{
    char title[GRADE_CHECK_NAME_SIZE];
    grade_check_title(check->check, result->exercise, title, sizeof(title));
    int length = snprintf(buffer, GRADE_CHECK_NAME_SIZE, "%s: %s", check->check->id, title);
    if (length >= GRADE_CHECK_NAME_SIZE) /* a very long id: show that it was cut */
        memcpy(buffer + GRADE_CHECK_NAME_SIZE - 4, "...", 4);
    return buffer;
}

void grade_put_compile(const struct grade_result *result, FILE *out, bool visible)
{
    if (result->compile.argv == NULL) {
        fprintf(out, "compile: nothing to compile\n");
        return;
    }
    fputs("compile:", out);
    for (size_t i = 0; result->compile.argv[i] != NULL; i++) {
        fputc(' ', out);
        if (visible)
            visible_text_put_string(out, result->compile.argv[i]);
        else
            fputs(result->compile.argv[i], out);
    }
    fputc('\n', out);
    const char *messages = result->compile.output;
    size_t length = result->compile.output_length;
    if (visible) {
        render_put_output_lines(out, messages, length, "", "");
    } else if (length > 0) {
        fwrite(messages, 1, length, out);
        if (messages[length - 1] != '\n')
            fputc('\n', out);
    }
    fprintf(out, "compile: %s\n", result->compile.ok ? "ok" : "FAILED");
}

/* "exit 0 after 52 ms; 3 processes, 1 finding" */
static void put_report_line(FILE *out, const struct report *report)
{
    char end[PROCESS_END_SIZE];
    size_t processes = 0;
    for (size_t i = 0; i < report->process_count; i++)
        processes += !report->processes[i].is_thread;
    fprintf(out, "%s after %ld ms; %zu process%s, %zu finding%s\n",
            report_main_end_describe(report, end), report->duration_ms, processes,
            processes == 1 ? "" : "es", report->finding_count,
            report->finding_count == 1 ? "" : "s");
}

void grade_put_run(const struct grade_result *result, FILE *out)
{
    if (!result->ran) {
        fputs("run: not run\n", out);
        return;
    }
    if (result->session_count == 0) {
        fputs("run: ", out);
        put_report_line(out, &result->report);
        return;
    }
    fprintf(out, "run: %zu session%s\n", result->session_count,
            result->session_count == 1 ? "" : "s");
    for (size_t i = 0; i < result->session_count; i++) {
        fprintf(out, "  session %s (%s): ", result->sessions[i].session->name,
                result->sessions[i].session->about);
        put_report_line(out, &result->sessions[i].report);
    }
}
