/* Waiting until a file is saved again: inotify on its folder (editors often
 * rename a new file over the old one, which a watch on the file would miss),
 * or plain re-checking for file systems without inotify. */
#ifndef FORKLAB_FILE_WATCH_H
#define FORKLAB_FILE_WATCH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* What re-checking compares: a replaced file has a new inode, a file
 * written in place a new size or modification time. */
struct file_signature {
    bool exists;
    dev_t device;
    ino_t inode;
    off_t size;
    struct timespec modified;
};

struct file_watch {
    char path[PATH_MAX];
    const char *name; /* the file's name within its folder, inside `path` */
    int inotify_fd;   /* -1 when polling */
    long interval_ms; /* how often polling looks */
    struct file_signature marked;
};

/* Starts watching `path`: with inotify, unless `poll`. Returns 0, or a
 * negative errno with a reason in `why` (then polling may still work). */
int file_watch_open(struct file_watch *watch, const char *path, bool poll, long interval_ms,
                    char *why, size_t why_size);
/* Remembers the file as it is now: file_watch_wait() then waits for a save
 * after this moment. Call it just before reading the file. */
void file_watch_mark(struct file_watch *watch);
/* Blocks until the file was saved (closed after writing, or renamed into
 * place) since the last mark. Returns 0 or a negative errno. */
int file_watch_wait(struct file_watch *watch);
void file_watch_close(struct file_watch *watch);

#endif
