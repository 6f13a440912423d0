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
#include <sys/types.h>

/* Bytes kept of the program's stdout and of its stderr: enough to compare
 * any expected output, small enough that a flood costs nothing. */
#define GRADE_OUTPUT_CAP (64 * 1024)
/* A compiler that takes longer than this is stuck (or fed something huge). */
#define GRADE_COMPILE_TIMEOUT_MS 60000
/* Bytes kept of the compiler's messages. */
#define GRADE_COMPILE_OUTPUT_CAP (64 * 1024)

struct grade_options {
    const struct kit *kit;                   /* programs run in kit->root */
    const struct manifest_pitfall *exercise; /* its checks, run and expected output */
    const char *submission;                  /* a .c file, or a folder of .c files */
    long timeout_ms;                         /* 0: the exercise's run.timeout */
    long max_procs;                          /* 0: the harness's default */
    long compile_timeout_ms;                 /* 0: GRADE_COMPILE_TIMEOUT_MS */
    long max_memory_mib;    /* the kernel's memory limit on the compiler, and on the program
                             * (0: none; grade_options_init sets check's default) */
    bool valgrind;          /* also run the valgrind pass */
    bool run_as;            /* run the program as run_uid:run_gid (root only; not with valgrind) */
    uid_t run_uid;          /* the compiler still runs as the caller: it is trusted, */
    gid_t run_gid;          /* and it reads the submission wherever it is */
    const char *only_check; /* NULL: every check; else score this one only */
};

void grade_options_init(struct grade_options *options);

/* How far grading got. Every status but GRADE_GRADED scores 0. */
enum grade_status {
    GRADE_GRADED,         /* compiled and ran: each check scored */
    GRADE_NO_SOURCE,      /* nothing to compile (an empty folder, not a .c file) */
    GRADE_COMPILE_FAILED, /* the compiler refused it (errors, warnings, no main...) */
};

/* "graded", "no_source", "compile_failed". */
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
};

struct grade_result {
    const struct manifest_pitfall *exercise;
    char *submission; /* as given */
    enum grade_status status;
    char *explanation; /* one line: what happened overall */
    struct grade_compile compile;
    bool ran;             /* `report` holds a run */
    struct report report; /* the harness's report of the run */
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
 * kit's root; it is restored before returning. When it returns, no process
 * the submission or the compiler started exists. As for check_run, the
 * calling process must have no other children meanwhile: the compile and
 * the run each end by reaping whatever is left below it. */
int grade_submission(const struct grade_options *options, struct grade_result *result, char *why,
                     size_t why_size);

/* ---- the steps (grade/compile.c, grade/score.c) ------------------------- */

/* Builds the submission into `program` (an absolute path the caller chose)
 * and fills result->compile, or sets result->status to GRADE_NO_SOURCE or
 * GRADE_COMPILE_FAILED. The compiler (`cc`, found in PATH) runs in a process
 * group of its own; past the time limit the whole group is killed (cc1, as,
 * ld with the driver), and when this returns no process of the compiler
 * exists. Returns 0, or a negative errno when the compiler could not be run
 * at all. */
int grade_compile(const struct grade_options *options, const char *program,
                  struct grade_result *result, char *why, size_t why_size);

/* Scores each check of the exercise against result->report (or gives 0 to
 * each when the program did not run) and sets score and max_score. Returns 0
 * or -ENOMEM. */
int grade_score(const struct grade_options *options, struct grade_result *result);

/* What a check tests, in a few words: "no zombie finding", "prints the
 * expected output"; written to `buffer`, which is returned. */
const char *grade_check_title(const struct manifest_check *check,
                              const struct manifest_pitfall *exercise, char *buffer, size_t size);

/* The sum of the points of the exercise's checks (of `only_check` alone when
 * not NULL; -1 when no check has that id). */
int grade_max_score(const struct manifest_pitfall *exercise, const char *only_check);

#endif
