/* The progress file, read and written with jansson; updates hold a lock and
 * replace the file whole (file_replace). */

/* The layout:
 *   {"forklab_progress": 1,
 *    "exercises": {"03-zombies": {"status": "failing", "hints_shown": 1,
 *                                 "score": 3, "max_score": 8}}}
 * score and max_score are absent until the first verify. */
#include "study/progress.h"

#include "core/write/file_replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_FILE ".forklab-progress.lock"

static const char *const status_names[] = {
    [PROGRESS_NOT_STARTED] = "not started",
    [PROGRESS_FAILING] = "failing",
    [PROGRESS_PASSING] = "passing",
};

const char *progress_status_name(enum progress_status status)
{
    return status_names[status];
}

/* The lock lives in a file of its own: the progress file itself is replaced
 * by rename, and a lock on a replaced file protects nothing. */
static int take_lock(struct progress *progress, const char *dir, char *why, size_t why_size)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        int error = -errno;
        snprintf(why, why_size, "cannot create the work folder %s: %s", dir, strerror(errno));
        return error;
    }
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, LOCK_FILE);
    progress->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (progress->lock_fd < 0) {
        int error = -errno;
        snprintf(why, why_size, "cannot open %s: %s", path, strerror(errno));
        return error;
    }
    int locked;
    do
        locked = flock(progress->lock_fd, LOCK_EX);
    while (locked != 0 && errno == EINTR);
    if (locked != 0) {
        int error = -errno;
        snprintf(why, why_size, "cannot lock %s: %s", path, strerror(errno));
        return error;
    }
    return 0;
}

static bool is_progress(json_t *root)
{
    json_t *version = json_object_get(root, "forklab_progress");
    return json_is_object(root) && json_is_integer(version) && json_integer_value(version) == 1 &&
           json_is_object(json_object_get(root, "exercises"));
}

int progress_open(struct progress *progress, const char *dir, bool for_update, char *why,
                  size_t why_size)
{
    memset(progress, 0, sizeof(*progress));
    progress->lock_fd = -1;
    if (snprintf(progress->path, sizeof(progress->path), "%s/%s", dir, PROGRESS_FILE) >=
        (int)sizeof(progress->path)) {
        snprintf(why, why_size, "the work folder's name is too long");
        return -ENAMETOOLONG;
    }
    if (for_update) {
        int error = take_lock(progress, dir, why, why_size);
        if (error < 0) {
            progress_close(progress);
            return error;
        }
    }
    json_error_t parse_error;
    progress->root = json_load_file(progress->path, JSON_REJECT_DUPLICATES, &parse_error);
    if (progress->root == NULL && access(progress->path, F_OK) != 0 && errno == ENOENT) {
        progress->root = json_pack("{s:i, s:{}}", "forklab_progress", 1, "exercises");
        if (progress->root == NULL) {
            progress_close(progress);
            snprintf(why, why_size, "out of memory");
            return -ENOMEM;
        }
        return 0;
    }
    if (progress->root == NULL || !is_progress(progress->root)) {
        snprintf(why, why_size, "%s is not forklab progress (%s); delete it to start afresh",
                 progress->path, progress->root == NULL ? parse_error.text : "unknown layout");
        progress_close(progress);
        return -EINVAL;
    }
    return 0;
}

static int integer_member(json_t *object, const char *key, int fallback)
{
    json_t *value = json_object_get(object, key);
    return json_is_integer(value) ? (int)json_integer_value(value) : fallback;
}

void progress_get(const struct progress *progress, const char *name, struct progress_entry *entry)
{
    json_t *record = json_object_get(json_object_get(progress->root, "exercises"), name);
    entry->status = PROGRESS_NOT_STARTED;
    const char *status = json_string_value(json_object_get(record, "status"));
    for (size_t i = 0; status != NULL && i < sizeof(status_names) / sizeof(status_names[0]); i++)
        if (strcmp(status, status_names[i]) == 0)
            entry->status = (enum progress_status)i;
    entry->hints_shown = integer_member(record, "hints_shown", 0);
    if (entry->hints_shown < 0)
        entry->hints_shown = 0;
    entry->score = integer_member(record, "score", -1);
    entry->max_score = integer_member(record, "max_score", -1);
}

int progress_set(struct progress *progress, const char *name, const struct progress_entry *entry)
{
    json_t *record = json_pack("{s:s, s:i}", "status", status_names[entry->status], "hints_shown",
                               entry->hints_shown);
    if (record != NULL && entry->score >= 0 &&
        (json_object_set_new(record, "score", json_integer(entry->score)) < 0 ||
         json_object_set_new(record, "max_score", json_integer(entry->max_score)) < 0)) {
        json_decref(record);
        record = NULL;
    }
    if (record == NULL ||
        json_object_set_new(json_object_get(progress->root, "exercises"), name, record) < 0)
        return -ENOMEM;
    return 0;
}

static int write_progress(FILE *out, const void *root)
{
    if (json_dumpf(root, out, JSON_INDENT(2) | JSON_SORT_KEYS) != 0 || fputc('\n', out) == EOF)
        return -EIO;
    return 0;
}

int progress_save(struct progress *progress, char *why, size_t why_size)
{
    return file_replace(progress->path, write_progress, progress->root, why, why_size);
}

void progress_close(struct progress *progress)
{
    json_decref(progress->root);
    progress->root = NULL;
    if (progress->lock_fd >= 0)
        close(progress->lock_fd); /* releases the flock */
    progress->lock_fd = -1;
}
