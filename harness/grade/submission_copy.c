/* A submission is graded from a private copy: its regular files and
 * folders, copied into a folder of the grader's (0700) before anything of
 * it runs, so that no other submission can read it or change it meanwhile.
 * Symbolic links and special files are left out: a link could name any
 * file the grader may read, and a FIFO could block the copy. */
#include "grade/grade.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a copy may hold: far beyond any exercise, far below a full disk. */
#define COPY_MAX_BYTES   (64L * 1024 * 1024)
#define COPY_MAX_ENTRIES 10000
#define COPY_MAX_DEPTH   16

struct copy_budget {
    long bytes;
    long entries;
    char *why;
    size_t why_size;
};

static int refuse(struct copy_budget *budget, int error, const char *what)
{
    snprintf(budget->why, budget->why_size, "%s: %s", what, strerror(-error));
    return error;
}

/* Copies the regular file `from` (relative to `from_dir`; a link is
 * followed only when `follow`) to `name` in `to_dir`. */
static int copy_file_at(int from_dir, const char *from, bool follow, int to_dir, const char *name,
                        struct copy_budget *budget)
{
    int in = openat(from_dir, from, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
    if (in < 0)
        return refuse(budget, -errno, name);
    struct stat status;
    if (fstat(in, &status) != 0 || !S_ISREG(status.st_mode)) {
        close(in);
        return 0; /* it changed under us into something we do not copy */
    }
    if ((budget->bytes -= status.st_size) < 0) {
        close(in);
        snprintf(budget->why, budget->why_size,
                 "the submission holds more than %ld MiB: too big to grade",
                 COPY_MAX_BYTES / (1024 * 1024));
        return -EFBIG;
    }
    int out = openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        int error = -errno;
        close(in);
        return refuse(budget, error, name);
    }
    int error = 0;
    char buffer[65536];
    for (;;) {
        ssize_t got = read(in, buffer, sizeof(buffer));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            error = got < 0 ? -errno : 0;
            break;
        }
        for (ssize_t put = 0; put < got && error == 0;) {
            ssize_t written = write(out, buffer + put, (size_t)(got - put));
            if (written < 0 && errno != EINTR)
                error = -errno;
            else if (written > 0)
                put += written;
        }
        if (error < 0)
            break;
    }
    close(in);
    if (close(out) != 0 && error == 0)
        error = -errno;
    return error < 0 ? refuse(budget, error, name) : 0;
}

static int copy_folder(int from, int to, int depth, struct copy_budget *budget)
{
    if (depth > COPY_MAX_DEPTH) {
        snprintf(budget->why, budget->why_size,
                 "the submission's folders nest more than %d deep: too deep to grade",
                 COPY_MAX_DEPTH);
        return -ELOOP;
    }
    int listing = dup(from);
    DIR *stream = listing >= 0 ? fdopendir(listing) : NULL;
    if (stream == NULL) {
        if (listing >= 0)
            close(listing);
        return refuse(budget, -errno, "the submission's folder");
    }
    int error = 0;
    struct dirent *entry;
    while (error == 0 && (entry = readdir(stream)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        if (--budget->entries < 0) {
            snprintf(budget->why, budget->why_size,
                     "the submission holds more than %d files: too many to grade",
                     COPY_MAX_ENTRIES);
            error = -EFBIG;
            break;
        }
        struct stat status;
        if (fstatat(from, entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISREG(status.st_mode)) {
            error = copy_file_at(from, entry->d_name, false, to, entry->d_name, budget);
        } else if (S_ISDIR(status.st_mode)) {
            int sub_from =
                openat(from, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub_from < 0)
                continue;
            int sub_to = -1;
            if (mkdirat(to, entry->d_name, 0700) != 0 ||
                (sub_to = openat(to, entry->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                error = refuse(budget, -errno, entry->d_name);
            else
                error = copy_folder(sub_from, sub_to, depth + 1, budget);
            close(sub_from);
            if (sub_to >= 0)
                close(sub_to);
        }
    }
    closedir(stream);
    return error;
}

int grade_copy_submission(const char *submission, const char *into, char *copy, size_t copy_size,
                          char *why, size_t why_size)
{
    struct copy_budget budget = {COPY_MAX_BYTES, COPY_MAX_ENTRIES, why, why_size};
    struct stat status;
    if (stat(submission, &status) != 0) {
        int error = -errno;
        snprintf(why, why_size, "%s: %s", submission, strerror(errno));
        return error;
    }
    int to = open(into, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (to < 0) {
        int error = -errno;
        snprintf(why, why_size, "%s: %s", into, strerror(errno));
        return error;
    }
    int error = 0;
    if (S_ISDIR(status.st_mode)) {
        int from = open(submission, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        error = from < 0 ? refuse(&budget, -errno, submission) : copy_folder(from, to, 0, &budget);
        if (from >= 0)
            close(from);
        if (error == 0 && snprintf(copy, copy_size, "%s", into) >= (int)copy_size)
            error = -ENAMETOOLONG;
    } else if (S_ISREG(status.st_mode)) {
        /* One file keeps its name: the compiler's messages name it. The
         * path the grader was given may be a link; what it names is copied. */
        const char *slash = strrchr(submission, '/');
        const char *name = slash != NULL ? slash + 1 : submission;
        error = copy_file_at(AT_FDCWD, submission, true, to, name, &budget);
        if (error == 0 && snprintf(copy, copy_size, "%s/%s", into, name) >= (int)copy_size)
            error = -ENAMETOOLONG;
    } else {
        copy[0] = '\0'; /* neither a file nor a folder: nothing to grade */
    }
    close(to);
    if (error == -ENAMETOOLONG)
        snprintf(why, why_size, "%s: the path is too long", into);
    return error;
}

static int remove_entry(const char *path, const struct stat *status, int type, struct FTW *walk)
{
    (void)status;
    (void)type;
    (void)walk;
    remove(path);
    return 0;
}

void grade_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
