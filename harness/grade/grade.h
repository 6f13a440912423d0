/* Grading one submission of one exercise: compile it with the project's
 * flags, run it under the harness (check_run) and score each manifest check.
 * One struct grade_result holds it all; the renderers only read it. */
#ifndef FORKLAB_GRADE_H
#define FORKLAB_GRADE_H

#include "kit/kit.h"
#include "kit/manifest.h"
#include "core/report.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Bytes kept of the program's stdout and of its stderr: enough to compare
 * any expected output, small enough that a flood costs nothing. */
#define GRADE_OUTPUT_CAP (64 * 1024)
/* A compiler that takes longer than this is stuck (or fed something huge). */
#define GRADE_COMPILE_TIMEOUT_MS 60000
/* Who runs a submission's program when root grades and names no one. */
#define GRADE_DEFAULT_RUN_AS "nobody"
/* Bytes kept of the compiler's messages. */
#define GRADE_COMPILE_OUTPUT_CAP (64 * 1024)

struct grade_options {
    const struct kit *kit;                   /* programs run in kit->root */
    const struct manifest_pitfall *exercise; /* its checks, run and expected output */
    const char *submission;                  /* a .c file, or a folder of .c files */
    const char *shown_as;    /* how the grade names the submission (NULL: `submission`) */
    long timeout_ms;         /* 0: the exercise's run.timeout */
    long max_procs;          /* 0: the harness's default */
    long compile_timeout_ms; /* 0: GRADE_COMPILE_TIMEOUT_MS */
    /* The kernel's memory limit on the compiler, and on the program (0:
     * none; grade_options_init sets check's default). */
    long max_memory_mib;
    bool valgrind; /* also run the valgrind pass */
    /* Run the program as run_uid:run_gid (root only). The compiler still
     * runs as the caller: it is trusted, and reads only the private copy. */
    bool run_as;
    uid_t run_uid;
    gid_t run_gid;
    const char *only_check; /* NULL: every check; else score this one only */
};

void grade_options_init(struct grade_options *options);

/* How far grading got. A submission that did not run scores 0. */
enum grade_status {
    GRADE_GRADED,         /* compiled and ran: each check scored */
    GRADE_NO_SOURCE,      /* nothing to compile (an empty folder, not a .c file) */
    GRADE_COMPILE_FAILED, /* the compiler refused it (errors, warnings, no main...) */
    /* It ran, but its report lost facts (report.facts_lost): each check is
     * scored from what was recorded, and a passing one may have missed a
     * finding. Grade it again before trusting the score. */
    GRADE_INCOMPLETE,
};

/* "graded", "no_source", "compile_failed", "incomplete". */
const char *grade_status_name(enum grade_status status);

/* The compile step, as run. The compiler runs in the submission's folder
 * with the sources named relative to it, so that its messages name the
 * student's files as the student knows them ("alice.c:7:"), never a path of
 * the grader's. */
struct grade_compile {
    /* The compiler's command line, NULL-terminated, as the student would
     * type it in the submission's folder: the program's temporary folder is
     * left out of -o once grading is over. */
    char **argv;
    char *output; /* its messages (stdout and stderr together), NUL-terminated */
    size_t output_length;
    bool ok; /* exit 0 and a program was written */
};

struct grade_check_result {
    const struct manifest_check *check; /* in the manifest the options named */
    int score;                          /* 0 or check->points */
    char *detail;                       /* why, for the student: one or a few lines */
    /* It failed only because the run timed out (grade_follows_from_timeout):
     * it scores 0, or keeps its points when the check is folded. */
    bool timeout_consequence;
};

struct grade_result {
    const struct manifest_pitfall *exercise;
    char *submission; /* as given */
    enum grade_status status;
    char *explanation; /* one line: what happened overall */
    struct grade_compile compile;
    bool ran;             /* `report` holds a run (or `sessions` their runs) */
    struct report report; /* the harness's report of the run (empty with sessions) */
    /* A shell exercise's sessions that ran, each with its own report
     * (grade/sessions.h); the exercise's one run is then not made. */
    struct grade_session_run *sessions;
    size_t session_count;
    struct grade_check_result *checks;
    size_t check_count;
    int score, max_score;
    long duration_ms; /* compile and run */
};

void grade_result_init(struct grade_result *result);
void grade_result_free(struct grade_result *result);

/* Grades one submission. Returns 0 when it was graded, whatever the score
 * (a submission that does not compile is graded: 0 points, with the
 * compiler's messages). Returns a negative errno when grading itself failed
 * (no compiler, out of memory, the harness could not start), with a one-line
 * reason in `why`. While the program runs the working directory is the
 * kit's root (for a shell exercise, each session's own fresh folder); it is
 * restored before returning. When it returns, no process
 * the submission or the compiler started exists. As for check_run, the
 * calling process must have no other children meanwhile: the compile and
 * the run each end by reaping whatever is left below it. */
int grade_submission(const struct grade_options *options, struct grade_result *result, char *why,
                     size_t why_size);

/* ---- the steps (grade/compile.c, grade/score.c) ------------------------- */

/* Copies `submission` into `into`, a private folder of the grader's (0700):
 * a file as into/NAME, a folder's regular files and subfolders as they are
 * (links and special files are left out). `copy` gets what to grade:
 * into/NAME, `into` for a folder, or "" when the submission is neither.
 * Returns 0, or a negative errno with `why` (-EFBIG: more than a grader
 * copies). */
int grade_copy_submission(const char *submission, const char *into, char *copy, size_t copy_size,
                          char *why, size_t why_size);
/* Removes `path` and everything under it, links not followed. */
void grade_remove_tree(const char *path);

/* Builds `source` (the copy of the submission; NULL when it is neither a
 * file nor a folder) into `program` (an absolute path the caller chose)
 * and fills result->compile, or sets result->status to GRADE_NO_SOURCE or
 * GRADE_COMPILE_FAILED; messages name the submission as result->submission. The compiler (`cc`,
 * found in PATH) runs in a process group of its own; past the time limit the whole group is killed
 * (cc1, as, ld with the driver), and when this returns no process of the compiler exists. Returns
 * 0, or a negative errno when the compiler could not be run at all. */
int grade_compile(const struct grade_options *options, const char *source, const char *program,
                  struct grade_result *result, char *why, size_t why_size);

/* Runs `argv` under the harness (check_run) with the working directory
 * `dir` and stdin `stdin_path` (relative to `dir`; NULL: /dev/null), with
 * the limits, user and valgrind pass the options ask for; fills `report`.
 * Returns 0 or check_run's negative errno, with `why`. */
int grade_check_in(const struct grade_options *options, char *const *argv, const char *stdin_path,
                   const char *dir, struct report *report, char *why, size_t why_size);

/* Scores each check of the exercise against result->report (or gives 0 to
 * each when the program did not run), sets score and max_score, and the
 * explanation of a submission that ran (the hang's cause first, when it
 * hung), or GRADE_INCOMPLETE when its report lost facts. Returns 0 or
 * -ENOMEM. */
int grade_score(const struct grade_options *options, struct grade_result *result);

/* ---- a run that timed out (grade/consequences.c) --------------------------- */

/* The run's timeout finding, or NULL when it ended in time. */
const struct finding *grade_timeout(const struct report *report);
/* Whether `finding` only follows from the timeout instead of causing it: a
 * zombie whose parent was still running when the harness stopped the run,
 * unless the hang's own cause is that parent's unreaped child. */
bool grade_follows_from_timeout(const struct report *report, const struct finding *finding);
/* Whether the main program was stopped at the timeout, before its end: its
 * exit code, and the output it had still to print, are the hang's. */
bool grade_stopped_by_timeout(const struct report *report);
/* A sentence that sends a student from a consequence to the hang's cause:
 * the exercise's timeout check and the timeout's lesson. */
void grade_put_timeout_cause(const struct grade_result *result, FILE *why);
/* "the program hung and was stopped at its time limit of 2.0 s (the cause:
 * LESSON)", with no pid, for the one-line explanation; nothing without a
 * timeout. */
void grade_describe_timeout(const struct report *report, FILE *out);

/* What a check tests, in a few words: "no zombie finding", "prints the
 * expected output"; written to `buffer`, which is returned. */
const char *grade_check_title(const struct manifest_check *check,
                              const struct manifest_pitfall *exercise, char *buffer, size_t size);

/* The task of an exercise (grade/task.c): its text from the manifest, then
 * each check with its points and title. */
void grade_put_task(const struct manifest_pitfall *exercise, FILE *out);

/* The sum of the points of the exercise's checks (of `only_check` alone when
 * not NULL; -1 when no check has that id). */
int grade_max_score(const struct manifest_pitfall *exercise, const char *only_check);

#endif
