/* A grade as one self-contained HTML page (`forklab grade --format html`):
 * the score, each check with its points and reason, the compile step, then
 * the run's own report (render/html.h): tree, timeline, findings, every
 * descriptor table. */
#include "grade/render/grade_render.h"
#include "grade/sessions.h"
#include "render/html.h"

#include <errno.h>
#include <stdio.h>

static void put_checks(FILE *out, const struct grade_result *result)
{
    fputs("<table id=\"checks\">\n<caption>Checks</caption>\n<thead><tr><th scope=\"col\">check"
          "</th><th scope=\"col\">result</th><th scope=\"col\">points</th><th scope=\"col\">why"
          "</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < result->check_count; i++) {
        const struct grade_check_result *check = &result->checks[i];
        bool passed = check->score == check->check->points;
        char name[GRADE_CHECK_NAME_SIZE];
        fputs("<tr><th scope=\"row\">", out);
        html_put_text(out, grade_check_name(result, check, name), false);
        fprintf(out, "</th><td class=\"%s\">%s</td><td>%d/%d</td><td>", passed ? "ok" : "mark",
                passed ? "PASS" : "FAIL", check->score, check->check->points);
        html_put_text(out, check->detail, false);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
}

static void put_compile(FILE *out, const struct grade_result *result)
{
    fputs("<h2>Compile</h2>\n<pre>", out);
    for (size_t i = 0; result->compile.argv != NULL && result->compile.argv[i] != NULL; i++) {
        if (i > 0)
            fputc(' ', out);
        html_put_text(out, result->compile.argv[i], false);
    }
    fputs("</pre>\n", out);
    if (result->compile.output != NULL && result->compile.output_length > 0) {
        fputs("<pre>", out);
        html_put_text(out, result->compile.output, false);
        fputs("</pre>\n", out);
    }
}

/* A shell exercise: the report of one session's run (its parts name their
 * elements by id, once per page), the first that lost points. */
static int put_session_report(FILE *out, const struct grade_result *result)
{
    const struct grade_session_run *shown = &result->sessions[0];
    for (size_t i = result->check_count; i-- > 0;) /* the first failed check wins */
        if (result->checks[i].score < result->checks[i].check->points &&
            grade_session_run_of(result, result->checks[i].check) != NULL)
            shown = grade_session_run_of(result, result->checks[i].check);
    fputs("<h2>Session <code>", out);
    html_put_text(out, shown->session->name, false);
    fputs("</code>: ", out);
    html_put_text(out, shown->session->about, false);
    fputs("</h2>\n<p>", out);
    if (result->session_count > 1)
        fprintf(out,
                "%zu sessions ran; this is the run of the %s. <code>forklab grade --only "
                "CHECK --format html</code> shows the session of another check.",
                result->session_count,
                shown == &result->sessions[0] ? "first" : "first that lost points");
    fputs("</p>\n<pre>", out);
    html_put_text(out, shown->session->script, false);
    fputs("</pre>\n", out);
    return html_put_report_part(out, &shown->report);
}

int grade_render_html(const struct grade_result *result, FILE *out)
{
    char title[512];
    snprintf(title, sizeof(title), "forklab grade %s: %s", result->exercise->name,
             result->exercise->title);
    html_page_begin(out, title);
    fputs("<h1>", out);
    html_put_text(out, title, false);
    fputs("</h1>\n<p>Submission <code>", out);
    html_put_text(out, result->submission, false);
    fprintf(out, "</code>: <strong class=\"%s\" id=\"score\">score %d/%d</strong>. ",
            result->score == result->max_score ? "ok" : "mark", result->score, result->max_score);
    html_put_text(out, result->explanation != NULL ? result->explanation : "", false);
    fputs("</p>\n", out);
    put_checks(out, result);
    put_compile(out, result);
    int error = 0;
    if (result->ran && result->session_count == 0)
        error = html_put_report_part(out, &result->report);
    else if (result->ran)
        error = put_session_report(out, result);
    html_page_end(out);
    if (error == 0 && (fflush(out) == EOF || ferror(out)))
        error = -EIO;
    return error;
}
