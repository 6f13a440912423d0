/* A student's self-study progress, saved between runs in the work folder
 * (DIR/.forklab-progress.json): for each exercise its status, its last score
 * and how many hints were shown. */
#ifndef FORKLAB_PROGRESS_H
#define FORKLAB_PROGRESS_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>

#define PROGRESS_FILE ".forklab-progress.json"

enum progress_status {
    PROGRESS_NOT_STARTED,
    PROGRESS_FAILING, /* started (the broken copy fails), or last verified below full marks */
    PROGRESS_PASSING, /* last verified with full marks */
};

/* "not started", "failing", "passing". */
const char *progress_status_name(enum progress_status status);

struct progress_entry {
    enum progress_status status;
    int hints_shown;
    int score, max_score; /* of the last verify; -1 when never verified */
};

struct progress {
    char path[PATH_MAX];
    int lock_fd; /* held while an update is open; -1 when read-only */
    json_t *root;
};

/* Loads DIR's progress (none yet is an empty progress). With `for_update`,
 * creates DIR if needed and takes a lock that progress_close() releases, so
 * two commands (a `watch` and a `hint`) never lose each other's changes.
 * Returns 0 or a negative errno with a one-line reason in `why`
 * (-EINVAL: the file is not forklab progress). */
int progress_open(struct progress *progress, const char *dir, bool for_update, char *why,
                  size_t why_size);
/* The entry of exercise `name`; a fresh one when there is none. */
void progress_get(const struct progress *progress, const char *name, struct progress_entry *entry);
/* Replaces the entry of `name` (in memory). Returns 0 or -ENOMEM. */
int progress_set(struct progress *progress, const char *name, const struct progress_entry *entry);
/* Writes the progress (opened for update) to its file: a new file renamed
 * over the old one, so a crash never leaves half a file. Returns 0 or a
 * negative errno with a reason in `why`. */
int progress_save(struct progress *progress, char *why, size_t why_size);
void progress_close(struct progress *progress);

#endif
