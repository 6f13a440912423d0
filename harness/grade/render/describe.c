/* Wording shared by the grade formats, so text, TAP, JUnit and Gradescope
 * describe the compile step, the run and the program's output the same way. */
#include "grade/render/grade_render.h"
#include "grade/sessions.h"
#include "render/render.h"

#include <stdlib.h>
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

void grade_put_compile(const struct grade_result *result, FILE *out)
{
    if (result->compile.argv == NULL) {
        fprintf(out, "compile: nothing to compile\n");
        return;
    }
    fputs("compile:", out);
    for (size_t i = 0; result->compile.argv[i] != NULL; i++)
        fprintf(out, " %s", result->compile.argv[i]);
    fputc('\n', out);
    if (result->compile.output_length > 0) {
        fwrite(result->compile.output, 1, result->compile.output_length, out);
        if (result->compile.output[result->compile.output_length - 1] != '\n')
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
            process_end_describe(report->main_end, report->main_code,
                                 report_main_core_dumped(report), end),
            report->duration_ms, processes, processes == 1 ? "" : "es", report->finding_count,
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

void grade_put_outputs(const struct grade_result *result, FILE *out, size_t shown)
{
    if (!result->ran)
        return;
    if (result->session_count == 0) {
        grade_put_program_output(out, "stdout", &result->report.out, shown);
        grade_put_program_output(out, "stderr", &result->report.err, shown);
        return;
    }
    for (size_t i = 0; i < result->session_count; i++) {
        const struct grade_session_run *run = &result->sessions[i];
        if (!session_failed(result, run->session))
            continue;
        /* The session's files and what the shell read: enough to run it
         * again by hand. */
        for (size_t f = 0; f < run->session->input_count; f++) {
            const struct manifest_file *file = &run->session->inputs[f];
            fprintf(out, "--- %s, in the folder of session %s ---\n", file->name,
                    run->session->name);
            fwrite(file->content, 1, file->length, out);
            if (file->length > 0 && file->content[file->length - 1] != '\n')
                fputc('\n', out);
        }
        fprintf(out, "--- what the shell read in session %s ---\n", run->session->name);
        for (const char *line = run->session->script; *line != '\0';) {
            const char *end = strchr(line, '\n'); /* every line ends in one */
            size_t length = (size_t)(end - line);
            if (length == strlen(MANIFEST_PROBE_LINE) &&
                strncmp(line, MANIFEST_PROBE_LINE, length) == 0)
                fputs("forklab children\n", out);
            else
                fprintf(out, "%.*s\n", (int)length, line);
            line = end + 1;
        }
        char name[128];
        snprintf(name, sizeof(name), "stdout in session %s", run->session->name);
        grade_put_program_output(out, name, &run->report.out, shown);
        snprintf(name, sizeof(name), "stderr in session %s", run->session->name);
        grade_put_program_output(out, name, &run->report.err, shown);
    }
}

void grade_put_program_output(FILE *out, const char *name, const struct captured_output *output,
                              size_t shown)
{
    if (output->total == 0)
        return;
    if (shown > output->length)
        shown = output->length;
    fprintf(out, "--- the program's %s (%zu bytes) ---\n", name, output->total);
    fwrite(output->data, 1, shown, out);
    if (shown > 0 && output->data[shown - 1] != '\n')
        fputc('\n', out);
    if (output->total > shown)
        fprintf(out, "[... %zu more bytes not shown]\n", output->total - shown);
}

json_t *grade_json_text(const char *text, size_t length)
{
    size_t repaired_length;
    char *repaired =
        utf8_repair(text != NULL ? text : "", text != NULL ? length : 0, &repaired_length);
    if (repaired == NULL)
        return NULL;
    json_t *string = json_stringn(repaired, repaired_length);
    free(repaired);
    return string;
}
