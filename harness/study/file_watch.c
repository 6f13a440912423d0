/* file_watch: one inotify watch on the folder for IN_CLOSE_WRITE and
 * IN_MOVED_TO, events filtered by name; or a stat() signature compared
 * every interval. */
#include "study/file_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

/* Room for a burst of events; each is a struct and a name. */
#define EVENT_BUFFER (64 * (sizeof(struct inotify_event) + NAME_MAX + 1))

static struct file_signature signature_of(const char *path)
{
    struct file_signature signature = {0};
    struct stat status;
    if (stat(path, &status) == 0) {
        signature.exists = true;
        signature.device = status.st_dev;
        signature.inode = status.st_ino;
        signature.size = status.st_size;
        signature.modified = status.st_mtim;
    }
    return signature;
}

static bool signature_equal(const struct file_signature *a, const struct file_signature *b)
{
    return a->exists == b->exists && a->device == b->device && a->inode == b->inode &&
           a->size == b->size && a->modified.tv_sec == b->modified.tv_sec &&
           a->modified.tv_nsec == b->modified.tv_nsec;
}

int file_watch_open(struct file_watch *watch, const char *path, bool poll, long interval_ms,
                    char *why, size_t why_size)
{
    memset(watch, 0, sizeof(*watch));
    watch->inotify_fd = -1;
    watch->interval_ms = interval_ms;
    if (snprintf(watch->path, sizeof(watch->path), "%s", path) >= (int)sizeof(watch->path)) {
        snprintf(why, why_size, "%s: the path is too long", path);
        return -ENAMETOOLONG;
    }
    const char *slash = strrchr(watch->path, '/');
    watch->name = slash != NULL ? slash + 1 : watch->path;
    if (poll)
        return 0;

    char folder[PATH_MAX];
    snprintf(folder, sizeof(folder), "%s", path);
    watch->inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (watch->inotify_fd < 0) {
        int error = -errno;
        snprintf(why, why_size, "inotify: %s", strerror(errno));
        return error;
    }
    if (inotify_add_watch(watch->inotify_fd, dirname(folder), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
        int error = -errno;
        snprintf(why, why_size, "inotify on %s: %s", folder, strerror(errno));
        file_watch_close(watch);
        return error;
    }
    return 0;
}

/* Reads the queued events; returns 1 if one is a save of our file, 0 if
 * none is, or a negative errno (-EAGAIN: the queue is empty). */
static int read_events(struct file_watch *watch)
{
    /* Aligned as the kernel writes struct inotify_event. */
    char buffer[EVENT_BUFFER] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t length = read(watch->inotify_fd, buffer, sizeof(buffer));
    if (length < 0)
        return -errno;
    int saved = 0;
    for (char *at = buffer; at < buffer + length;) {
        const struct inotify_event *event = (const struct inotify_event *)at;
        if (event->mask & IN_Q_OVERFLOW)
            saved = 1; /* events were lost: ours may be among them */
        else if (event->len > 0 && strcmp(event->name, watch->name) == 0)
            saved = 1;
        at += sizeof(struct inotify_event) + event->len;
    }
    return saved;
}

void file_watch_mark(struct file_watch *watch)
{
    if (watch->inotify_fd < 0) {
        watch->marked = signature_of(watch->path);
        return;
    }
    /* Saves before this moment are about to be read anyway. */
    while (read_events(watch) >= 0)
        ;
}

static void sleep_ms(long milliseconds)
{
    struct timespec pause = {milliseconds / 1000, (milliseconds % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
        ;
}

int file_watch_wait(struct file_watch *watch)
{
    if (watch->inotify_fd < 0) {
        for (;;) {
            sleep_ms(watch->interval_ms);
            struct file_signature now = signature_of(watch->path);
            if (now.exists && !signature_equal(&now, &watch->marked))
                return 0;
        }
    }
    for (;;) {
        struct pollfd ready = {.fd = watch->inotify_fd, .events = POLLIN};
        if (poll(&ready, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        int saved = read_events(watch);
        if (saved == 1)
            return 0;
        if (saved < 0 && saved != -EAGAIN && saved != -EINTR)
            return saved;
    }
}

void file_watch_close(struct file_watch *watch)
{
    if (watch->inotify_fd >= 0)
        close(watch->inotify_fd);
    watch->inotify_fd = -1;
}
