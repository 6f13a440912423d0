/* Runs a shell exercise's sessions: for each, a fresh folder with the
 * session's input files and a copy of forklab, the script on stdin with
 * each probe line turned into `forklab children --log`, the shell under the
 * harness there; then what it wrote, and what the probe saw, are kept for
 * the checks and the folder removed. The probe reads the kernel's process
 * table at the moment the shell reached that line, so "no child left after
 * a command" is a fact of that moment, not of the end of the run. */
#include "grade/sessions.h"
#include "kit/expected_output.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a probe line becomes: the probe appends one line to its log. */
#define PROBE_COMMAND "./" SESSION_PROBE_COPY " children --log " SESSION_PROBE_LOG "\n"
/* What the probe writes when the shell has no child left. */
#define PROBE_CLEAN " has no child left"

static bool needs_session(const struct grade_options *options,
                          const struct manifest_session *session)
{
    if (options->only_check == NULL)
        return true;
    for (size_t i = 0; i < options->exercise->check_count; i++) {
        const struct manifest_check *check = &options->exercise->checks[i];
        if (strcmp(check->id, options->only_check) == 0)
            return check->session == session;
    }
    return false;
}

static int write_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t written = write(fd, data, length);
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            return -errno;
        data += written;
        length -= (size_t)written;
    }
    return 0;
}

/* Creates `name` in `dir_fd` holding `length` bytes of `data`, owned by
 * the user the shell runs as. */
static int create_file(const struct grade_options *options, int dir_fd, const char *name,
                       const char *data, size_t length)
{
    int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    int error = write_all(fd, data, length);
    if (error == 0 && options->run_as && fchown(fd, options->run_uid, options->run_gid) != 0)
        error = -errno;
    if (close(fd) != 0 && error == 0)
        error = -errno;
    return error;
}

/* Copies the forklab binary into the session's folder for the probe lines.
 * A copy, not a link: the shell may run as another user (nobody), who
 * cannot reach the binary where a folder on its path is closed to others
 * (a home of mode 0700, a build under mktemp -d), and every probe line
 * would then fail with EACCES and be graded as a shell that left children. */
static int copy_probe(const char *forklab, int dir_fd)
{
    int from = open(forklab, O_RDONLY | O_CLOEXEC);
    if (from < 0)
        return -errno;
    int to = openat(dir_fd, SESSION_PROBE_COPY, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
    int error = to < 0 ? -errno : 0;
    /* Whatever the grader's umask: the shell's user must run it. */
    if (error == 0 && fchmod(to, 0755) != 0)
        error = -errno;
    struct stat info;
    if (error == 0 && fstat(from, &info) != 0)
        error = -errno;
    for (off_t left = error == 0 ? info.st_size : 0; left > 0;) {
        ssize_t sent = sendfile(to, from, NULL, (size_t)left);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0) {
            error = sent < 0 ? -errno : -EIO; /* 0: the binary shrank meanwhile */
            break;
        }
        left -= sent;
    }
    if (to >= 0 && close(to) != 0 && error == 0)
        error = -errno;
    close(from);
    return error;
}

/* The script as the shell reads it: each probe line made a command. */
static int write_script(const struct manifest_session *session, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    int error = 0;
    for (const char *line = session->script; *line != '\0' && error == 0;) {
        const char *end = strchr(line, '\n'); /* every line ends in one (manifest_session.c) */
        size_t size = (size_t)(end - line) + 1;
        if (size == sizeof(MANIFEST_PROBE_LINE) &&
            strncmp(line, MANIFEST_PROBE_LINE, size - 1) == 0)
            error = write_all(fd, PROBE_COMMAND, strlen(PROBE_COMMAND));
        else
            error = write_all(fd, line, size);
        line += size;
    }
    if (close(fd) != 0 && error == 0)
        error = -errno;
    return error;
}

/* Keeps what `name` in `dir_fd` holds, if it is a regular file: never
 * following a link the shell made (the grader may be root), never
 * blocking on a fifo. */
static int keep_file(int dir_fd, const char *name, struct session_file *file)
{
    int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return 0; /* missing, or a link: not written as it should be */
    struct stat info;
    int error = 0;
    if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
        file->content = malloc(GRADE_OUTPUT_CAP + 1);
        if (file->content == NULL)
            error = -ENOMEM;
        while (error == 0 && file->length < GRADE_OUTPUT_CAP) {
            ssize_t got = read(fd, file->content + file->length, GRADE_OUTPUT_CAP - file->length);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                break;
            file->length += (size_t)got;
        }
        if (file->content != NULL)
            file->content[file->length] = '\0';
        file->too_big = (size_t)info.st_size > file->length;
    }
    close(fd);
    return error;
}

static int remove_entry(const char *path, const struct stat *info, int type, struct FTW *where)
{
    (void)info;
    (void)type;
    (void)where;
    remove(path);
    return 0; /* best effort: go on with the rest */
}

/* Runs one session in `folder`/NAME, the script in `folder`/NAME.stdin. */
static int run_session(const struct grade_options *options, const char *program, const char *folder,
                       struct grade_session_run *run, char *why, size_t why_size)
{
    const struct manifest_session *session = run->session;
    char dir[PATH_MAX], script[PATH_MAX];
    if (snprintf(dir, sizeof(dir), "%s/%s", folder, session->name) >= (int)sizeof(dir) ||
        snprintf(script, sizeof(script), "%s.stdin", dir) >= (int)sizeof(script)) {
        snprintf(why, why_size, "session %s: the path is too long", session->name);
        return -ENAMETOOLONG;
    }
    if (options->kit->forklab[0] == '\0') {
        snprintf(why, why_size, "session %s: the forklab binary for the probe is unknown",
                 session->name);
        return -ENOENT;
    }
    int error = 0;
    const char *step = "cannot create the session's folder";
    if (mkdir(dir, 0755) != 0 ||
        (options->run_as && chown(dir, options->run_uid, options->run_gid) != 0))
        error = -errno;
    int dir_fd = error == 0 ? open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
    if (error == 0 && dir_fd < 0)
        error = -errno;
    for (size_t i = 0; error == 0 && i < session->input_count; i++) {
        step = session->inputs[i].name;
        error = create_file(options, dir_fd, session->inputs[i].name, session->inputs[i].content,
                            session->inputs[i].length);
    }
    if (error == 0) {
        step = "cannot copy forklab for the probe";
        error = copy_probe(options->kit->forklab, dir_fd);
    }
    if (error == 0) {
        step = "cannot write the script";
        error = write_script(session, script);
    }
    if (error < 0) {
        snprintf(why, why_size, "session %s: %s: %s", session->name, step, strerror(-error));
    } else {
        char *argv[] = {(char *)program, NULL};
        char reason[512] = "";
        /* Once: its commands write the files and the probe log it is
         * graded by, which another run of the script would change. */
        error =
            grade_check_in(options, argv, script, dir, false, &run->report, reason, sizeof(reason));
        if (error < 0)
            snprintf(why, why_size, "session %s: %s", session->name, reason);
    }
    run->written = calloc(session->output_count + 1, sizeof(*run->written));
    if (error == 0 && run->written == NULL)
        error = -ENOMEM;
    for (size_t i = 0; error == 0 && i < session->output_count; i++)
        error = keep_file(dir_fd, session->outputs[i].name, &run->written[i]);
    if (error == 0)
        error = keep_file(dir_fd, SESSION_PROBE_LOG, &run->probe_log);
    if (error == -ENOMEM)
        snprintf(why, why_size, "out of memory");
    if (dir_fd >= 0)
        close(dir_fd);
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    unlink(script);
    return error;
}

int grade_run_sessions(const struct grade_options *options, const char *program, const char *folder,
                       struct grade_result *result, char *why, size_t why_size)
{
    const struct manifest_pitfall *exercise = options->exercise;
    result->sessions = calloc(exercise->session_count, sizeof(*result->sessions));
    if (result->sessions == NULL) {
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    for (size_t i = 0; i < exercise->session_count; i++) {
        if (!needs_session(options, &exercise->sessions[i]))
            continue;
        struct grade_session_run *run = &result->sessions[result->session_count++];
        run->session = &exercise->sessions[i];
        report_init(&run->report);
        int error = run_session(options, program, folder, run, why, why_size);
        if (error < 0)
            return error;
    }
    result->ran = true;
    return 0;
}

static void session_file_free(struct session_file *file)
{
    free(file->content);
    memset(file, 0, sizeof(*file));
}

void grade_sessions_free(struct grade_result *result)
{
    for (size_t i = 0; i < result->session_count; i++) {
        struct grade_session_run *run = &result->sessions[i];
        report_free(&run->report);
        for (size_t f = 0; run->written != NULL && f < run->session->output_count; f++)
            session_file_free(&run->written[f]);
        free(run->written);
        session_file_free(&run->probe_log);
    }
    free(result->sessions);
    result->sessions = NULL;
    result->session_count = 0;
}

const struct grade_session_run *grade_session_run_of(const struct grade_result *result,
                                                     const struct manifest_check *check)
{
    for (size_t i = 0; check->session != NULL && i < result->session_count; i++)
        if (result->sessions[i].session == check->session)
            return &result->sessions[i];
    return NULL;
}

bool grade_files_pass(const struct grade_session_run *run, FILE *why)
{
    const struct manifest_session *session = run->session;
    bool passed = true;
    for (size_t i = 0; i < session->output_count; i++) {
        const struct manifest_file *expected = &session->outputs[i];
        const struct session_file *got = &run->written[i];
        if (i > 0)
            fputc('\n', why);
        if (got->content == NULL) {
            fprintf(why, "%s was not written (or is not a regular file)", expected->name);
            passed = false;
        } else if (got->too_big) {
            fprintf(why, "%s holds more than %d bytes; it should hold %zu", expected->name,
                    GRADE_OUTPUT_CAP, expected->length);
            passed = false;
        } else {
            struct output_expectation wanted = {.what = expected->name,
                                                .text = expected->content,
                                                .length = expected->length,
                                                .order = MANIFEST_LINES_ORDERED};
            passed &=
                expected_text_compare(&wanted, got->content, got->length, why) == OUTPUT_MATCHES;
        }
    }
    return passed;
}

/* The command line the k-th probe line follows (0-based), into `text`. */
static const char *command_before_probe(const struct manifest_session *session, size_t k,
                                        char *text, size_t size)
{
    const char *command = NULL, *command_end = NULL;
    size_t seen = 0;
    for (const char *line = session->script; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t length = (size_t)(end - line);
        if (length == strlen(MANIFEST_PROBE_LINE) &&
            strncmp(line, MANIFEST_PROBE_LINE, length) == 0) {
            if (seen++ == k)
                break;
        } else if (length > 0) {
            command = line;
            command_end = end;
        }
        line = end + 1;
    }
    if (command == NULL)
        snprintf(text, size, "the start");
    else
        snprintf(text, size, "`%.*s`", (int)(command_end - command), command);
    return text;
}

bool grade_children_pass(const struct grade_session_run *run, FILE *why)
{
    const struct manifest_session *session = run->session;
    const char *log = run->probe_log.content != NULL ? run->probe_log.content : "";
    size_t lines = 0, left = 0, clean_length = strlen(PROBE_CLEAN);
    for (const char *line = log; *line != '\0'; lines++) {
        const char *end = strchr(line, '\n');
        size_t length = end != NULL ? (size_t)(end - line) : strlen(line);
        bool clean = length >= clean_length &&
                     memcmp(line + length - clean_length, PROBE_CLEAN, clean_length) == 0;
        if (!clean && lines < session->probe_count) {
            char command[200];
            fprintf(why, "%safter %s: %.*s", left > 0 ? "\n" : "",
                    command_before_probe(session, lines, command, sizeof(command)), (int)length,
                    line);
            left++;
        }
        line += length + (end != NULL);
    }
    if (lines != session->probe_count) {
        fprintf(why, "%sthe probe (forklab children) ran %zu time%s for %zu probe lines: %s",
                left > 0 ? "\n" : "", lines, lines == 1 ? "" : "s", session->probe_count,
                lines < session->probe_count
                    ? "the shell never reached the others (it ended, hung or could not run it)"
                    : "more than one process ran the script (a child whose exec failed, going "
                      "on as a second shell?)");
        return false;
    }
    if (left > 0) {
        fputs("\nA child that has ended stays a zombie until its parent waits for it: wait for "
              "every stage of a pipeline, and reap what ran in the background. See "
              "lessons/14-shell.md.",
              why);
        return false;
    }
    fprintf(why, "at each of the %zu probe lines the shell had no child left", lines);
    return true;
}
