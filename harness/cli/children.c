/* `forklab children [--log FILE]`: one line naming every child of the
 * process that ran it, besides itself, with its state: in a shell, what
 * the shell has not waited for. The shell lab's graded sessions run it
 * between commands (grade/sessions.c), which is why the line goes to a log
 * on request: the shell's stdout is what the session compares. Exit: 0 no
 * child left, 1 some, 2 error. */
#include "cli/children.h"

#include "cli/cli.h"
#include "cli/parse.h"
#include "cli/program_name.h"
#include "trace/proc/proc_stat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_children_help(FILE *out)
{
    fprintf(out,
            "usage: %s children [--log FILE]\n"
            "\n"
            "Lists the children of the process that runs it (leaving itself out), as the\n"
            "kernel has them now: run it as a command inside your shell to see the zombies\n"
            "and stray processes your shell has left.\n"
            "  pid 4242 (myshell) has no child left\n"
            "  pid 4242 (myshell) has 2 children left: pid 4250 (sort, a zombie), ...\n"
            "\n"
            "Options:\n"
            "  --log FILE  append the line to FILE instead of printing it\n"
            "  -h, --help  show this help\n"
            "\n"
            "Exit status: 0 no child left, 1 some, 2 error.\n",
            cli_program_name());
}

struct children_command {
    const char *log; /* NULL: print the line */
    bool help;
};

static int apply_option(void *context, int option, const char *value)
{
    struct children_command *command = context;
    if (option == 'l')
        command->log = value;
    else
        command->help = true;
    return 0;
}

/* Our own pid as /proc numbers it (it may be another PID namespace's). */
static pid_t proc_self(void)
{
    char link[32];
    ssize_t length = readlink("/proc/self", link, sizeof(link) - 1);
    if (length <= 0)
        return -1;
    link[length] = '\0';
    return (pid_t)strtol(link, NULL, 10);
}

static const char *state_text(char state)
{
    switch (state) {
    case 'Z':
        return "a zombie";
    case 'T':
    case 't':
        return "stopped";
    case 'X':
        return "dead";
    default:
        return "running";
    }
}

/* Oldest first; pids only break a tie (they wrap around, and a younger
 * process may have a smaller one). */
static int compare_start(const void *a, const void *b)
{
    const struct proc_stat *left = a, *right = b;
    if (left->start_time != right->start_time)
        return left->start_time < right->start_time ? -1 : 1;
    return (left->pid > right->pid) - (left->pid < right->pid);
}

/* Writes the line about `parent`'s children other than `self` to `out`;
 * returns how many there are, or a negative errno. */
static long describe_children(pid_t parent, pid_t self, FILE *out)
{
    struct proc_stat parent_stat;
    if (proc_stat_read(parent, &parent_stat) < 0)
        snprintf(parent_stat.comm, sizeof(parent_stat.comm), "?");
    DIR *proc = opendir("/proc");
    if (proc == NULL)
        return -errno;
    struct proc_stat *children = NULL;
    size_t count = 0, capacity = 0;
    long error = 0;
    struct dirent *entry;
    while (error == 0 && (entry = readdir(proc)) != NULL) {
        char *end;
        long pid = strtol(entry->d_name, &end, 10);
        struct proc_stat stat;
        if (*end != '\0' || pid <= 0 || pid == self || proc_stat_read((pid_t)pid, &stat) < 0 ||
            stat.ppid != parent)
            continue;
        if (count == capacity) {
            capacity = capacity ? 2 * capacity : 16;
            struct proc_stat *grown = realloc(children, capacity * sizeof(*children));
            if (grown == NULL) {
                error = -ENOMEM;
                break;
            }
            children = grown;
        }
        children[count++] = stat;
    }
    closedir(proc);
    if (error == 0) {
        if (count > 1)
            qsort(children, count, sizeof(*children), compare_start);
        if (count == 0)
            fprintf(out, "pid %d (%s) has no child left\n", (int)parent, parent_stat.comm);
        else
            fprintf(out, "pid %d (%s) has %zu child%s left:", (int)parent, parent_stat.comm, count,
                    count == 1 ? "" : "ren");
        for (size_t i = 0; i < count; i++)
            fprintf(out, "%s pid %d (%s, %s)%s", i > 0 ? "," : "", (int)children[i].pid,
                    children[i].comm, state_text(children[i].state), i + 1 == count ? "\n" : "");
    }
    free(children);
    return error < 0 ? error : (long)count;
}

int cli_children_main(int argc, char **argv)
{
    static const struct option options[] = {
        {"log", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct children_command command = {NULL, false};
    int status = cli_parse_options(argc, argv, "children", "+:h", options, apply_option, &command);
    if (status != 0)
        return status;
    if (command.help) {
        cli_children_help(stdout);
        return EXIT_NO_FINDINGS;
    }
    const char *log = command.log;
    if (optind < argc)
        return cli_error("children: unexpected argument '%s' (see %s help children)", argv[optind],
                         cli_program_name());
    pid_t self = proc_self();
    struct proc_stat stat;
    if (self <= 0 || proc_stat_read(self, &stat) < 0)
        return cli_error("children: cannot read /proc/self/stat");

    /* One line, written with one write(), so that two probes never mix. */
    char *line = NULL;
    size_t size = 0;
    FILE *text = open_memstream(&line, &size);
    long count = text != NULL ? describe_children(stat.ppid, self, text) : -ENOMEM;
    if (text != NULL && fclose(text) != 0 && count >= 0)
        count = -ENOMEM;
    if (count < 0) {
        free(line);
        return cli_error("children: %s", strerror((int)-count));
    }
    int fd =
        log != NULL ? open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644) : STDOUT_FILENO;
    if (fd < 0) {
        free(line);
        return cli_error("children: %s: %s", log, strerror(errno));
    }
    ssize_t written;
    do
        written = write(fd, line, size);
    while (written < 0 && errno == EINTR);
    int error = written == (ssize_t)size ? 0 : errno != 0 ? errno : EIO;
    if (log != NULL)
        close(fd);
    free(line);
    if (written != (ssize_t)size)
        return cli_error("children: cannot write the line: %s", strerror(error));
    return count == 0 ? EXIT_NO_FINDINGS : EXIT_FINDINGS;
}
