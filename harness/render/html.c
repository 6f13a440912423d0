/* `forklab check --format html`: the page, its summary, the findings (each
 * pid they name a link to that process, each event to its table) and the
 * captured output. The tree, the tables and the pipes are in html_*.c. */
#include "render/html.h"
#include "render/render.h"
#include "render/suite/xml_escape.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void html_put_text(FILE *out, const char *text, bool in_attribute)
{
    xml_put_escaped(out, text, strlen(text), in_attribute);
}

/* Colours are never the only sign: every mark also has words. */
static const char page_style[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:0 1rem 3rem;"
    "color:#1b1b1b;background:#fff}\n"
    "code,pre,.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px}\n"
    "pre{background:#f5f5f2;border:1px solid #ddd;padding:.5rem;overflow-x:auto;"
    "white-space:pre-wrap}\n"
    "a{color:#0645ad}a:focus,a:focus-visible{outline:3px solid #f6a800;outline-offset:2px}\n"
    ".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff}\n"
    "nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0}\n"
    "table{border-collapse:collapse;margin:.5rem 0 1rem}caption{text-align:left;font-weight:600}"
    "\nth,td{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}\n"
    "tr.waits td,tr.holds td{background:#fde8e8}tr:target td{outline:2px solid #f6a800}\n"
    ".mark{color:#b00020;font-weight:700}.ok{color:#17692b;font-weight:700}\n"
    ".glance{border-left:6px solid #b00020;background:#fff4f4;padding:.5rem 1rem}\n"
    ".process{border-top:1px solid #ddd;margin-top:1rem}\n"
    ".finding{margin-bottom:.8rem}.kind{font-weight:700;color:#b00020}\n"
    "svg{max-width:100%;height:auto}svg a:focus rect{stroke:#f6a800;stroke-width:4}\n"
    "dl{display:grid;grid-template-columns:max-content auto;gap:0 1rem}dt{font-weight:600}"
    "dd{margin:0}\n"
    "@media (prefers-color-scheme:dark){body{background:#161616;color:#e8e8e8}"
    "pre{background:#222;border-color:#444}a{color:#8ab4f8}"
    "tr.waits td,tr.holds td{background:#4a1f1f}.glance{background:#2a1717}}\n";

void html_page_begin(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"forklab\">\n<title>",
          out);
    html_put_text(out, title, false);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", page_style);
    fputs("<a class=\"skip\" href=\"#main\">Skip to the report</a>\n<main id=\"main\">\n", out);
}

void html_page_end(FILE *out)
{
    fputs("</main>\n</body>\n</html>\n", out);
}

long html_process_index(const struct report *report, pid_t pid)
{
    for (size_t i = report->process_count; i-- > 0;)
        if (report->processes[i].pid == pid && !report->processes[i].is_thread)
            return (long)i;
    return -1;
}

const char *html_program_of(const struct process_record *process)
{
    return process->program_count ? process->programs[process->program_count - 1]
                                  : "(forked, no exec)";
}

/* ---- findings ------------------------------------------------------------ */

/* Writes a finding's message with each "pid N" that names a process of the
 * report as a link to it. */
static void put_linked_message(FILE *out, const struct report *report, const char *message)
{
    const char *at = message;
    for (;;) {
        const char *found = strstr(at, "pid ");
        if (found == NULL || !isdigit((unsigned char)found[4])) {
            if (found == NULL) {
                html_put_text(out, at, false);
                return;
            }
            xml_put_escaped(out, at, (size_t)(found + 4 - at), false);
            at = found + 4;
            continue;
        }
        xml_put_escaped(out, at, (size_t)(found - at), false);
        char *end;
        long pid = strtol(found + 4, &end, 10);
        long index = html_process_index(report, (pid_t)pid);
        if (index >= 0)
            fprintf(out, "<a href=\"#proc-%ld\">pid %ld</a>", index, pid);
        else
            fprintf(out, "pid %ld", pid);
        at = end;
    }
}

static bool put_timeout_links(FILE *out, const struct report *report, bool any);

/* Links to the tables a finding's evidence names: the exec or exit an
 * fd_leak was seen at, the timeout tables of the processes that waited. */
static void put_event_links(FILE *out, const struct report *report, const struct finding *finding)
{
    const char *when = json_string_value(json_object_get(finding->evidence, "when"));
    json_t *pid_value = json_object_get(finding->evidence, "pid");
    long index = json_is_integer(pid_value)
                     ? html_process_index(report, (pid_t)json_integer_value(pid_value))
                     : html_process_index(report, finding->pid);
    bool any = false;
    if (index >= 0) {
        const struct process_record *process = &report->processes[index];
        enum process_event_kind wanted =
            when != NULL && strcmp(when, "exit") == 0 ? PROCESS_EVENT_EXIT : PROCESS_EVENT_EXEC;
        json_t *fd = json_object_get(finding->evidence, "fd");
        const char *program = json_string_value(json_object_get(finding->evidence, "program"));
        for (size_t e = 0; when != NULL && e < process->event_count; e++) {
            const struct process_event *event = &process->events[e];
            if (event->kind != wanted || !event->has_fds ||
                (program != NULL && event->program != NULL && strcmp(program, event->program)))
                continue;
            fprintf(out, "%s<a href=\"#proc-%ld-e-%zu", any ? ", " : " Seen in: ", index, e);
            if (json_is_integer(fd))
                fprintf(out, "-fd-%lld", (long long)json_integer_value(fd));
            fprintf(out, "\">the table of pid %d %s</a>", (int)process->pid,
                    wanted == PROCESS_EVENT_EXIT ? "at its exit" : "after its exec");
            any = true;
            break;
        }
    }
    if (finding->kind == FINDING_TIMEOUT)
        any = put_timeout_links(out, report, any);
    if (any)
        fputc('.', out);
}

/* Links to the timeout table of each process that was blocked. */
static bool put_timeout_links(FILE *out, const struct report *report, bool any)
{
    for (size_t i = 0; i < report->process_count; i++) {
        const struct process_record *process = &report->processes[i];
        for (size_t e = 0; process->waiting.valid && e < process->event_count; e++)
            if (process->events[e].kind == PROCESS_EVENT_TIMEOUT) {
                fprintf(out, "%s<a href=\"#proc-%zu-e-%zu\">what pid %d held at the timeout</a>",
                        any ? ", " : " Seen in: ", i, e, (int)process->pid);
                any = true;
            }
    }
    return any;
}

static void put_findings(FILE *out, const struct report *report)
{
    fprintf(out,
            "<section id=\"findings\" aria-labelledby=\"findings-h\">\n"
            "<h2 id=\"findings-h\">Findings (%zu)</h2>\n",
            report->finding_count);
    if (report->finding_count == 0) {
        fputs("<p class=\"ok\">No findings.</p>\n</section>\n", out);
        return;
    }
    fputs("<ol>\n", out);
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        long index = html_process_index(report, finding->pid);
        fprintf(out, "<li class=\"finding\" id=\"finding-%zu\" data-kind=\"%s\" data-pid=\"%d\">",
                i + 1, finding_kind_name(finding->kind), (int)finding->pid);
        fprintf(out, "<span class=\"kind\">%s</span>", finding_kind_name(finding->kind));
        if (index >= 0)
            fprintf(out, " in <a class=\"process-link\" href=\"#proc-%ld\">pid %d</a>", index,
                    (int)finding->pid);
        fputs(": ", out);
        put_linked_message(out, report, finding->message);
        fputs(".", out);
        put_event_links(out, report, finding);
        fputs(" Lesson: <code>", out);
        html_put_text(out, finding->lesson, false);
        fputs("</code>", out);
        char *evidence = json_dumps(finding->evidence, JSON_INDENT(1) | JSON_SORT_KEYS);
        if (evidence != NULL) {
            fputs("<details><summary>Evidence</summary><pre>", out);
            html_put_text(out, evidence, false);
            fputs("</pre></details>", out);
            free(evidence);
        }
        fputs("</li>\n", out);
    }
    fputs("</ol>\n</section>\n", out);
}

/* ---- summary and output -------------------------------------------------- */

static void put_summary(FILE *out, const struct report *report, bool whole_page)
{
    fputs(whole_page ? "<h1>forklab check: <code>" : "<h2 id=\"run\">The run: <code>", out);
    for (size_t i = 0; report->argv != NULL && report->argv[i] != NULL; i++) {
        if (i > 0)
            fputc(' ', out);
        html_put_text(out, report->argv[i], false);
    }
    fputs(whole_page ? "</code></h1>\n<p id=\"summary\">" : "</code></h2>\n<p id=\"summary\">",
          out);
    size_t processes = 0;
    for (size_t i = 0; i < report->process_count; i++)
        processes += !report->processes[i].is_thread;
    if (report->finding_count == 0)
        fputs("<span class=\"ok\">No findings</span>", out);
    else
        fprintf(out, "<span class=\"mark\">%zu finding%s</span>", report->finding_count,
                report->finding_count == 1 ? "" : "s");
    char end[PROCESS_END_SIZE];
    fprintf(out, " in %zu process%s; main program: %s after %ld ms.", processes,
            processes == 1 ? "" : "es",
            process_end_describe(report->main_end, report->main_code,
                                 report_main_core_dumped(report), end),
            report->duration_ms);
    if (report_is_incomplete(report))
        fprintf(out,
                " <span class=\"mark\">Incomplete: %zu fact%s of this run could not be "
                "recorded (out of memory).</span>",
                report->facts_lost, report->facts_lost == 1 ? "" : "s");
    fputs("</p>\n<nav aria-label=\"Sections\"><ul><li><a href=\"#tree\">Processes and "
          "timeline</a></li><li><a href=\"#findings\">Findings</a></li><li><a "
          "href=\"#processes\">Descriptor tables</a></li><li><a href=\"#pipes\">Pipes</a></li>"
          "<li><a href=\"#output\">Output</a></li></ul></nav>\n",
          out);
}

static void put_captured(FILE *out, const char *name, const struct captured_output *output)
{
    fprintf(out, "<h3>%s</h3>\n", name);
    if (output->total == 0) {
        fputs("<p>Nothing.</p>\n", out);
        return;
    }
    fprintf(out, "<p>%zu bytes", output->total);
    if (output->total > output->length)
        fprintf(out, "; forklab kept %zu of them, the rest was dropped", output->length);
    fputs(".</p>\n<pre>", out);
    xml_put_escaped(out, output->data ? output->data : "", output->length, false);
    fputs("</pre>\n", out);
}

static int put_embedded_json(FILE *out, const struct report *report)
{
    json_t *root = report_to_json(report);
    if (root == NULL)
        return -ENOMEM;
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (text == NULL)
        return -ENOMEM;
    /* No '<' at all inside the block (JSON has it only in strings, where
     * \u003c means the same): neither "</script>" nor "<!--" can change
     * where the block ends, whatever the program printed. */
    fputs("<script type=\"application/json\" id=\"forklab-report\">", out);
    for (const char *c = text; *c != '\0'; c++)
        if (*c == '<')
            fputs("\\u003c", out);
        else
            fputc(*c, out);
    fputs("</script>\n", out);
    free(text);
    return 0;
}

static int put_report(FILE *out, const struct report *report, bool whole_page)
{
    long *parents = process_parent_indexes(report);
    if (parents == NULL)
        return -ENOMEM;
    put_summary(out, report, whole_page);
    html_put_glance(out, report);
    int error = html_put_tree(out, report, parents);
    if (error == 0) {
        put_findings(out, report);
        html_put_processes(out, report, parents);
        html_put_pipes(out, report);
        fputs("<section id=\"output\" aria-labelledby=\"output-h\">\n"
              "<h2 id=\"output-h\">What the program printed</h2>\n",
              out);
        put_captured(out, "stdout", &report->out);
        put_captured(out, "stderr", &report->err);
        fputs("</section>\n", out);
        error = put_embedded_json(out, report);
    }
    free(parents);
    if (error == 0 && (fflush(out) == EOF || ferror(out)))
        error = -EIO;
    return error;
}

int html_put_report(FILE *out, const struct report *report)
{
    return put_report(out, report, true);
}

int html_put_report_part(FILE *out, const struct report *report)
{
    return put_report(out, report, false);
}

int render_html(const struct report *report, FILE *out)
{
    char title[512];
    snprintf(title, sizeof(title), "forklab check: %s", report->program ? report->program : "");
    html_page_begin(out, title);
    int error = html_put_report(out, report);
    html_page_end(out);
    if (error == 0 && (fflush(out) == EOF || ferror(out)))
        error = -EIO;
    return error;
}
