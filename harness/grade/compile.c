/* The compile step of grading: builds the submission's .c files with the
 * project's flags (and the wrapper when one includes forklab.h) through the
 * wrapper itself, with a time limit and the kernel's memory and CPU limits
 * (a source can make cc1 eat the machine: #include "/dev/zero"), keeping
 * the compiler's messages. */
#include "grade/grade.h"
#include "core/clock.h"

#include "trace/sandbox/cgroup_limits.h"
#include "trace/sandbox/sandbox.h"

#include <forklab.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* A source file's name on the compiler's command line, relative to the
 * submission's folder: "alice.c", or "./-alice.c" (else cc would read an
 * option). */
static int add_source_name(struct string_list *list, const char *name)
{
    if (name[0] != '-')
        return string_list_add(list, name);
    char *prefixed;
    if (asprintf(&prefixed, "./%s", name) < 0)
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

/* The regular .c files directly inside `dir`, as dir/name in `paths` (to
 * read them) and as names in `names` (for the compiler, which runs in `dir`),
 * both sorted so the command line is the same on every machine. */
static int list_sources(const char *dir, struct string_list *paths, struct string_list *names)
{
    struct string_list *sources = paths;
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
    size_t prefix = strlen(dir) + 1;
    for (size_t i = 0; error == 0 && i < sources->count; i++)
        error = add_source_name(names, sources->items[i] + prefix);
    return error;
}

/* `path` made absolute against the working directory, as the compiler runs
 * elsewhere (in the submission's folder). */
static int absolute_path(const char *path, char *buffer, size_t size)
{
    if (path[0] == '/')
        return snprintf(buffer, size, "%s", path) < (int)size ? 0 : -ENAMETOOLONG;
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == NULL)
        return -errno;
    return snprintf(buffer, size, "%s/%s", cwd, path) < (int)size ? 0 : -ENAMETOOLONG;
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

/* The command line, to be run in the submission's folder: the kit's paths
 * and the program are made absolute, the sources are plain names. */
static int build_command_line(const struct grade_options *options, const char *program,
                              const struct string_list *sources, bool is_dir, bool wrapper,
                              struct string_list *argv)
{
    char include_dir[PATH_MAX], library[PATH_MAX], output[PATH_MAX];
    int error = absolute_path(program, output, sizeof(output));
    if (error == 0 && wrapper)
        error = absolute_path(options->kit->include_dir, include_dir, sizeof(include_dir));
    if (error == 0 && wrapper)
        error = absolute_path(options->kit->library, library, sizeof(library));
    if (error == 0)
        error = string_list_add(argv, COMPILER);
    for (size_t i = 0; error == 0 && compile_flags[i] != NULL; i++)
        error = string_list_add(argv, compile_flags[i]);
    if (error == 0 && is_dir) /* the student's own headers, for #include <...> too */
        error = string_list_add_pair(argv, "-I", ".");
    if (error == 0 && wrapper)
        error = string_list_add_pair(argv, "-I", include_dir);
    if (error == 0)
        error = string_list_add_pair(argv, "-o", output);
    for (size_t i = 0; error == 0 && i < sources->count; i++)
        error = string_list_add(argv, sources->items[i]);
    if (error == 0 && wrapper)
        error = string_list_add(argv, library);
    if (error == 0)
        error = string_list_add(argv, "-pthread");
    return error;
}

/* Waits until the compiler's driver has exited, without reaping it: while
 * it is unreaped its pid, which is also its process group's id, cannot be
 * handed to another process, so the group can still be signalled safely. */
static int wait_for_exit(struct fl_child *child, long deadline)
{
    for (;;) {
        long left = deadline - clock_now_ms();
        struct pollfd exited = {.fd = fl_child_pidfd(child), .events = POLLIN};
        int polled = poll(&exited, 1, left > 0 ? (int)left : 0);
        if (polled > 0)
            return 0;
        if (polled == 0)
            return -ETIMEDOUT;
        if (errno != EINTR)
            return -errno;
    }
}

/* Reaps what is left of the compiler's tree. We are a subreaper while it
 * runs, so every orphan of the killed group is our child now: with none,
 * nothing is left anywhere; else kill and reap every descendant. */
static void reap_leftovers(void)
{
    int status;
    pid_t reaped;
    do
        reaped = waitpid(-1, &status, __WALL | WNOHANG);
    while (reaped < 0 && errno == EINTR);
    if (reaped < 0 && errno == ECHILD)
        return;
    sandbox_kill_descendants();
}

static int append_note(struct grade_compile *compile, const char *note)
{
    size_t length = strlen(note);
    char *grown = realloc(compile->output, compile->output_length + length + 1);
    if (grown == NULL)
        return -ENOMEM;
    memcpy(grown + compile->output_length, note, length + 1);
    compile->output = grown;
    compile->output_length += length;
    return 0;
}

/* The kernel's limits on the compiler's processes, set in its first one
 * before it execs (so cc1, as and ld, its children, have them too). */
struct compiler_limits {
    const struct cgroup_limits *cgroups;
    long cpu_seconds;
};

static int enter_compiler_limits(void *argument)
{
    const struct compiler_limits *limits = argument;
    int error = cgroup_limits_join(limits->cgroups);
    struct rlimit cpu = {.rlim_cur = (rlim_t)limits->cpu_seconds,
                         .rlim_max = (rlim_t)limits->cpu_seconds};
    if (error == 0 && setrlimit(RLIMIT_CPU, &cpu) != 0)
        error = -errno;
    return error;
}

/* Runs the compiler in `dir`, in a process group of its own (the driver, cc,
 * leads it; cc1, as, collect2 and ld join it), as a subreaper. Whatever
 * happens the whole group is killed at the end: past the time limit killing
 * the driver alone would leave cc1 or ld running, and holding our pipe. When
 * this returns, no process of the compiler exists. Fills compile->output and
 * compile->ok. Past `memory_mib` (0: no limit) the kernel kills it, and
 * the messages end with a note that says so. */
static int run_compiler(const char *dir, long timeout_ms, long memory_mib,
                        struct grade_compile *compile, const char *program, char *why,
                        size_t why_size)
{
    struct cgroup_limits cgroups;
    cgroup_limits_create(&cgroups, 0, memory_mib);
    /* One second more than the wall limit: a backstop, never the first to act. */
    struct compiler_limits limits = {.cgroups = &cgroups,
                                     .cpu_seconds = (timeout_ms + 999) / 1000 + 1};
    struct fl_command *command = fl_command_new(compile->argv[0]);
    if (command == NULL) {
        cgroup_limits_remove(&cgroups);
        return -ENOMEM;
    }
    fl_command_args(command, (const char *const *)compile->argv + 1);
    fl_command_cwd(command, dir);
    fl_command_stdio(command, FL_STDIN, FL_NULL);
    fl_command_stdio(command, FL_STDOUT, FL_PIPE);
    fl_command_stdio(command, FL_STDERR, FL_MERGE);
    fl_command_process_group(command, 0);
    /* If forklab is killed, the compiler goes too. */
    fl_command_die_with_parent(command, SIGKILL);
    fl_command_release(command, FL_RELEASE_KILL, 0);
    fl_command_output_limit(command, GRADE_COMPILE_OUTPUT_CAP); /* read on, keep no more */
    fl_command_pre_exec(command, enter_compiler_limits, &limits);

    int old_subreaper = 0;
    prctl(PR_GET_CHILD_SUBREAPER, &old_subreaper, 0, 0, 0);
    int error = sandbox_become_subreaper();
    if (error < 0) {
        snprintf(why, why_size, "cannot become a child subreaper: %s", strerror(-error));
        fl_command_free(&command);
        cgroup_limits_remove(&cgroups);
        return error;
    }
    struct fl_child *child = NULL;
    error = fl_command_spawn(command, &child);
    if (error < 0) {
        snprintf(why, why_size, "%s", fl_command_strerror(command));
        fl_command_free(&command);
        prctl(PR_SET_CHILD_SUBREAPER, old_subreaper, 0, 0, 0);
        cgroup_limits_remove(&cgroups);
        return error;
    }
    long deadline = clock_now_ms() + timeout_ms;
    /* The messages until end of file or the time limit, the driver not
     * reaped yet: its pid names the group killed below. */
    struct fl_output messages;
    error =
        fl_child_read_output(child, timeout_ms > INT_MAX ? INT_MAX : (int)timeout_ms, &messages);
    compile->output = messages.out;
    compile->output_length = messages.out_len;
    if (error == 0)
        error = wait_for_exit(child, deadline);
    kill(-fl_child_pid(child), SIGKILL);
    struct fl_status status = {0};
    int waited = fl_child_wait(child, &status);
    fl_child_free(&child);
    fl_command_free(&command);
    reap_leftovers();
    prctl(PR_SET_CHILD_SUBREAPER, old_subreaper, 0, 0, 0);
    bool out_of_memory = cgroup_limits_memory_kills(&cgroups) > 0;
    cgroup_limits_remove(&cgroups);
    if (error == 0 && waited < 0)
        error = waited;

    if (compile->output == NULL)
        return -ENOMEM;
    compile->output[compile->output_length] = '\0';
    if (out_of_memory) {
        char note[128];
        snprintf(note, sizeof(note),
                 "\nforklab: the compile used more than %ld MiB of memory, the limit: the kernel "
                 "stopped it\n",
                 memory_mib);
        compile->ok = false;
        return append_note(compile, note);
    }
    if (error == -ETIMEDOUT) {
        /* The student's fault as far as anyone can tell: a score of 0. */
        char note[128];
        snprintf(note, sizeof(note), "\nforklab: the compiler did not finish in %.1f s\n",
                 timeout_ms / 1000.0);
        compile->ok = false;
        return append_note(compile, note);
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

int grade_compile(const struct grade_options *options, const char *source, const char *program,
                  struct grade_result *result, char *why, size_t why_size)
{
    /* Files are read from the copy; messages name the submission as given. */
    const char *submission = source;
    if (source == NULL) { /* neither a file nor a folder */
        result->status = GRADE_NO_SOURCE;
        return set_text(&result->explanation,
                        "nothing to grade: %s is not a C source file (a .c file)",
                        result->submission);
    }
    struct stat status;
    if (stat(submission, &status) != 0) {
        int error = -errno;
        snprintf(why, why_size, "%s: %s", result->submission, strerror(errno));
        return error;
    }
    /* The compiler runs in the submission's folder (the folder itself, or
     * the file's), so its messages name the files as the student does. */
    struct string_list sources = {0}, names = {0};
    bool is_dir = S_ISDIR(status.st_mode);
    char dir[PATH_MAX];
    int error = 0;
    if (is_dir) {
        snprintf(dir, sizeof(dir), "%s", submission);
        error = list_sources(submission, &sources, &names);
    } else if (S_ISREG(status.st_mode) && ends_with(submission, ".c")) {
        const char *slash = strrchr(submission, '/');
        if (slash == NULL)
            snprintf(dir, sizeof(dir), ".");
        else if (slash == submission)
            snprintf(dir, sizeof(dir), "/");
        else
            snprintf(dir, sizeof(dir), "%.*s", (int)(slash - submission), submission);
        error = string_list_add(&sources, submission);
        if (error == 0)
            error = add_source_name(&names, slash != NULL ? slash + 1 : submission);
    }
    if (error < 0) {
        snprintf(why, why_size, "%s: %s", result->submission, strerror(-error));
        string_list_free(&sources);
        string_list_free(&names);
        return error;
    }
    if (sources.count == 0) {
        result->status = GRADE_NO_SOURCE;
        string_list_free(&sources);
        string_list_free(&names);
        return set_text(&result->explanation,
                        is_dir ? "nothing to grade: the folder %s holds no .c file (those in its "
                                 "subfolders are not built)"
                               : "nothing to grade: %s is not a C source file (a .c file)",
                        result->submission);
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
        error = build_command_line(options, program, &names, is_dir, wrapper, &argv);
    string_list_free(&sources);
    string_list_free(&names);
    if (error < 0) {
        if (error == -ENOMEM)
            snprintf(why, why_size, "out of memory");
        string_list_free(&argv);
        return error;
    }
    result->compile.argv = argv.items; /* the result owns the list now */

    long timeout_ms =
        options->compile_timeout_ms > 0 ? options->compile_timeout_ms : GRADE_COMPILE_TIMEOUT_MS;
    error = run_compiler(dir, timeout_ms, options->max_memory_mib, &result->compile, program, why,
                         why_size);
    if (error < 0)
        return error;
    if (!result->compile.ok) {
        result->status = GRADE_COMPILE_FAILED;
        result->explanation = strdup("no check ran: the program did not compile");
        return result->explanation != NULL ? 0 : -ENOMEM;
    }
    return 0;
}
