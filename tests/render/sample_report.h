/* Hand-built report records for the renderer tests: what check_run would
 * produce for a clean program and for one that commits several pitfalls. */
#ifndef FORKLAB_TEST_SAMPLE_REPORT_H
#define FORKLAB_TEST_SAMPLE_REPORT_H

#include "core/report.h"

#include <stdio.h>

/* /bin/true: one process, exit 0, no findings, "hello\n" on stdout. */
void sample_clean_report(struct report *report);

/* `sh -c 'sleep 9 & cat'` gone wrong, pids 100..104:
 *   100 /usr/bin/sh        exit 3                         (main)
 *   101 /bin/sleep          stopped by forklab (SIGKILL)   fd_leak, runaway_child
 *   103   (no exec)         exit 0, child of 101
 *   102 /bin/cat            SIGSEGV, core dumped, never waited for: zombie, crash
 *   104 a thread of 100, which no tree shows
 * stdout holds control characters and bytes that are not UTF-8 and was cut by
 * the cap (kept 33 of 5000 bytes); stderr is empty; memory_leak did not run. */
void sample_broken_report(struct report *report);

/* A clean run whose main process (100, created by forklab) started four
 * children, all exit 0 and reaped, from a parent holding 262400 KiB (256
 * MiB) but the last:
 *   101 /bin/true   fork, then only exec: a copying spawn
 *   102 /bin/true   vfork (posix_spawn)
 *   103 (no exec)   fork: a worker using its copy
 *   104 /bin/true   fork, then only exec, from a parent of 2048 KiB */
void sample_spawn_report(struct report *report);

/* Renders with `render` into a string (the caller frees it). */
char *render_to_string(int (*render)(const struct report *, FILE *), const struct report *report);

/* Runs argv (searched in PATH) with stdin from `input_path` and stdout and
 * stderr into `output_path`; returns its exit status, or -1 when it could not
 * run or was killed. */
int run_tool(char *const argv[], const char *input_path, const char *output_path);
/* Whether `name` is an executable in PATH. */
int tool_exists(const char *name);
/* Writes `text` to a new temporary file and returns its malloc'd path. */
char *write_temp_file(const char *text);
/* The whole content of a file, malloc'd and NUL-terminated. */
char *read_whole_file(const char *path);

#endif
