/* Grading a shell: the exercise's sessions (kit/manifest_session.h), each a
 * script the submission reads on stdin in a fresh folder under the harness;
 * what each left behind (its report, the files it wrote, what the probe
 * `forklab children` saw at each probe line), and the checks only a
 * session has: "files" and "children". */
#ifndef FORKLAB_GRADE_SESSIONS_H
#define FORKLAB_GRADE_SESSIONS_H

#include "grade/grade.h"

#include <stdio.h>

/* The name of the probe's log in a session's folder, and of the copy of
 * the forklab binary the probe lines run. */
#define SESSION_PROBE_LOG  ".forklab-children"
#define SESSION_PROBE_COPY ".forklab"

/* A file as the session left it. */
struct session_file {
    char *content; /* NULL: missing, or not a regular file */
    size_t length;
    bool too_big; /* more than GRADE_OUTPUT_CAP bytes: only the start was kept */
};

struct grade_session_run {
    const struct manifest_session *session;
    struct report report;
    struct session_file *written;  /* one per session->outputs, in order */
    struct session_file probe_log; /* one line per probe line the shell reached */
};

/* Runs the sessions of the exercise that options->only_check needs (every
 * one when NULL) with the built `program`, each in a new folder inside the
 * grader's private `folder`, and fills result->sessions. Returns 0, or a
 * negative errno with `why` when a session could not be run at all. */
int grade_run_sessions(const struct grade_options *options, const char *program, const char *folder,
                       struct grade_result *result, char *why, size_t why_size);

void grade_sessions_free(struct grade_result *result);

/* The run of the session a check grades; NULL when it has none (or did not run). */
const struct grade_session_run *grade_session_run_of(const struct grade_result *result,
                                                     const struct manifest_check *check);

/* The "files" check: every file the session must write holds what it must. */
bool grade_files_pass(const struct grade_session_run *run, FILE *why);
/* The "children" check: at every probe line the shell had no child left,
 * and the probe ran exactly once for each. */
bool grade_children_pass(const struct grade_session_run *run, FILE *why);

#endif
