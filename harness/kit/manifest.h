/* The pitfall manifest (pitfalls/manifest.json), loaded into plain structs:
 * the single source of truth the tests, the grader and the CLI read. */
#ifndef FORKLAB_MANIFEST_H
#define FORKLAB_MANIFEST_H

#include "core/finding_instance.h"
#include "core/report.h"
#include "kit/manifest_session.h"

#include <stdbool.h>
#include <stddef.h>

/* The manifest's path inside the repository. */
#define MANIFEST_PATH "pitfalls/manifest.json"

/* What one grader check looks at. */
enum manifest_test {
    MANIFEST_TEST_NO_FINDING,  /* no finding of `kind` */
    MANIFEST_TEST_NO_FINDINGS, /* no finding at all */
    MANIFEST_TEST_STDOUT,      /* stdout equals the fixed program's expected stdout */
    MANIFEST_TEST_EXIT,        /* exit code equals the fixed program's expected one */
    /* no process forked from a parent of COPYING_SPAWN_MIN_PARENT_KIB or more
     * only to exec (process_record_is_copying_spawn) */
    MANIFEST_TEST_NO_COPYING_SPAWN,
    MANIFEST_TEST_FILES,    /* (a session) the files it wrote hold what they must */
    MANIFEST_TEST_CHILDREN, /* (a session) no child left unreaped at each probe line */
};

/* "no_finding", "no_findings", "stdout", "exit", "no_copying_spawn", "files",
 * "children". */
const char *manifest_test_name(enum manifest_test test);

/* What shows the broken program's pitfall besides its findings: for a
 * pitfall that lives in the program's own memory, where the harness cannot
 * look (stdio buffers copied by fork), only the output shows it; for one
 * that only costs time (fork from a big process), how its children were
 * created shows it. */
enum manifest_behaviour {
    MANIFEST_BEHAVIOUR_NONE,           /* the findings alone show it */
    MANIFEST_BEHAVIOUR_STDOUT_DIFFERS, /* its stdout differs from the fixed program's */
    /* it starts a program by fork() from a big parent, then exec: a process
     * of its run is a copying spawn (process_record_is_copying_spawn) */
    MANIFEST_BEHAVIOUR_COPYING_SPAWN,
};

struct manifest_check {
    char *id; /* e.g. "no-zombie", unique within its pitfall */
    enum manifest_test test;
    enum finding_kind kind; /* for MANIFEST_TEST_NO_FINDING only */
    /* For MANIFEST_TEST_NO_FINDING: NULL, no finding of `kind` at all; else
     * no mistake of this sort within it (a close(-1), but a second close
     * is another check). */
    const struct finding_instance *instance;
    int points; /* >= 0 */
    /* When the run timed out and this check fails only as a consequence
     * (a child left unreaped because its parent was still blocked), it
     * keeps its points: the timeout check's points pay for the hang once.
     * Else (the default) it scores 0 and says that it follows from the
     * timeout. Only a no_finding check of kind zombie may say so. */
    bool folded_after_timeout;
    /* The session whose run it judges (its stdout, exit and files stand in
     * for the exercise's); NULL: the exercise's one run. */
    const struct manifest_session *session;
};

/* Whether the lines of stdout must come in the expected order. */
enum manifest_line_order {
    MANIFEST_LINES_ORDERED,   /* "ordered", the default */
    MANIFEST_LINES_UNORDERED, /* "unordered": the same lines, in any order */
};

struct manifest_pitfall {
    char *name;  /* "03-zombies": the name of its lesson, program and solution */
    char *title; /* one line */
    /* What the student must make the program do, every graded expectation
     * in words, exit status included (NULL when the manifest has none). */
    char *task;
    char *lesson; /* paths relative to the repository root */
    char *broken;
    char *fixed;
    char **args; /* extra arguments, NULL-terminated (may be empty) */
    size_t arg_count;
    char *stdin_path; /* NULL: /dev/null */
    long timeout_ms;  /* what to pass as --timeout */
    /* The exact set of finding kinds the broken program produces: bit 1 << kind.
     * Empty only when broken_behaviour says what shows the pitfall instead. */
    unsigned broken_kinds;
    enum manifest_behaviour broken_behaviour;
    char *expected_stdout; /* of the fixed program */
    size_t expected_stdout_length;
    enum manifest_line_order stdout_order;
    /* NULL, or one POSIX extended regular expression per line of
     * expected_stdout, that the whole line must match instead of equal it. */
    char **stdout_patterns;
    size_t stdout_pattern_count;
    int expected_exit; /* of the fixed program */
    /* Why that exit code, when it is not 0: "because a step failed" (NULL
     * when the manifest gives no reason). */
    char *exit_why;
    char **hints; /* from a nudge to nearly the answer */
    size_t hint_count;
    struct manifest_check *checks;
    size_t check_count;
    /* A shell exercise is graded by sessions instead of one run; its `args`,
     * `stdin_path` and expected output are then those of its demo run. */
    struct manifest_session *sessions;
    size_t session_count;
};

struct manifest {
    struct manifest_pitfall *pitfalls; /* in lesson order */
    size_t count;
};

/* Loads and validates the manifest at `path`. Returns 0, or a negative errno
 * (-ENOENT, -EINVAL for a malformed manifest, -ENOMEM) with a one-line reason
 * in `why` (if not NULL). On failure *manifest holds nothing to free. */
int manifest_load(const char *path, struct manifest *manifest, char *why, size_t why_size);
void manifest_free(struct manifest *manifest);

/* The pitfall called `name`, found by its full name ("03-zombies"), its
 * number ("03" or "3") or the name without the number ("zombies"); NULL when
 * none matches. */
const struct manifest_pitfall *manifest_find(const struct manifest *manifest, const char *name);

/* Whether the broken program's expected findings include `kind`. */
static inline int manifest_expects(const struct manifest_pitfall *pitfall, enum finding_kind kind)
{
    return (pitfall->broken_kinds >> kind) & 1u;
}

#endif
