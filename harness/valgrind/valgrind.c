/* The valgrind pass: run the target once more under memcheck in a private
 * output folder, contained like the traced run, then read what valgrind
 * wrote and merge it into the report the tracer already filled. */
#include "valgrind/valgrind.h"

#include "trace/sandbox/sandbox.h"
#include "valgrind/log.h"
#include "valgrind/merge.h"
#include "valgrind/output.h"
#include "valgrind/version.h"
#include "valgrind/xml.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* valgrind's log descriptor in the program: far above what programs open, so
 * the program's own descriptors get the same numbers as in the traced run. */
#define VALGRIND_LOG_FD_MIN 100
/* At most this many "valgrind-incomplete" entries; one bad run can break many files. */
#define MAX_NOTES 4

/* One valgrind run: its folder, its log and how it ended. */
struct valgrind_run {
    char dir[PATH_MAX];
    int log_fd;
    pid_t main_pid;
    bool timed_out;
    struct fl_status status;
    int notes;
};

/* Records a problem of the run as a check entry "valgrind-incomplete: ...". */
static void note(struct report *report, struct valgrind_run *run, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void note(struct report *report, struct valgrind_run *run, const char *format, ...)
{
    if (run->notes++ >= MAX_NOTES)
        return;
    char text[512];
    int prefix = snprintf(text, sizeof(text), "valgrind-incomplete: ");
    va_list args;
    va_start(args, format);
    vsnprintf(text + prefix, sizeof(text) - (size_t)prefix, format, args);
    va_end(args);
    report_add_check(report, text);
}

static int read_whole_file(const char *path, char **data, size_t *length)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    char *buffer = NULL;
    size_t used = 0, capacity = 0;
    int result = 0;
    for (;;) {
        if (used + 4096 > capacity) {
            char *grown = realloc(buffer, capacity = capacity * 2 + 8192);
            if (grown == NULL) {
                result = -ENOMEM;
                break;
            }
            buffer = grown;
        }
        ssize_t n = read(fd, buffer + used, capacity - used - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            result = -errno;
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    if (result < 0) {
        free(buffer);
        return result;
    }
    buffer[used] = '\0';
    *data = buffer;
    *length = used;
    return 0;
}

static int make_output_dir(struct valgrind_run *run, char *why, size_t why_size)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    snprintf(run->dir, sizeof(run->dir), "%s/forklab-valgrind.XXXXXX", tmp);
    if (mkdtemp(run->dir) == NULL) {
        int error = errno;
        snprintf(why, why_size, "cannot make a folder for valgrind's output in %s: %s", tmp,
                 strerror(error));
        run->dir[0] = '\0';
        return -error;
    }
    char path[PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/valgrind.log", run->dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) {
        run->log_fd = fcntl(fd, F_DUPFD_CLOEXEC, VALGRIND_LOG_FD_MIN);
        close(fd);
    }
    if (fd < 0 || run->log_fd < 0) {
        int error = errno;
        snprintf(why, why_size, "cannot open valgrind's log in %s: %s", run->dir, strerror(error));
        return -error;
    }
    return 0;
}

static void remove_output_dir(struct valgrind_run *run)
{
    if (run->log_fd >= 0)
        close(run->log_fd);
    run->log_fd = -1;
    if (run->dir[0] == '\0')
        return;
    DIR *dir = opendir(run->dir);
    if (dir != NULL) {
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL)
            if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
                unlinkat(dirfd(dir), entry->d_name, 0);
        closedir(dir);
    }
    rmdir(run->dir);
}

/* Runs valgrind to its end or to the timeout; afterwards nothing it started
 * is left, whatever it did (orphans come back to us as the subreaper). */
static int run_valgrind(const struct valgrind_target *options, enum valgrind_source source,
                        struct valgrind_run *run, char *why, size_t why_size)
{
    struct valgrind_plan plan = {.source = source, .log_fd = run->log_fd, .output_dir = run->dir};
    struct fl_command *command = valgrind_command_new(options, &plan);
    if (command == NULL) {
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    sandbox_become_subreaper();
    struct fl_child *child = NULL;
    int result = fl_command_spawn(command, &child);
    if (result < 0) {
        snprintf(why, why_size, "cannot start valgrind: %s", fl_command_strerror(command));
        fl_command_free(&command);
        return result;
    }
    run->main_pid = fl_child_pid(child);
    int timeout = options->timeout_ms > INT_MAX ? INT_MAX : (int)options->timeout_ms;
    if (fl_child_wait_timeout(child, timeout, &run->status) == -ETIMEDOUT) {
        run->timed_out = true;
        /* The whole session's group at once, then whatever left the group. */
        kill(-run->main_pid, SIGKILL);
        fl_child_kill(child, SIGKILL);
        fl_child_wait(child, &run->status);
    }
    fl_child_free(&child);
    fl_command_free(&command);
    sandbox_kill_descendants();
    return 0;
}

static void read_log(struct report *report, struct valgrind_run *run,
                     struct valgrind_output *output)
{
    char path[PATH_MAX + 16], why[256];
    snprintf(path, sizeof(path), "%s/valgrind.log", run->dir);
    char *text = NULL;
    size_t length = 0;
    int result = read_whole_file(path, &text, &length);
    if (result < 0)
        note(report, run, "cannot read valgrind's log: %s", strerror(-result));
    else if (valgrind_log_parse(text, length, output, why, sizeof(why)) < 0)
        note(report, run, "valgrind's log: %s", why);
    free(text);
}

/* Each vg.PID.xml holds one program started under valgrind (main or exec'd). */
static void read_xml_files(struct report *report, struct valgrind_run *run,
                           struct valgrind_output *output)
{
    DIR *dir = opendir(run->dir);
    if (dir == NULL) {
        note(report, run, "cannot list valgrind's output: %s", strerror(errno));
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        size_t length = strlen(entry->d_name);
        if (strncmp(entry->d_name, "vg.", 3) != 0 || length < 8 ||
            strcmp(entry->d_name + length - 4, ".xml") != 0)
            continue;
        char path[PATH_MAX + 256], why[256];
        snprintf(path, sizeof(path), "%s/%s", run->dir, entry->d_name);
        char *text = NULL;
        size_t size = 0;
        int result = read_whole_file(path, &text, &size);
        if (result < 0)
            note(report, run, "%s: %s", entry->d_name, strerror(-result));
        else if (valgrind_xml_parse(text, size, output, why, sizeof(why)) < 0)
            note(report, run, "%s: %s", entry->d_name, why);
        free(text);
    }
    closedir(dir);
}

/* Says in the report which checks ran to the end, and why others did not. */
static void record_checks(struct report *report, struct valgrind_run *run,
                          const struct valgrind_target *options, enum valgrind_source source,
                          struct valgrind_version version, const struct valgrind_output *output)
{
    const struct valgrind_process *main = valgrind_output_find(output, run->main_pid);
    if (run->timed_out)
        note(report, run,
             "timed out after %ld ms under valgrind; processes still running then were not "
             "leak-checked",
             options->timeout_ms);
    if (main == NULL || !main->started_program) {
        note(report, run, "valgrind did not start the program (exit status %d)",
             fl_status_code(run->status));
        return;
    }
    if (main->finished) {
        report_add_check(report, "valgrind-memcheck");
    } else if (!run->timed_out) {
        char status[64];
        note(report, run, "valgrind ended without its leak check (%s)",
             fl_status_text(run->status, status, sizeof(status)));
    }
    if (main->fatal_signal != 0)
        note(report, run, "the program was killed by signal %d under valgrind", main->fatal_signal);
    if (source == VALGRIND_READ_LOG && main->fds_checked)
        report_add_check(report, "valgrind-fds(log)");
    else if (source == VALGRIND_READ_XML && valgrind_has_fd_errors_in_xml(version) &&
             main->finished)
        report_add_check(report, "valgrind-fds(xml)");
}

static int pass(const struct valgrind_target *options, enum valgrind_source source,
                struct valgrind_version version, struct report *report, char *why, size_t why_size)
{
    /* Valgrind's XML files go to a folder it must write: as another user,
     * a folder that user's other programs (other students') could write
     * too. The text log goes to a descriptor of ours instead. */
    if (options->run_as && source == VALGRIND_READ_XML) {
        snprintf(why, why_size,
                 "the valgrind pass cannot run the program as another user with valgrind 3.24 "
                 "or later (its XML files would go to a folder that user can write)");
        return -ENOTSUP;
    }
    struct valgrind_run run = {.log_fd = -1};
    int result = make_output_dir(&run, why, why_size);
    if (result == 0)
        result = run_valgrind(options, source, &run, why, why_size);
    if (result < 0) {
        remove_output_dir(&run);
        return result;
    }
    struct valgrind_output output;
    valgrind_output_init(&output);
    /* In XML mode the log holds only what the XML has too, or descriptor
     * numbers moved by the XML file valgrind 3.19 leaves open as fd 3. */
    if (source == VALGRIND_READ_XML)
        read_xml_files(report, &run, &output);
    else
        read_log(report, &run, &output);
    struct valgrind_merge_options merge = {
        .main_pid = run.main_pid,
        .allowed_fds = options->allowed_fds,
        .allowed_fd_count = options->allowed_fd_count,
        .log_fd = run.log_fd,
        .output_dir = run.dir,
    };
    result = valgrind_merge(report, &output, &merge);
    if (result < 0)
        snprintf(why, why_size, "out of memory while merging valgrind's findings");
    else
        record_checks(report, &run, options, source, version, &output);
    valgrind_output_free(&output);
    remove_output_dir(&run);
    return result;
}

int valgrind_pass_reading(const struct valgrind_target *options, enum valgrind_source source,
                          struct report *report, char *why, size_t why_size)
{
    struct valgrind_version version;
    int result = valgrind_version_detect(&version, why, why_size);
    if (result < 0)
        return result;
    return pass(options, source, version, report, why, why_size);
}

int valgrind_pass(const struct valgrind_target *options, struct report *report, char *why,
                  size_t why_size)
{
    struct valgrind_version version;
    int result = valgrind_version_detect(&version, why, why_size);
    if (result < 0)
        return result;
    /* Before 3.24 only the log lists descriptors, and valgrind 3.19 leaves the
     * file of --xml-file open in the program as fd 3, which moves the program's
     * own descriptors: the log alone, split by pid, keeps their numbers. */
    enum valgrind_source source =
        valgrind_has_fd_errors_in_xml(version) ? VALGRIND_READ_XML : VALGRIND_READ_LOG;
    return pass(options, source, version, report, why, why_size);
}
