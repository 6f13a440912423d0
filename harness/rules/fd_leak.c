/* fd_leak: a descriptor other than 0-2 that a process did not mean to keep.
 *
 * Across an exec: at PTRACE_EVENT_EXEC the close-on-exec descriptors are
 * already closed and the new program has not started, so each fd >= 3 still
 * open crossed into a program that does not know it has it (a missing
 * O_CLOEXEC, or a missing close() before exec). The classic consequence: a
 * pipe's write end kept open in `cat` or `wc`, whose reader then never sees
 * end of file. Always a finding.
 *
 * At exit, by default, only what did harm: the write end of a pipe that the
 * process kept after it was done writing, while another process waited on
 * that pipe for end of file. Exit closes everything, so a worker that writes
 * its result and exits (dprintf(fds[1], ...); _exit(0)) delays nobody, and
 * is not reported. The facts that prove the harm, each read at a defined
 * stop: the process went idle (a sleep, a blocking wait, pause) holding the
 * end, and wrote nothing from then to its exit (so it no longer needed it);
 * and at its exit, held until the pipe's readers settled, a reader was
 * blocked reading that pipe with no other write end left open anywhere
 * (trace/exit_readers.c): its end of file came only with this exit.
 *
 * At exit with --strict-fds (courses that grade "close what you open"):
 * every descriptor the process opened itself and still held, files
 * included, as valgrind --track-fds lists them; what it had from its start
 * (inherited through fork, or across its last exec) is not its own.
 *
 * Never reported at exit: interpreters and shells (their runtimes keep their
 * own descriptors to the end by design: a shell keeps its script as fd 255,
 * Python's multiprocessing its pipes), and a descriptor already reported as
 * having crossed an exec into that process. --allow-fd descriptors are
 * passed on purpose and never count. Identical leaks (same fd, same target,
 * same program) in several processes make one finding that lists them. */
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

static bool same_entry(const struct fd_entry *a, const struct fd_entry *b)
{
    return a->fd == b->fd && strcmp(a->target, b->target) == 0;
}

static bool in_facts(const struct fd_fact *facts, size_t count, const struct fd_entry *entry)
{
    for (size_t i = 0; i < count; i++)
        if (same_entry(&facts[i].entry, entry))
            return true;
    return false;
}

/* Whether the process had it from its start: across an exec, or (a process
 * that never exec'd) from its fork. */
static bool had_from_start(const struct traced_process *process, const struct fd_entry *entry)
{
    return in_facts(process->fds_after_exec, process->fds_after_exec_count, entry) ||
           (process->program_count == 0 &&
            in_facts(process->fds_at_start, process->fds_at_start_count, entry));
}

/* The first reader that waited for this end at the process's exit, or NULL. */
static const struct pipe_reader_fact *reader_kept_waiting(const struct traced_process *process,
                                                          const struct fd_entry *entry)
{
    for (size_t i = 0; i < process->waiting_reader_count; i++)
        if (process->waiting_readers[i].fd == entry->fd)
            return &process->waiting_readers[i];
    return NULL;
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

/* The harm at exit: the end was held, no longer needed, while a reader
 * waited on its pipe. The evidence names both. */
static int report_kept_waiting(const struct leak *leak, const struct pipe_reader_fact *reader,
                               json_t *evidence, const char *what, const char *more,
                               struct report *report)
{
    const struct traced_process *process = leak->process;
    const struct fd_entry *entry = &leak->fact->entry;
    json_t *readers = json_array();
    for (size_t i = 0; i < process->waiting_reader_count; i++) {
        const struct pipe_reader_fact *fact = &process->waiting_readers[i];
        if (fact->fd != entry->fd)
            continue;
        json_array_append_new(readers,
                              json_pack("{s:i, s:s, s:i}", "pid", (int)fact->reader, "program",
                                        fact->reader_program ? fact->reader_program : "?", "fd",
                                        fact->reader_fd));
    }
    evidence_set_reason(evidence, REASON_HELD_AFTER_WRITING);
    json_object_set_new(evidence, "idle", json_string(process->idle.call));
    json_object_set_new(evidence, "kept_waiting", readers);
    return report_add_finding(
        report, FINDING_FD_LEAK, process->pid, evidence,
        "pid %d (%s) kept fd %d (%s) open after it was done writing, through %s() and until its "
        "exit, while pid %d (%s) waited in a read of that pipe (its fd %d) for the end of file "
        "that only the exit brought: close(%d) as soon as the writing is done%s",
        (int)process->pid, rule_program(process), entry->fd, what, process->idle.call,
        (int)reader->reader, reader->reader_program ? reader->reader_program : "?",
        reader->reader_fd, entry->fd, more);
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
    const struct pipe_reader_fact *reader =
        leak->at_exit ? reader_kept_waiting(leak->process, entry) : NULL;
    if (reader != NULL)
        return report_kept_waiting(leak, reader, evidence, what, more, report);
    if (leak->at_exit) {
        json_object_set_new(evidence, "strict", json_true());
        return report_add_finding(report, FINDING_FD_LEAK, leak->process->pid, evidence,
                                  "pid %d (%s) exited with fd %d (%s) still open: it opened it "
                                  "and never closed it (every descriptor must be closed, "
                                  "--strict-fds)%s",
                                  (int)leak->process->pid, program, entry->fd, what, more);
    }
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
            const struct fd_entry *entry = &fact->entry;
            if (is_allowed(input->options, entry->fd) ||
                rule_is_interpreter(fact->program ? fact->program : "") ||
                in_facts(process->fds_after_exec, process->fds_after_exec_count, entry))
                continue;
            bool strict = input->options->strict_fds && !had_from_start(process, entry);
            if (strict || reader_kept_waiting(process, entry) != NULL)
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
