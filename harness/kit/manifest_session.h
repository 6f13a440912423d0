/* The graded sessions of an exercise whose program is a shell (the
 * manifest's "sessions"): each is a script the submission reads on stdin in
 * a fresh folder, with the stdout, the exit code and the files it must leave. */
#ifndef FORKLAB_MANIFEST_SESSION_H
#define FORKLAB_MANIFEST_SESSION_H

#include <jansson.h>
#include <stddef.h>

/* A script line that is exactly this runs the probe there: `forklab children`,
 * which lists the children the shell has not reaped (the "children" check). */
#define MANIFEST_PROBE_LINE "@children"

/* A file by name in the session's folder: a plain name, no '/', not
 * starting with '.' (the grader's own files there start with one). */
struct manifest_file {
    char *name;
    char *content;
    size_t length;
};

struct manifest_session {
    char *name;         /* "pipes": unique within its exercise; checks name it */
    char *about;        /* a few words on the feature it tries: "pipelines a | b | c" */
    char *script;       /* the shell's stdin, one command line a line */
    size_t probe_count; /* lines MANIFEST_PROBE_LINE in the script */
    char *expected_stdout;
    size_t expected_stdout_length;
    int expected_exit;
    struct manifest_file *inputs; /* in the folder before the shell starts */
    size_t input_count;
    struct manifest_file *outputs; /* what they must hold when it has ended */
    size_t output_count;
};

struct manifest_pitfall;

/* Reads the "sessions" array (NULL: the exercise has none) into `pitfall`.
 * Returns 0, or -EINVAL / -ENOMEM with a one-line reason in `why`. */
int manifest_sessions_read(json_t *sessions, struct manifest_pitfall *pitfall, char *why,
                           size_t why_size);

/* Binds each check to the session its "session" member names, once the
 * checks are read: in an exercise with sessions every check names one, and
 * every session is graded by some check; a "files" check needs a session
 * with outputs, a "children" check one with a probe line. Without
 * sessions, no check may name one. Returns 0 or -EINVAL with `why`. */
int manifest_sessions_bind(json_t *checks, struct manifest_pitfall *pitfall, char *why,
                           size_t why_size);

void manifest_sessions_free(struct manifest_pitfall *pitfall);

#endif
