/* fd_leak: a descriptor other than 0-2 that a process did not mean to keep.
 *
 * Across an exec: at PTRACE_EVENT_EXEC the close-on-exec descriptors are
 * already closed and the new program has not started, so each fd >= 3 still
 * open crossed into a program that does not know it has it (a missing
 * O_CLOEXEC, or a missing close() before exec). The classic consequence: a
 * pipe's write end kept open in `cat` or `wc`, whose reader then never sees
 * end of file.
 *
 * At exit: only the write end of a pipe counts, and only in a program that
 * is not an interpreter or a shell. Exit closes everything, so what is open
 * at exit matters only by what it did while the process ran. A pipe's write
 * end held open keeps every reader of that pipe from seeing end of file:
 * that is the root of the pipe deadlock, and a process that keeps a write
 * end it is done with to the end has the missing close() that causes it
 * elsewhere. A read end kept after reading to end of file, a file or a
 * directory (bash keeps its script open as fd 255) delays nobody. Sockets
 * are left out: a peer sees the hangup at exit as it would at a close, and
 * runtimes keep theirs to the end. Interpreters and shells are exempt: their
 * runtimes keep their own pipes open until exit by design (Python's
 * multiprocessing pool, a shell's coprocess), which is not the script's
 * code. A descriptor already reported as having crossed an exec into that
 * process is not reported again at its exit: the new program never knew it
 * had it.
 *
 * --allow-fd descriptors are passed on purpose and never count. Identical
 * leaks (same fd, same pipe, same program) in several processes make one
 * finding that lists the processes. */
#include "rules/rules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct leak {
    const struct traced_process *process;
    const struct fd_fact *fact;
    bool at_exit;
};

static bool is_allowed(const struct rule_options *options, int fd)
{
    for (size_t i = 0; i < options->allowed_fd_count; i++)
        if (options->allowed_fds[i] == fd)
            return true;
    return false;
}

static bool is_write_end(const struct fd_entry *entry)
{
    return fd_target_is_pipe(entry->target) && entry->flags >= 0 &&
           (entry->flags & O_ACCMODE) != O_RDONLY;
}

static bool crossed_exec(const struct traced_process *process, const struct fd_entry *entry)
{
    for (size_t i = 0; i < process->fds_after_exec_count; i++)
        if (process->fds_after_exec[i].entry.fd == entry->fd &&
            strcmp(process->fds_after_exec[i].entry.target, entry->target) == 0)
            return true;
    return false;
}

/* By when, then by descriptor, then by when the process was created: the
 * order a program's code makes, never the kernel's inode numbers in the
 * targets nor which of two running siblings exec'd first, so that the same
 * program lists its findings in the same order every time. */
static int compare_leaks(const void *a, const void *b)
{
    const struct leak *left = a, *right = b;
    if (left->at_exit != right->at_exit)
        return left->at_exit - right->at_exit;
    if (left->fact->entry.fd != right->fact->entry.fd)
        return left->fact->entry.fd - right->fact->entry.fd;
    unsigned long left_born = left->process->created_seq, right_born = right->process->created_seq;
    if (left_born != right_born)
        return (left_born > right_born) - (left_born < right_born);
    return (left->fact->seq > right->fact->seq) - (left->fact->seq < right->fact->seq);
}

static bool same_leak(const struct leak *a, const struct leak *b)
{
    return a->at_exit == b->at_exit && a->fact->entry.fd == b->fact->entry.fd &&
           strcmp(a->fact->entry.target, b->fact->entry.target) == 0 &&
           strcmp(a->fact->program ? a->fact->program : "",
                  b->fact->program ? b->fact->program : "") == 0;
}

static const char *what_it_is(const struct fd_entry *entry, char *text, size_t size)
{
    if (fd_target_is_pipe(entry->target))
        snprintf(text, size, "the %s of %s", fd_entry_access(entry), entry->target);
    else
        snprintf(text, size, "%s", entry->target);
    return text;
}

/* One finding for leaks[first .. first+count). */
static int report_leak(const struct leak *leaks, size_t count, struct report *report)
{
    const struct leak *leak = &leaks[0];
    const struct fd_entry *entry = &leak->fact->entry;
    const char *program = leak->fact->program ? leak->fact->program : "?";
    json_t *pids = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(pids, json_integer(leaks[i].process->pid));
    json_t *evidence =
        json_pack("{s:i, s:s, s:s, s:s, s:i, s:s, s:o}", "fd", entry->fd, "target", entry->target,
                  "end", fd_entry_access(entry), "when", leak->at_exit ? "exit" : "exec", "pid",
                  (int)leak->process->pid, "program", program, "pids", pids);
    char what[400], more[64] = "";
    what_it_is(entry, what, sizeof(what));
    if (count > 1)
        snprintf(more, sizeof(more), " (and in %zu more processes)", count - 1);
    if (leak->at_exit)
        return report_add_finding(report, FINDING_FD_LEAK, leak->process->pid, evidence,
                                  "pid %d (%s) exited with fd %d (%s) still open: it never "
                                  "closed it%s",
                                  (int)leak->process->pid, program, entry->fd, what, more);
    return report_add_finding(report, FINDING_FD_LEAK, leak->process->pid, evidence,
                              "fd %d (%s) was still open when pid %d exec'd %s: it needs "
                              "O_CLOEXEC or a close() before the exec%s",
                              entry->fd, what, (int)leak->process->pid, program, more);
}

static int collect(const struct rule_input *input, struct leak **leaks, size_t *count)
{
    const struct trace_run *run = input->run;
    size_t capacity = 0;
    for (size_t i = 0; i < run->count; i++)
        capacity += run->processes[i]->fds_after_exec_count + run->processes[i]->fds_at_exit_count;
    *leaks = calloc(capacity ? capacity : 1, sizeof(**leaks));
    if (*leaks == NULL)
        return -1;
    *count = 0;
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *process = run->processes[i];
        for (size_t j = 0; j < process->fds_after_exec_count; j++) {
            const struct fd_fact *fact = &process->fds_after_exec[j];
            if (!is_allowed(input->options, fact->entry.fd))
                (*leaks)[(*count)++] = (struct leak){process, fact, false};
        }
        for (size_t j = 0; j < process->fds_at_exit_count; j++) {
            const struct fd_fact *fact = &process->fds_at_exit[j];
            if (is_allowed(input->options, fact->entry.fd) || !is_write_end(&fact->entry) ||
                rule_is_interpreter(fact->program ? fact->program : "") ||
                crossed_exec(process, &fact->entry))
                continue;
            (*leaks)[(*count)++] = (struct leak){process, fact, true};
        }
    }
    return 0;
}

int rule_fd_leak(const struct rule_input *input, struct report *report)
{
    struct leak *leaks;
    size_t count;
    if (collect(input, &leaks, &count) < 0)
        return -ENOMEM;
    qsort(leaks, count, sizeof(*leaks), compare_leaks);
    /* Each leak not yet reported opens a finding that gathers every later
     * identical one, moved up next to it (their order is kept). */
    int error = 0;
    for (size_t first = 0; first < count && error == 0;) {
        size_t end = first + 1;
        for (size_t next = end; next < count; next++) {
            if (!same_leak(&leaks[first], &leaks[next]))
                continue;
            struct leak same = leaks[next];
            memmove(&leaks[end + 1], &leaks[end], (next - end) * sizeof(*leaks));
            leaks[end++] = same;
        }
        error = report_leak(&leaks[first], end - first, report);
        first = end;
    }
    free(leaks);
    return error;
}
