/* Reads valgrind's text log line by line. Lines of different processes may
 * interleave, so each pid keeps its own cursor: the record (leak, descriptor,
 * bad close) that the "at"/"by" stack lines that follow belong to. */
#include "valgrind/log.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum log_section { SECTION_NONE, SECTION_OPEN_FD, SECTION_LEAK, SECTION_BAD_CLOSE };

struct log_cursor {
    pid_t pid;
    enum log_section section;
    size_t item; /* index of the record in its process's array */
};

struct log_parser {
    struct valgrind_output *output;
    struct log_cursor *cursors;
    size_t cursor_count;
};

static struct log_cursor *cursor_for(struct log_parser *parser, pid_t pid)
{
    for (size_t i = 0; i < parser->cursor_count; i++)
        if (parser->cursors[i].pid == pid)
            return &parser->cursors[i];
    struct log_cursor *grown =
        realloc(parser->cursors, (parser->cursor_count + 1) * sizeof(*parser->cursors));
    if (grown == NULL)
        return NULL;
    parser->cursors = grown;
    grown[parser->cursor_count] = (struct log_cursor){.pid = pid, .section = SECTION_NONE};
    return &grown[parser->cursor_count++];
}

static bool starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* Reads a count as valgrind prints it, with thousands separators ("1,024"). */
static bool read_count(const char **text, unsigned long long *value)
{
    const char *p = *text;
    if (!isdigit((unsigned char)*p))
        return false;
    *value = 0;
    for (; isdigit((unsigned char)*p) || *p == ','; p++)
        if (*p != ',')
            *value = *value * 10 + (unsigned long long)(*p - '0');
    *text = p;
    return true;
}

/* "  at 0x4841888: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)"
 * "  by 0x109186: main (/work/main/tests/fixtures/vg-leak.c:21)"
 * "  by 0x48DED8F: (below main) (libc_start_call_main.h:58)"  */
static int add_frame(struct valgrind_stack *stack, const char *body)
{
    const char *colon = strstr(body, ": ");
    if (colon == NULL)
        return 0;
    char *rest = strdup(colon + 2);
    if (rest == NULL)
        return -ENOMEM;
    char *file = NULL, *object = NULL;
    int line = 0;
    size_t length = strlen(rest);
    /* The last " (" opens the location: a function name may hold parentheses. */
    char *open = NULL;
    for (char *p = strstr(rest, " ("); p != NULL; p = strstr(p + 1, " ("))
        open = p;
    if (open != NULL && length > 0 && rest[length - 1] == ')') {
        rest[length - 1] = '\0';
        *open = '\0';
        char *location = open + 2;
        if (starts_with(location, "in ")) {
            object = location + 3;
        } else {
            char *last_colon = strrchr(location, ':');
            if (last_colon != NULL && last_colon[1] != '\0' &&
                strspn(last_colon + 1, "0123456789") == strlen(last_colon + 1)) {
                *last_colon = '\0';
                line = atoi(last_colon + 1);
            }
            file = location;
        }
    }
    int result = valgrind_stack_add(stack, rest, file, line, object);
    free(rest);
    return result;
}

/* The stack that "at"/"by" lines of this process currently extend, if any. */
static struct valgrind_stack *current_stack(struct valgrind_process *process,
                                            const struct log_cursor *cursor)
{
    switch (cursor->section) {
    case SECTION_OPEN_FD:
        return &process->open_fds[cursor->item].stack;
    case SECTION_LEAK:
        return &process->leaks[cursor->item].stack;
    case SECTION_BAD_CLOSE:
        return &process->bad_closes[cursor->item].stack;
    case SECTION_NONE:
        break;
    }
    return NULL;
}

/* "64 (32 direct, 32 indirect) bytes in 1 blocks are definitely lost in loss record 2 of 2" */
static int parse_leak_header(struct valgrind_process *process, struct log_cursor *cursor,
                             const char *body)
{
    unsigned long long bytes, blocks;
    const char *p = body;
    if (!read_count(&p, &bytes))
        return 0;
    if (starts_with(p, " (")) {
        p = strchr(p, ')');
        if (p == NULL)
            return 0;
        p++;
    }
    if (!starts_with(p, " bytes in "))
        return 0;
    p += strlen(" bytes in ");
    if (!read_count(&p, &blocks) || !starts_with(p, " blocks are "))
        return 0;
    p += strlen(" blocks are ");
    enum valgrind_loss loss;
    if (starts_with(p, "definitely lost"))
        loss = VALGRIND_DEFINITELY_LOST;
    else if (starts_with(p, "indirectly lost"))
        loss = VALGRIND_INDIRECTLY_LOST;
    else
        return 0; /* possibly lost or still reachable: not a finding */
    struct valgrind_leak *leak = valgrind_process_add_leak(process);
    if (leak == NULL)
        return -ENOMEM;
    leak->loss = loss;
    leak->bytes = bytes;
    leak->blocks = blocks;
    cursor->section = SECTION_LEAK;
    cursor->item = process->leak_count - 1;
    return 0;
}

/* "Open file descriptor 7: /etc/hostname", "Open file descriptor 4:" (a pipe),
 * "Open AF_UNIX socket 5: <unknown>". */
static int parse_open_fd(struct valgrind_process *process, struct log_cursor *cursor,
                         const char *body)
{
    const char *number;
    const char *target = NULL;
    if (starts_with(body, "Open file descriptor ")) {
        number = body + strlen("Open file descriptor ");
    } else {
        const char *socket = strstr(body, " socket ");
        if (socket == NULL)
            return 0;
        number = socket + strlen(" socket ");
        target = "socket";
    }
    char *end;
    long fd = strtol(number, &end, 10);
    if (end == number || *end != ':')
        return 0;
    if (target == NULL && end[1] == ' ' && end[2] != '\0')
        target = end + 2;
    struct valgrind_open_fd *open_fd = valgrind_process_add_open_fd(process);
    if (open_fd == NULL || valgrind_set_string(&open_fd->target, target) < 0)
        return -ENOMEM;
    open_fd->fd = (int)fd;
    cursor->section = SECTION_OPEN_FD;
    cursor->item = process->open_fd_count - 1;
    return 0;
}

/* "Warning: invalid file descriptor -1 in syscall close()" */
static int parse_bad_close(struct valgrind_process *process, struct log_cursor *cursor,
                           const char *body)
{
    const char *number = body + strlen("Warning: invalid file descriptor ");
    char *end;
    long fd = strtol(number, &end, 10);
    if (end == number || strcmp(end, " in syscall close()") != 0)
        return 0;
    struct valgrind_bad_close *bad_close = valgrind_process_add_bad_close(process);
    if (bad_close == NULL)
        return -ENOMEM;
    bad_close->fd = (int)fd;
    cursor->section = SECTION_BAD_CLOSE;
    cursor->item = process->bad_close_count - 1;
    return 0;
}

/* "Command: /path/to/program arg..." opens the log of every program valgrind
 * starts, the main one and each exec'd one; a forked child prints none. */
static int parse_command(struct valgrind_process *process, const char *command)
{
    size_t length = strcspn(command, " ");
    char *program = strndup(command, length);
    if (program == NULL)
        return -ENOMEM;
    free(process->program);
    process->program = program;
    process->started_program = true;
    return 0;
}

static int parse_body(struct log_parser *parser, pid_t pid, const char *body)
{
    struct valgrind_process *process = valgrind_output_process(parser->output, pid);
    struct log_cursor *cursor = cursor_for(parser, pid);
    if (process == NULL || cursor == NULL)
        return -ENOMEM;

    const char *trimmed = body + strspn(body, " ");
    if (trimmed != body && (starts_with(trimmed, "at 0x") || starts_with(trimmed, "by 0x"))) {
        struct valgrind_stack *stack = current_stack(process, cursor);
        return stack != NULL ? add_frame(stack, trimmed) : 0;
    }
    if (strcmp(trimmed, "<inherited from parent>") == 0) {
        if (cursor->section == SECTION_OPEN_FD)
            process->open_fds[cursor->item].inherited = true;
        return 0;
    }
    cursor->section = SECTION_NONE;
    if (starts_with(body, "Command: "))
        return parse_command(process, body + strlen("Command: "));
    if (starts_with(body, "Parent PID: ")) {
        process->ppid = (pid_t)atol(body + strlen("Parent PID: "));
        return 0;
    }
    if (starts_with(body, "FILE DESCRIPTORS: ")) {
        process->fds_checked = true;
        return 0;
    }
    if (starts_with(body, "Open "))
        return parse_open_fd(process, cursor, body);
    if (starts_with(body, "Warning: invalid file descriptor "))
        return parse_bad_close(process, cursor, body);
    if (starts_with(body, "Process terminating with default action of signal ")) {
        process->fatal_signal =
            atoi(body + strlen("Process terminating with default action of signal "));
        return 0;
    }
    if (starts_with(body, "ERROR SUMMARY: ")) {
        process->finished = true;
        return 0;
    }
    if (isdigit((unsigned char)body[0]))
        return parse_leak_header(process, cursor, body);
    return 0;
}

/* Splits "==1234== body" into pid and body; false for any other line. */
static bool split_line(const char *line, pid_t *pid, const char **body)
{
    if (!starts_with(line, "=="))
        return false;
    char *end;
    long value = strtol(line + 2, &end, 10);
    if (end == line + 2 || value <= 0 || !starts_with(end, "=="))
        return false;
    *pid = (pid_t)value;
    *body = end[2] == ' ' ? end + 3 : end + 2;
    return true;
}

int valgrind_log_parse(const char *text, size_t length, struct valgrind_output *output, char *why,
                       size_t why_size)
{
    struct log_parser parser = {.output = output};
    size_t valgrind_lines = 0, other_lines = 0;
    int result = 0;
    for (size_t start = 0; start < length && result == 0;) {
        /* The last line may lack its newline: valgrind ends a program killed by
         * a signal right after "ERROR SUMMARY: ...", before the newline. */
        const char *newline = memchr(text + start, '\n', length - start);
        size_t end = newline != NULL ? (size_t)(newline - text) : length;
        char *line = strndup(text + start, end - start);
        if (line == NULL) {
            result = -ENOMEM;
            break;
        }
        pid_t pid;
        const char *body;
        /* strndup stops at a NUL byte: such a line is damaged, not valgrind's. */
        if (strlen(line) == end - start && split_line(line, &pid, &body)) {
            valgrind_lines++;
            result = parse_body(&parser, pid, body);
        } else if (end > start) {
            other_lines++;
        }
        free(line);
        start = end + 1;
    }
    free(parser.cursors);
    if (result < 0) {
        snprintf(why, why_size, "out of memory while reading the valgrind log");
        return result;
    }
    output->skipped_lines += other_lines;
    if (valgrind_lines == 0 && other_lines > 0) {
        snprintf(why, why_size,
                 "not a valgrind log: none of its %zu lines starts with ==PID==", other_lines);
        return -EBADMSG;
    }
    valgrind_output_name_targets(output);
    return 0;
}
