/* The HTML report: one self-contained page (no network, no script to run,
 * no external font) that a browser shows without JavaScript. The parts are
 * shared with the grader's page (grade/render/html.c), which wraps them with
 * its score. Every id a link points to is made here:
 *   proc-I          a process's section (I: its index in the report)
 *   proc-I-node     its node in the tree
 *   proc-I-e-K      its descriptor table at event K
 *   proc-I-e-K-fd-N one descriptor of that table
 *   pipe-INODE      a pipe's row in the table of pipes
 *   finding-N       a finding (N from 1) */
#ifndef FORKLAB_HTML_H
#define FORKLAB_HTML_H

#include "core/report.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Text escaped for an element's content (`in_attribute` false) or a
 * double-quoted attribute; bytes that are not UTF-8 and control characters
 * become U+FFFD. */
void html_put_text(FILE *out, const char *text, bool in_attribute);

/* <!DOCTYPE html> up to the opening of <main>, with the page's style. */
void html_page_begin(FILE *out, const char *title);
/* Closes <main> and the page. */
void html_page_end(FILE *out);

/* The sections of a report, headings from <h2> on: at a glance, the tree
 * and timeline, findings, descriptor tables, pipes, output; then the JSON
 * report in a <script type="application/json" id="forklab-report"> block
 * (data, never run), so that a reader of the page has the record too.
 * Returns 0, -ENOMEM or -EIO. */
int html_put_report(FILE *out, const struct report *report);
/* The same inside another page (the grader's): the run's heading is an <h2>
 * instead of the page's <h1>. */
int html_put_report_part(FILE *out, const struct report *report);

/* ---- the parts (render/html_*.c) ------------------------------------------ */

/* The process tree and the timeline of each process, as one inline SVG. */
int html_put_tree(FILE *out, const struct report *report, const long *parents);
/* Each process's section: its facts and its descriptor tables. */
void html_put_processes(FILE *out, const struct report *report, const long *parents);
/* Every pipe, with links to the rows that hold each of its ends. */
void html_put_pipes(FILE *out, const struct report *report);
/* What the processes blocked at the timeout waited on, and who kept them
 * waiting, in words, linked to the rows. Nothing when none was blocked. */
void html_put_glance(FILE *out, const struct report *report);

/* The index of the process record of `pid` (the newest), or -1. */
long html_process_index(const struct report *report, pid_t pid);
/* The index in its process's events of the timeout table holding `fd` of
 * `pid`, or -1. */
long html_timeout_table(const struct report *report, long process, int fd);
/* The last program a process ran, or "(forked, no exec)". */
const char *html_program_of(const struct process_record *process);

#endif
