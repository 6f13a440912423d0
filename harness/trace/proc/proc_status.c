/* Reads /proc/PID/status, whose lines are "Name:\tvalue"; the signal sets
 * are 16 hex digits. The file is a few kilobytes, read in one call: the
 * kernel builds it whole, so one read sees one consistent state. */
#include "trace/proc/proc_status.h"
#include "trace/proc/proc_stat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value after "\nNAME:" (or at the start of the text), or NULL. */
static const char *field(const char *text, const char *name)
{
    size_t length = strlen(name);
    for (const char *line = text; line != NULL && *line != '\0';) {
        if (strncmp(line, name, length) == 0 && line[length] == ':')
            return line + length + 1;
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return NULL;
}

static int hex_field(const char *text, const char *name, signal_bits *value)
{
    const char *start = field(text, name);
    if (start == NULL)
        return -EINVAL;
    char *end;
    errno = 0;
    unsigned long long parsed = strtoull(start, &end, 16);
    if (end == start || errno != 0)
        return -EINVAL;
    *value = (signal_bits)parsed;
    return 0;
}

int proc_status_parse(const char *text, struct proc_status *status)
{
    memset(status, 0, sizeof(*status));
    const char *threads = field(text, "Threads");
    if (threads == NULL)
        return -EINVAL;
    status->threads = atoi(threads);
    signal_bits thread_pending = 0, shared_pending = 0;
    if (hex_field(text, "SigPnd", &thread_pending) < 0 ||
        hex_field(text, "ShdPnd", &shared_pending) < 0 ||
        hex_field(text, "SigBlk", &status->blocked) < 0 ||
        hex_field(text, "SigIgn", &status->ignored) < 0 ||
        hex_field(text, "SigCgt", &status->caught) < 0)
        return -EINVAL;
    status->pending = thread_pending | shared_pending;
    /* "NSpid:\t12345\t2": from the reader's namespace down to its own. */
    const char *pids = field(text, "NSpid");
    while (pids != NULL && *pids != '\n' && *pids != '\0') {
        char *end;
        long pid = strtol(pids, &end, 10);
        if (end == pids)
            break;
        status->own_namespace_pid = (pid_t)pid;
        pids = end;
    }
    return 0;
}

int proc_status_read(pid_t pid, struct proc_status *status)
{
    char text[8192];
    ssize_t length = proc_read_file(pid, "status", text, sizeof(text));
    if (length < 0)
        return (int)length;
    return proc_status_parse(text, status);
}
