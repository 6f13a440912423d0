/* The compile step of grading: builds the submission's .c files with the
 * project's flags (and the wrapper when one includes forklab.h) through the
 * wrapper itself, with a time limit, keeping the compiler's messages. */
#include "grade.h"

#include <forklab.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define COMPILER "cc"
/* The flags of the Makefile's CFLAGS: a submission is held to the same rules
 * as the kit's own programs, warnings included. */
static const char *const compile_flags[] = {
    "-std=c17", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-O2", "-g", NULL,
};
/* Enough of a source file to find its #include lines. */
#define SCAN_BYTES (1024 * 1024)

/* A growing, NULL-terminated list of strings. */
struct string_list {
    char **items;
    size_t count, capacity;
};

static int string_list_add(struct string_list *list, const char *text)
{
    if (list->count + 2 > list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 16;
        char **grown = realloc(list->items, capacity * sizeof(char *));
        if (grown == NULL)
            return -ENOMEM;
        list->items = grown;
        list->capacity = capacity;
    }
    list->items[list->count] = strdup(text);
    if (list->items[list->count] == NULL)
        return -ENOMEM;
    list->items[++list->count] = NULL;
    return 0;
}

static void string_list_free(struct string_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    memset(list, 0, sizeof(*list));
}

/* Adds an option and its value, such as "-o" and the program. */
static int string_list_add_pair(struct string_list *list, const char *option, const char *value)
{
    int error = string_list_add(list, option);
    return error < 0 ? error : string_list_add(list, value);
}

/* "./-name.c" for "-name.c". */
static int add_dot_slash(struct string_list *list, const char *path)
{
    char *prefixed;
    if (asprintf(&prefixed, "./%s", path) < 0)
        return -ENOMEM;
    int error = string_list_add(list, prefixed);
    free(prefixed);
    return error;
}

static bool ends_with(const char *text, const char *suffix)
{
    size_t length = strlen(text), suffix_length = strlen(suffix);
    return length >= suffix_length && strcmp(text + length - suffix_length, suffix) == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular .c files directly inside `dir`, as dir/name, sorted so the
 * command line is the same on every machine. */
static int list_sources(const char *dir, struct string_list *sources)
{
    DIR *stream = opendir(dir);
    if (stream == NULL)
        return -errno;
    int error = 0;
    struct dirent *entry;
    while (error == 0 && (entry = readdir(stream)) != NULL) {
        if (entry->d_name[0] == '.' || !ends_with(entry->d_name, ".c"))
            continue;
        char path[PATH_MAX];
        struct stat status;
        if (snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name) >= (int)sizeof(path))
            continue;
        if (stat(path, &status) == 0 && S_ISREG(status.st_mode))
            error = string_list_add(sources, path);
    }
    closedir(stream);
    if (error == 0 && sources->count > 1)
        qsort(sources->items, sources->count, sizeof(char *), compare_names);
    return error;
}

/* Whether a source file has an #include of forklab.h. A comment or string
 * that merely mentions it does not count: only a line that is a directive. */
static bool includes_wrapper(const char *path, const regex_t *directive)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char *text = malloc(SCAN_BYTES + 1);
    size_t length = 0;
    while (text != NULL && length < SCAN_BYTES) {
        ssize_t got = read(fd, text + length, SCAN_BYTES - length);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        length += (size_t)got;
    }
    close(fd);
    if (text == NULL)
        return false;
    text[length] = '\0';
    bool found = regexec(directive, text, 0, NULL, 0) == 0;
    free(text);
    return found;
}

static int any_includes_wrapper(const struct string_list *sources, bool *found)
{
    regex_t directive;
    if (regcomp(&directive, "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]forklab\\.h[>\"]",
                REG_EXTENDED | REG_NEWLINE | REG_NOSUB) != 0)
        return -ENOMEM;
    *found = false;
    for (size_t i = 0; i < sources->count && !*found; i++)
        *found = includes_wrapper(sources->items[i], &directive);
    regfree(&directive);
    return 0;
}

static int build_command_line(const struct grade_options *options, const char *program,
                              const struct string_list *sources, bool is_dir, bool wrapper,
                              struct string_list *argv)
{
    int error = string_list_add(argv, COMPILER);
    for (size_t i = 0; error == 0 && compile_flags[i] != NULL; i++)
        error = string_list_add(argv, compile_flags[i]);
    if (error == 0 && is_dir) /* the student's own headers */
        error = string_list_add_pair(argv, "-I", options->submission);
    if (error == 0 && wrapper)
        error = string_list_add_pair(argv, "-I", options->kit->include_dir);
    if (error == 0)
        error = string_list_add_pair(argv, "-o", program);
    for (size_t i = 0; error == 0 && i < sources->count; i++)
        error = string_list_add(argv, sources->items[i]);
    if (error == 0 && wrapper)
        error = string_list_add(argv, options->kit->library);
    if (error == 0)
        error = string_list_add(argv, "-pthread");
    return error;
}

static long now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000L + now.tv_nsec / 1000000L;
}

/* Reads the compiler's merged output until end of file or the deadline;
 * keeps at most GRADE_COMPILE_OUTPUT_CAP bytes. Returns 0, -ETIMEDOUT, or
 * another negative errno. */
static int read_messages(int fd, long deadline, char **output, size_t *length)
{
    size_t capacity = 4096;
    *length = 0;
    *output = malloc(capacity);
    if (*output == NULL)
        return -ENOMEM;
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0)
            return -ETIMEDOUT;
        struct pollfd ready = {.fd = fd, .events = POLLIN};
        int polled = poll(&ready, 1, (int)left);
        if (polled < 0 && errno == EINTR)
            continue;
        if (polled < 0)
            return -errno;
        if (polled == 0)
            continue; /* the deadline test above ends the loop */
        char chunk[4096];
        ssize_t got = read(fd, chunk, sizeof(chunk));
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got < 0)
            return -errno;
        if (got == 0)
            return 0;
        size_t kept = (size_t)got;
        if (*length + kept > GRADE_COMPILE_OUTPUT_CAP)
            kept = GRADE_COMPILE_OUTPUT_CAP - *length; /* read on, keep nothing more */
        if (*length + kept + 1 > capacity) {
            while (*length + kept + 1 > capacity)
                capacity *= 2;
            char *grown = realloc(*output, capacity);
            if (grown == NULL)
                return -ENOMEM;
            *output = grown;
        }
        memcpy(*output + *length, chunk, kept);
        *length += kept;
    }
}

/* Runs the compiler; fills compile->output and compile->ok. */
static int run_compiler(struct grade_compile *compile, const char *program, char *why,
                        size_t why_size)
{
    struct fl_command *command = fl_command_new(compile->argv[0]);
    if (command == NULL)
        return -ENOMEM;
    fl_command_args(command, (const char *const *)compile->argv + 1);
    fl_command_stdio(command, FL_STDIN, FL_NULL);
    fl_command_stdio(command, FL_STDOUT, FL_PIPE);
    fl_command_stdio(command, FL_STDERR, FL_MERGE);
    /* If forklab is killed, the compiler goes too. */
    fl_command_die_with_parent(command, SIGKILL);
    fl_command_release(command, FL_RELEASE_KILL, 0);

    struct fl_child *child = NULL;
    int error = fl_command_spawn(command, &child);
    if (error < 0) {
        snprintf(why, why_size, "%s", fl_command_strerror(command));
        fl_command_free(&command);
        return error;
    }
    long deadline = now_ms() + GRADE_COMPILE_TIMEOUT_MS;
    error = read_messages(fl_child_fd(child, FL_STDOUT), deadline, &compile->output,
                          &compile->output_length);
    struct fl_status status = {0};
    if (error == 0) {
        long left = deadline - now_ms();
        error = fl_child_wait_timeout(child, left > 0 ? (int)left : 0, &status);
    }
    fl_child_free(&child); /* kills and reaps it if it is still running */
    fl_command_free(&command);
    if (compile->output == NULL)
        return -ENOMEM;
    compile->output[compile->output_length] = '\0';
    if (error == -ETIMEDOUT) {
        /* The student's fault as far as anyone can tell: a score of 0. */
        char note[128];
        int length =
            snprintf(note, sizeof(note), "\nforklab: the compiler did not finish in %d s\n",
                     GRADE_COMPILE_TIMEOUT_MS / 1000);
        char *grown = realloc(compile->output, compile->output_length + (size_t)length + 1);
        if (grown == NULL)
            return -ENOMEM;
        memcpy(grown + compile->output_length, note, (size_t)length + 1);
        compile->output = grown;
        compile->output_length += (size_t)length;
        compile->ok = false;
        return 0;
    }
    if (error < 0) {
        snprintf(why, why_size, "running the compiler: %s", strerror(-error));
        return error;
    }
    compile->ok = fl_status_success(status) && access(program, X_OK) == 0;
    return 0;
}

static int set_text(char **field, const char *format, const char *detail)
{
    if (asprintf(field, format, detail) < 0) {
        *field = NULL;
        return -ENOMEM;
    }
    return 0;
}

int grade_compile(const struct grade_options *options, const char *program,
                  struct grade_result *result, char *why, size_t why_size)
{
    const char *submission = options->submission;
    struct stat status;
    if (stat(submission, &status) != 0) {
        int error = -errno;
        snprintf(why, why_size, "%s: %s", submission, strerror(errno));
        return error;
    }
    struct string_list sources = {0};
    bool is_dir = S_ISDIR(status.st_mode);
    int error = 0;
    if (is_dir)
        error = list_sources(submission, &sources);
    else if (S_ISREG(status.st_mode) && ends_with(submission, ".c") && submission[0] == '-')
        error = add_dot_slash(&sources, submission); /* else cc would read an option */
    else if (S_ISREG(status.st_mode) && ends_with(submission, ".c"))
        error = string_list_add(&sources, submission);
    if (error < 0) {
        snprintf(why, why_size, "%s: %s", submission, strerror(-error));
        string_list_free(&sources);
        return error;
    }
    if (sources.count == 0) {
        result->status = GRADE_NO_SOURCE;
        string_list_free(&sources);
        return set_text(&result->explanation,
                        is_dir ? "nothing to grade: the folder %s holds no .c file (those in its "
                                 "subfolders are not built)"
                               : "nothing to grade: %s is not a C source file (a .c file)",
                        submission);
    }

    bool wrapper = false;
    error = any_includes_wrapper(&sources, &wrapper);
    if (error == 0 && wrapper &&
        (options->kit->include_dir[0] == '\0' || options->kit->library[0] == '\0')) {
        snprintf(why, why_size,
                 "the submission includes forklab.h, but the wrapper's header or libforklab.a "
                 "was not found next to forklab (root %s)",
                 options->kit->root);
        error = -ENOENT;
    }
    struct string_list argv = {0};
    if (error == 0)
        error = build_command_line(options, program, &sources, is_dir, wrapper, &argv);
    string_list_free(&sources);
    if (error < 0) {
        if (error == -ENOMEM)
            snprintf(why, why_size, "out of memory");
        string_list_free(&argv);
        return error;
    }
    result->compile.argv = argv.items; /* the result owns the list now */

    error = run_compiler(&result->compile, program, why, why_size);
    if (error < 0)
        return error;
    if (!result->compile.ok) {
        result->status = GRADE_COMPILE_FAILED;
        result->explanation = strdup("the submission did not compile: see the compiler's messages");
        return result->explanation != NULL ? 0 : -ENOMEM;
    }
    return 0;
}
