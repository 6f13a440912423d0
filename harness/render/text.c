/* The report for people: the process tree, each finding in plain words with
 * its evidence and lesson, what the target printed, and a one-line summary.
 * Colour follows https://no-color.org; the words are the same without it. */
#include "core/write/visible_text.h"
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A bigger tree (a fork bomb) shows its first processes; json and dot have all. */
#define TREE_PROCESSES_SHOWN 40
/* An evidence value longer than this (a whole tree, say) is cut. */
#define EVIDENCE_BYTES_SHOWN 120

struct style {
    const char *bold, *red, *green, *yellow, *dim, *reset;
};

static const struct style plain = {"", "", "", "", "", ""};
static const struct style coloured = {"\033[1m",  "\033[31m", "\033[32m",
                                      "\033[33m", "\033[2m",  "\033[0m"};

bool render_wants_colour(FILE *out)
{
    const char *no_colour = getenv("NO_COLOR");
    if (no_colour != NULL && no_colour[0] != '\0')
        return false;
    return isatty(fileno(out));
}

/* An argument as a shell would need it typed: bare when it is plain, else in
 * single quotes (a quote inside becomes '\''); made visible either way. */
static void put_shell_word(FILE *out, const char *word)
{
    if (word[0] != '\0' && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-_./=:,+@%") == strlen(word)) {
        visible_text_put_string(out, word);
        return;
    }
    fputc('\'', out);
    for (const char *quote; (quote = strchr(word, '\'')) != NULL; word = quote + 1) {
        visible_text_put(out, word, (size_t)(quote - word));
        fputs("'\\''", out);
    }
    visible_text_put_string(out, word);
    fputc('\'', out);
}

static void put_command_line(FILE *out, const struct report *report)
{
    if (report->argv == NULL || report->argv[0] == NULL) {
        visible_text_put_string(out, report->program ? report->program : "(no program)");
        return;
    }
    for (char **arg = report->argv; *arg != NULL; arg++) {
        if (arg != report->argv)
            fputc(' ', out);
        put_shell_word(out, *arg);
    }
}

/* What kept the program in: its namespaces, then the kernel's limits, then
 * (when the kernel or --no-isolation left a part out) what is missing and
 * why; each within 80 columns but the reason. The numbers that depend on
 * the machine (CPU time scales with its cores) are in --format json. */
static void put_isolation(FILE *out, const struct report_isolation *isolation,
                          const struct style *style)
{
    if (!isolation->recorded)
        return;
    if (!isolation->namespaces)
        fprintf(out, "isolation: %snone: it could see, signal and trace forklab%s\n", style->yellow,
                style->reset);
    else
        fprintf(out, "isolation: its own %sPID and mount namespaces\n",
                isolation->user_namespace ? "user, " : "");
    fputs("kernel limits:", out);
    const char *separator = " ";
    if (isolation->max_tasks > 0) {
        fprintf(out, "%s%ld tasks", separator, isolation->max_tasks);
        separator = ", ";
    }
    if (isolation->memory_mib > 0) {
        fprintf(out, "%s%ld MiB", separator, isolation->memory_mib);
        separator = ", ";
    }
    if (isolation->cpu_seconds > 0)
        fprintf(out, "%sCPU time", separator);
    else if (separator[0] == ' ')
        fputs(" none", out);
    fputc('\n', out);
    if (isolation->missing != NULL) {
        fprintf(out, "%snot isolated: ", style->yellow);
        visible_text_put_string(out, isolation->missing);
        fprintf(out, "%s\n", style->reset);
    }
}

/* ---- the process tree ---------------------------------------------------- */

static void put_finding_kinds_of(FILE *out, const struct report *report, pid_t pid,
                                 const struct style *style)
{
    bool first = true;
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        if (finding->pid != pid)
            continue;
        fprintf(out, "%s%s%s", first ? "  [" : ", ", style->red, finding_kind_name(finding->kind));
        fputs(style->reset, out);
        first = false;
    }
    if (!first)
        fputc(']', out);
}

static void put_process_line(FILE *out, const struct report *report, size_t index, bool is_root,
                             const struct style *style)
{
    const struct process_record *process = &report->processes[index];
    char end[PROCESS_END_SIZE];
    /* Only a big copy is worth a word: every other creation is cheap. */
    bool big_fork = process->created_by == PROCESS_CREATED_FORK &&
                    process->parent_rss_kib >= COPYING_SPAWN_MIN_PARENT_KIB;
    fprintf(out, "%s%d%s ", style->bold, (int)process->pid, style->reset);
    if (process->program_count == 0 && big_fork)
        fprintf(out, "(forked from a %ld MiB parent, no exec)", process->parent_rss_kib / 1024);
    else if (process->program_count == 0)
        fputs("(forked, no exec)", out);
    for (size_t p = 0; p < process->program_count; p++) {
        if (p > 0)
            fputs(" -> ", out);
        visible_text_put_string(out, process->programs[p]);
    }
    bool bad_end = process->end == PROCESS_SIGNALED;
    fprintf(out, ": %s%s%s", bad_end ? style->red : "",
            process_end_describe(process->end, process->code, process->core_dumped, end),
            bad_end ? style->reset : "");
    if (!is_root && process->end != PROCESS_RUNNING && !process->reaped_by_parent)
        fputs(", not waited for by its parent", out);
    if (process->program_count > 0 && big_fork)
        fprintf(out, ", forked from a %ld MiB parent", process->parent_rss_kib / 1024);
    put_finding_kinds_of(out, report, process->pid, style);
    fputc('\n', out);
}

/* What walking the tree needs at every level, and how far it got. */
struct tree_walk {
    FILE *out;
    const struct report *report;
    const long *parents;
    char *prefix; /* "|  " or "   " per level; room for every level */
    const struct style *style;
    size_t shown; /* process lines printed so far */
};

/* Prints a process and, below it, its children, drawn like `pstree -A`. */
static void put_subtree(struct tree_walk *walk, size_t index, size_t prefix_length, bool is_root,
                        bool is_last)
{
    if (walk->shown == TREE_PROCESSES_SHOWN)
        return;
    walk->shown++;
    fprintf(walk->out, "  %s%s", walk->prefix, is_root ? "" : is_last ? "`- " : "+- ");
    put_process_line(walk->out, walk->report, index, is_root, walk->style);

    size_t child_prefix_length = prefix_length;
    if (!is_root) {
        memcpy(walk->prefix + prefix_length, is_last ? "   " : "|  ", 3);
        child_prefix_length += 3;
    }
    walk->prefix[child_prefix_length] = '\0';

    long last_child = -1;
    for (size_t i = index + 1; i < walk->report->process_count; i++)
        if (walk->parents[i] == (long)index)
            last_child = (long)i;
    for (size_t i = index + 1; i < walk->report->process_count; i++)
        if (walk->parents[i] == (long)index)
            put_subtree(walk, i, child_prefix_length, false, (long)i == last_child);
    walk->prefix[prefix_length] = '\0';
}

static size_t count_tree_processes(const struct report *report)
{
    size_t count = 0;
    for (size_t i = 0; i < report->process_count; i++)
        count += !report->processes[i].is_thread;
    return count;
}

static int put_process_tree(FILE *out, const struct report *report, const struct style *style)
{
    struct tree_walk walk = {.out = out,
                             .report = report,
                             .parents = process_parent_indexes(report),
                             .prefix = malloc(3 * report->process_count + 1),
                             .style = style};
    if (walk.parents == NULL || walk.prefix == NULL) {
        free((long *)walk.parents);
        free(walk.prefix);
        return -ENOMEM;
    }
    walk.prefix[0] = '\0';
    fprintf(out, "%sProcesses%s (pid, the programs it ran, how it ended)\n", style->bold,
            style->reset);
    if (report->process_count == 0)
        fputs("  (none recorded)\n", out);
    for (size_t i = 0; i < report->process_count; i++)
        if (!report->processes[i].is_thread && walk.parents[i] < 0)
            put_subtree(&walk, i, 0, true, true);
    size_t total = count_tree_processes(report);
    if (walk.shown < total)
        fprintf(out, "  %s... %zu more processes not shown (--format json or dot has them all)%s\n",
                style->dim, total - walk.shown, style->reset);
    free((long *)walk.parents);
    free(walk.prefix);
    return 0;
}

/* ---- findings ------------------------------------------------------------ */

/* Evidence as key=value pairs; values in JSON notation, so a string shows its
 * quotes and escapes and cannot be mistaken for another field. */
static void put_evidence(FILE *out, const json_t *evidence, const struct style *style)
{
    if (!json_is_object(evidence) || json_object_size(evidence) == 0)
        return;
    fprintf(out, "     %sevidence:%s ", style->dim, style->reset);
    const char *key;
    json_t *value;
    bool first = true;
    json_object_foreach((json_t *)evidence, key, value)
    {
        char *encoded = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
        fputs(first ? "" : ", ", out);
        visible_text_put_string(out, key);
        fputc('=', out);
        const char *shown = encoded ? encoded : "?";
        render_put_cut(out, shown, strlen(shown), EVIDENCE_BYTES_SHOWN);
        free(encoded);
        first = false;
    }
    fputc('\n', out);
}

static void put_findings(FILE *out, const struct report *report, const struct style *style)
{
    if (report->finding_count == 0)
        return;
    fprintf(out, "\n%sFindings%s (%zu)\n", style->bold, style->reset, report->finding_count);
    for (size_t i = 0; i < report->finding_count; i++) {
        const struct finding *finding = &report->findings[i];
        fprintf(out, "  %zu. %s%s%s", i + 1, style->red, finding_kind_name(finding->kind),
                style->reset);
        if (finding->pid > 0)
            fprintf(out, " in pid %d", (int)finding->pid);
        fputs(": ", out);
        visible_text_put_string(out, finding->message);
        fputc('\n', out);
        put_evidence(out, finding->evidence, style);
        fprintf(out, "     %slesson:%s   %s\n", style->dim, style->reset, finding->lesson);
    }
}

/* ---- captured output ----------------------------------------------------- */

static void put_captured(FILE *out, const char *name, const struct captured_output *output,
                         const struct style *style)
{
    if (output->total == 0) {
        fprintf(out, "%s%s%s: nothing\n", style->bold, name, style->reset);
        return;
    }
    fprintf(out, "%s%s%s (%zu bytes", style->bold, name, style->reset, output->total);
    if (output->total > output->length)
        fprintf(out, "; %sforklab kept %zu of them, the rest was dropped%s", style->yellow,
                output->length, style->reset);
    fputs(")\n", out);

    render_put_output_lines(out, output->data, output->length, style->dim, style->reset);
}

/* ---- summary ------------------------------------------------------------- */

static void put_summary(FILE *out, const struct report *report, const struct style *style)
{
    for (int kind = 0; kind < FINDING_KIND_COUNT; kind++)
        if (!report_kind_checked(report, kind))
            fprintf(out, "%snot checked: %s, %s%s\n", style->dim, finding_kind_name(kind),
                    finding_kind_skip_reason(kind), style->reset);
    if (report_is_incomplete(report)) {
        char incomplete[FACTS_LOST_SIZE];
        fprintf(out, "%s%s%s\n", style->red, facts_lost_describe(report->facts_lost, incomplete),
                style->reset);
    }

    size_t processes = count_tree_processes(report);
    if (report->finding_count == 0) {
        fprintf(out, "%sforklab: no findings%s", style->green, style->reset);
    } else {
        fprintf(out, "%sforklab: %zu finding%s%s (", style->red, report->finding_count,
                report->finding_count == 1 ? "" : "s", style->reset);
        bool first = true;
        for (int kind = 0; kind < FINDING_KIND_COUNT; kind++) {
            size_t count = report_count_kind(report, kind);
            if (count == 0)
                continue;
            fprintf(out, "%s%zu %s", first ? "" : ", ", count, finding_kind_name(kind));
            first = false;
        }
        fputc(')', out);
    }
    char end[PROCESS_END_SIZE];
    fprintf(out, " in %zu process%s; main program: %s after %ld ms\n", processes,
            processes == 1 ? "" : "es", report_main_end_describe(report, end), report->duration_ms);
}

int render_text_with(const struct report *report, FILE *out, const struct text_options *options)
{
    const struct style *style = options->colour ? &coloured : &plain;
    fprintf(out, "%sforklab check:%s ", style->bold, style->reset);
    put_command_line(out, report);
    fputc('\n', out);
    put_isolation(out, &report->isolation, style);
    fputc('\n', out);
    if (put_process_tree(out, report, style) < 0)
        return -ENOMEM;
    put_findings(out, report, style);
    fputc('\n', out);
    if (options->fds == FDS_VIEW_ALWAYS ||
        (options->fds == FDS_VIEW_AUTO && render_fds_wanted(report))) {
        if (render_fds_text(report, out, options->colour) < 0)
            return -ENOMEM;
        fputc('\n', out);
    }
    put_captured(out, "stdout", &report->out, style);
    put_captured(out, "stderr", &report->err, style);
    fputc('\n', out);
    put_summary(out, report, style);
    if (fflush(out) == EOF || ferror(out))
        return -EIO;
    return 0;
}

int render_text_styled(const struct report *report, FILE *out, bool colour)
{
    struct text_options options = {.colour = colour, .fds = FDS_VIEW_AUTO};
    return render_text_with(report, out, &options);
}

int render_text(const struct report *report, FILE *out)
{
    return render_text_styled(report, out, render_wants_colour(out));
}
