/* Builds the sample report records of sample_report.h through the record's
 * own API, and small helpers to run real consumers (prove, dot) on output. */
#include "sample_report.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char **strv(int count, ...)
{
    va_list args;
    va_start(args, count);
    char **strings = calloc(count + 1, sizeof(char *));
    cr_assert_not_null(strings);
    for (int i = 0; i < count; i++)
        strings[i] = strdup(va_arg(args, const char *));
    va_end(args);
    return strings;
}

static void set_output(struct captured_output *output, const char *data, size_t length,
                       size_t total)
{
    output->data = malloc(length + 1);
    cr_assert_not_null(output->data);
    memcpy(output->data, data, length);
    output->data[length] = '\0';
    output->length = length;
    output->total = total;
}

static struct process_record *add_process(struct report *report, pid_t pid, pid_t ppid,
                                          const char *program, enum process_end end, int code)
{
    struct process_record *process = report_add_process(report, pid, ppid);
    cr_assert_not_null(process);
    if (program != NULL)
        cr_assert_eq(process_record_add_program(process, program), 0);
    process->end = end;
    process->code = code;
    process->reaped_by_parent = true;
    return process;
}

void sample_clean_report(struct report *report)
{
    report_init(report);
    report->program = strdup("/usr/bin/true");
    report->argv = strv(1, "true");
    report->main_pid = 100;
    report->main_end = PROCESS_EXITED;
    report->main_code = 0;
    report->duration_ms = 3;
    add_process(report, 100, 1, "/usr/bin/true", PROCESS_EXITED, 0);
    cr_assert_eq(report_add_check(report, "trace"), 0);
    set_output(&report->out, "hello\n", 6, 6);
}

void sample_broken_report(struct report *report)
{
    report_init(report);
    report->program = strdup("/usr/bin/sh");
    report->argv = strv(3, "sh", "-c", "sleep 9 & cat");
    report->main_pid = 100;
    report->main_end = PROCESS_EXITED;
    report->main_code = 3;
    report->duration_ms = 1234;

    add_process(report, 100, 1, "/usr/bin/sh", PROCESS_EXITED, 3);
    struct process_record *sleeper =
        add_process(report, 101, 100, "/usr/bin/sh", PROCESS_STOPPED_BY_HARNESS, SIGKILL);
    cr_assert_eq(process_record_add_program(sleeper, "/bin/sleep"), 0);
    sleeper->reaped_by_parent = false;
    struct process_record *cat =
        add_process(report, 102, 100, "/bin/cat", PROCESS_SIGNALED, SIGSEGV);
    cat->core_dumped = true;
    cat->reaped_by_parent = false;
    add_process(report, 103, 101, NULL, PROCESS_EXITED, 0);
    struct process_record *thread = add_process(report, 104, 100, NULL, PROCESS_EXITED, 0);
    thread->is_thread = true;

    cr_assert_eq(report_add_finding(report, FINDING_ZOMBIE, 102,
                                    json_pack("{s:i, s:s}", "parent", 100, "program", "/bin/cat"),
                                    "process %d (%s) ended, but its parent %d never waited for it",
                                    102, "/bin/cat", 100),
                 0);
    cr_assert_eq(report_add_finding(report, FINDING_FD_LEAK, 101,
                                    json_pack("{s:i, s:s}", "fd", 3, "target", "pipe:[42]"),
                                    "fd 3 <&\"'> was still open in %s", "/bin/sleep"),
                 0);
    cr_assert_eq(report_add_finding(report, FINDING_RUNAWAY_CHILD, 101,
                                    json_pack("{s:[i, i]}", "descendants", 101, 103),
                                    "process 101 was still running when the program ended"),
                 0);
    cr_assert_eq(report_add_finding(report, FINDING_CRASH, 102,
                                    json_pack("{s:s, s:i}", "signal", "SIGSEGV", "number", 11),
                                    "process 102 (/bin/cat) was killed by SIGSEGV"),
                 0);
    cr_assert_eq(report_add_check(report, "trace"), 0);

    static const char out[] = "line one <&>\n\x01\x1b[31mred\xff\xfe end\nlast";
    set_output(&report->out, out, sizeof(out) - 1, 5000);
}

/* Adds a child of 100 created `how`, from a parent holding `parent_kib`. */
static void add_child(struct report *report, pid_t pid, const char *program,
                      enum process_creation how, long parent_kib)
{
    struct process_record *child = add_process(report, pid, 100, program, PROCESS_EXITED, 0);
    child->created_by = how;
    child->parent_rss_kib = parent_kib;
    child->exec_first = program != NULL;
}

void sample_spawn_report(struct report *report)
{
    sample_clean_report(report);
    report->processes[0].created_by = PROCESS_CREATED_FORKLAB;
    add_child(report, 101, "/bin/true", PROCESS_CREATED_FORK, 262400);
    add_child(report, 102, "/bin/true", PROCESS_CREATED_VFORK, 262400);
    add_child(report, 103, NULL, PROCESS_CREATED_FORK, 262400);
    add_child(report, 104, "/bin/true", PROCESS_CREATED_FORK, 2048);
}

char *render_to_string(int (*render)(const struct report *, FILE *), const struct report *report)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert_not_null(out);
    cr_assert_eq(render(report, out), 0, "the renderer failed");
    cr_assert_eq(fclose(out), 0);
    return text;
}

int run_tool(char *const argv[], const char *input_path, const char *output_path)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, input_path ? input_path : "/dev/null", O_RDONLY,
                                     0);
    posix_spawn_file_actions_addopen(&actions, 1, output_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid;
    extern char **environ;
    int failed = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed)
        return -1;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        cr_assert_eq(errno, EINTR);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int tool_exists(const char *name)
{
    const char *path = getenv("PATH");
    char candidate[4096];
    for (const char *dir = path ? path : "/usr/bin:/bin"; *dir != '\0';) {
        size_t length = strcspn(dir, ":");
        snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)length, dir, name);
        if (access(candidate, X_OK) == 0)
            return 1;
        dir += length + (dir[length] == ':');
    }
    return 0;
}

char *write_temp_file(const char *text)
{
    char *path = strdup("/tmp/forklab-render-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    size_t length = strlen(text);
    cr_assert_eq(write(fd, text, length), (ssize_t)length);
    close(fd);
    return path;
}

char *read_whole_file(const char *path)
{
    FILE *in = fopen(path, "r");
    cr_assert_not_null(in, "cannot open %s", path);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    char buffer[4096];
    size_t got;
    while ((got = fread(buffer, 1, sizeof(buffer), in)) > 0)
        fwrite(buffer, 1, got, out);
    fclose(in);
    fclose(out);
    return text;
}
