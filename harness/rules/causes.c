/* The causes of a hang (a timeout) or of an orphan that the recorded facts
 * prove, beyond "it waits": each adds its evidence fields and a sentence,
 * and sets "reason", from which core/lesson_choice.c picks the lesson.
 * - fork_with_threads: a child of a multithreaded parent that never exec'd
 *   waits in futex: a lock copied locked, whose owner was not copied;
 * - pipe_cycle: processes each blocked on a pipe that only the next one in
 *   the cycle can unblock;
 * - signal_blocked, signal_ignored: a process was sent a signal that would
 *   end it, but blocks or ignores it, and runs on;
 * - unreaped_child: a process hangs, not in wait, while a child of its had
 *   ended and was never reaped: it waits for that child some other way
 *   (asking whether the pid exists), and a zombie's pid exists. */
#include "core/describe.h"
#include "rules/rules.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

/* ---- fork in a multithreaded program ----------------------------------- */

/* Only a process that is alone in itself qualifies: with threads of its own,
 * one of them may hold the lock and let it go. */
static bool waits_on_lock_from_fork(const struct traced_process *process)
{
    const struct blocked_on *blocked = &process->blocked;
    return rule_is_process(process) && !process->is_main && blocked->valid &&
           blocked->syscall == SYS_futex && blocked->state != 'T' && process->program_count == 0 &&
           process->parent_threads_at_fork > 1 &&
           (!process->signals_now.valid || process->signals_now.status.threads <= 1);
}

static json_t *fork_with_threads_json(const struct traced_process *process)
{
    return json_pack("{s:i, s:s, s:i, s:i}", "pid", (int)process->pid, "program",
                     rule_program(process), "parent", (int)process->parent, "parent_threads",
                     process->parent_threads_at_fork);
}

static void fork_with_threads_text(const struct traced_process *process, char *text, size_t size)
{
    char who[300];
    snprintf(text, size,
             "%s was forked while its parent ran %d threads, and never exec'd; it waits on a lock "
             "(futex) that a thread which does not exist in the child held at the fork",
             rule_describe(process, who, sizeof(who)), process->parent_threads_at_fork);
}

/* ---- a cycle of pipes ---------------------------------------------------- */

/* The one process that holds the other end of the pipe `process` waits on,
 * or NULL: none, several, or itself (then the pipe waits on its own copy, a
 * leaked descriptor, not a cycle). */
static const struct traced_process *only_other_end(const struct trace_run *run,
                                                   const struct traced_process *process)
{
    const struct blocked_on *blocked = &process->blocked;
    if (!blocked->valid || blocked->fd < 0 || blocked->state != 'S' ||
        !fd_target_is_pipe(blocked->target.target) || blocked->holder_count == 0 ||
        blocked->holder_count >= BLOCKED_ON_MAX_HOLDERS)
        return NULL;
    pid_t holder = blocked->holders[0].pid;
    for (size_t i = 1; i < blocked->holder_count; i++)
        if (blocked->holders[i].pid != holder)
            return NULL;
    if (holder == process->pid)
        return NULL;
    return rule_find(run, holder);
}

/* The first cycle of processes each blocked on a pipe whose other end only
 * the next one holds, from the process created first; its length (0: none,
 * or longer than `max`). */
static size_t pipe_cycle(const struct trace_run *run, const struct traced_process **cycle,
                         size_t max)
{
    /* Each process waits for at most one other: follow the chain from each
     * process in creation order; a chain either ends or comes back. */
    for (size_t start = 0; start < run->count; start++) {
        const struct traced_process *walker = run->processes[start];
        if (!rule_is_process(walker))
            continue;
        size_t length = 0;
        const struct traced_process *chain[64];
        while (walker != NULL && length < sizeof(chain) / sizeof(chain[0])) {
            for (size_t seen = 0; seen < length; seen++) {
                if (chain[seen] != walker)
                    continue;
                /* The cycle is chain[seen..length): copy it, beginning
                 * with the process created first. */
                size_t count = length - seen, first = seen;
                for (size_t i = seen; i < length; i++)
                    if (chain[i]->created_seq < chain[first]->created_seq)
                        first = i;
                if (count > max)
                    return 0;
                for (size_t i = 0; i < count; i++)
                    cycle[i] = chain[seen + (first - seen + i) % count];
                return count;
            }
            chain[length++] = walker;
            walker = only_other_end(run, walker);
        }
    }
    return 0;
}

/* "A waits to write to pipe:[N], which only B reads; B waits to ...". */
static void pipe_cycle_text(const struct traced_process *const *cycle, size_t count, char *text,
                            size_t size)
{
    size_t used = (size_t)snprintf(text, size, "a pipe deadlock: ");
    for (size_t i = 0; i < count && used < size; i++) {
        const struct traced_process *process = cycle[i], *next = cycle[(i + 1) % count];
        bool reads = (process->blocked.target.flags & O_ACCMODE) == O_RDONLY;
        char who[300], whom[300];
        used +=
            (size_t)snprintf(text + used, size - used, "%s%s waits to %s %s, which only %s %s",
                             i ? "; " : "", rule_describe(process, who, sizeof(who)),
                             reads ? "read from" : "write to", process->blocked.target.target,
                             rule_describe(next, whom, sizeof(whom)), reads ? "writes" : "reads");
    }
    if (used < size)
        snprintf(text + used, size - used, ": each waits for the next, so none can go on");
}

/* ---- a signal that did not stop its process ---------------------------- */

/* The signals one process sends another to end it, whose default action
 * ends the process: blocking or ignoring one of these is what keeps a
 * process alive after someone tried to stop it. Not the signals a process
 * brings on itself, which would be pending or delivered with no one having
 * sent them: SIGPIPE (a write to a pipe with no reader), SIGALRM and the
 * other timers, SIGXFSZ and SIGXCPU (limits), the faults, abort(). */
static bool is_stop_request(int signo)
{
    switch (signo) {
    case SIGHUP:
    case SIGINT:
    case SIGQUIT:
    case SIGUSR1:
    case SIGUSR2:
    case SIGTERM:
        return true;
    default:
        return signo >= SIGRTMIN && signo <= SIGRTMAX && signo <= 64;
    }
}

struct unheeded_signal {
    int signo;
    bool ignored;                    /* SIG_IGN, rather than blocked */
    pid_t sender;                    /* 0: not known (a blocked signal is never delivered) */
    const struct exec_signals *exec; /* the exec of the program it runs (NULL: never exec'd) */
    bool since_exec;                 /* already blocked or ignored when that program started */
};

/* A blocked signal stays pending: /proc shows it. An ignored one is gone,
 * but the tracer saw it delivered. */
static bool find_unheeded_signal(const struct traced_process *process,
                                 struct unheeded_signal *found)
{
    if (!rule_is_process(process) || !process->signals_now.valid)
        return false;
    const struct proc_status *now = &process->signals_now.status;
    signal_bits blocked = now->pending & now->blocked;
    signal_bits ignored = process->received.from_processes & now->ignored & ~blocked;
    for (int signo = 1; signo <= 64; signo++) {
        if (!is_stop_request(signo) || !((blocked | ignored) & SIGNAL_BIT(signo)))
            continue;
        /* raise() or kill(getpid(), ...): nobody else asked it to stop. */
        pid_t sender = process->received.sender[signo - 1];
        if (!(blocked & SIGNAL_BIT(signo)) && sender == process->pid)
            continue;
        memset(found, 0, sizeof(*found));
        found->signo = signo;
        found->ignored = (ignored & SIGNAL_BIT(signo)) != 0;
        if (process->received.from_processes & SIGNAL_BIT(signo))
            found->sender = sender;
        if (process->exec_signals_count > 0) {
            found->exec = &process->exec_signals[process->exec_signals_count - 1];
            found->since_exec = ((found->ignored ? found->exec->ignored : found->exec->blocked) &
                                 SIGNAL_BIT(signo)) != 0;
        }
        return true;
    }
    return false;
}

static json_t *unheeded_signal_json(const struct traced_process *process,
                                    const struct unheeded_signal *found)
{
    char name[SIGNAL_NAME_SIZE];
    json_t *item = rule_process_json(process);
    json_object_set_new(item, "signal", json_string(signal_name(found->signo, name)));
    json_object_set_new(item, "how", json_string(found->ignored ? "ignored" : "blocked"));
    if (found->sender > 0)
        json_object_set_new(item, "sent_by", json_integer(found->sender));
    json_object_set_new(item, "since_exec", json_boolean(found->since_exec));
    if (found->exec != NULL)
        json_object_set_new(item, "exec_by",
                            found->exec->exec_by != NULL ? json_string(found->exec->exec_by)
                                                         : json_null());
    return item;
}

/* The predicate only, "was sent SIGTERM and runs on: ...": the caller
 * names the process its own way. */
static void unheeded_signal_text(const struct unheeded_signal *found, char *text, size_t size)
{
    char name[SIGNAL_NAME_SIZE], sender[64] = "", origin[400];
    signal_name(found->signo, name);
    const char *how = found->ignored ? "ignored" : "blocked";
    if (found->sender > 0)
        snprintf(sender, sizeof(sender), " by pid %d", (int)found->sender);
    if (found->exec == NULL)
        snprintf(origin, sizeof(origin),
                 "it never exec'd: it runs its parent's code, with what its parent had %s at "
                 "the fork or what it %s since",
                 how, how);
    else if (!found->since_exec)
        snprintf(origin, sizeof(origin), "%s %s it after it started", found->exec->program,
                 found->ignored ? "ignored" : "blocked");
    else
        snprintf(origin, sizeof(origin), "it was already %s when %s started, exec'd from %s: %s",
                 how, found->exec->program,
                 found->exec->exec_by ? found->exec->exec_by : "the process that started it",
                 found->ignored ? "SIG_IGN is kept across fork and exec"
                                : "a blocked mask is kept across fork and exec");
    snprintf(text, size, "was sent %s%s and runs on: it %s %s (%s)%s", name, sender,
             found->ignored ? "ignores" : "blocks", name, origin,
             found->ignored ? "" : ", so the signal waits, pending");
}

bool cause_signal(const struct traced_process *process, json_t *evidence, char *text, size_t size)
{
    struct unheeded_signal found;
    if (!find_unheeded_signal(process, &found))
        return false;
    json_object_set_new(evidence, "signal", unheeded_signal_json(process, &found));
    unheeded_signal_text(&found, text, size);
    return true;
}

/* ---- waiting for a child by its pid ------------------------------------- */

/* A child of `process` that ended on its own before the deadline and was
 * still a zombie when its parent was killed: the parent, live at the
 * timeout, neither in wait nor waiting on a descriptor (a pipe is a cause
 * of its own, lesson 04 or 08), never took its status. */
static const struct traced_process *ended_unreaped_child(const struct trace_run *run,
                                                         const struct traced_process *process)
{
    const struct blocked_on *blocked = &process->blocked;
    if (!rule_is_process(process) || !blocked->valid || blocked->waited_pid != 0 ||
        blocked->fd >= 0)
        return NULL;
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *child = run->processes[i];
        if (rule_is_process(child) && child->parent == process->pid && child->exit_seq != 0 &&
            !child->killed_by_harness && child->unreaped_when_parent_exited)
            return child;
    }
    return NULL;
}

static void unreaped_child_text(const struct traced_process *process,
                                const struct traced_process *child, char *text, size_t size)
{
    char who[300], whom[300];
    rule_describe(process, who, sizeof(who));
    rule_describe(child, whom, sizeof(whom));
    snprintf(text, size,
             "%s is not in wait(), and its child %s had ended but was never reaped: a zombie "
             "keeps its pid, so a loop that asks whether the pid exists (kill(pid, 0), /proc) "
             "never sees it go; wait with waitpid() or a pidfd",
             who, whom);
}

/* ---- the timeout's cause ------------------------------------------------- */

enum finding_reason cause_of_hang(const struct trace_run *run, json_t *evidence, char *text,
                                  size_t size)
{
    enum finding_reason reason = REASON_NONE;

    const struct traced_process *forked = NULL;
    for (size_t i = 0; i < run->count && forked == NULL; i++)
        if (waits_on_lock_from_fork(run->processes[i]))
            forked = run->processes[i];
    if (forked != NULL) {
        json_object_set_new(evidence, "forked_with_threads", fork_with_threads_json(forked));
        fork_with_threads_text(forked, text, size);
        reason = REASON_FORK_WITH_THREADS;
    }

    const struct traced_process *cycle[16];
    size_t cycle_length = pipe_cycle(run, cycle, sizeof(cycle) / sizeof(cycle[0]));
    if (cycle_length > 0) {
        json_t *pids = json_array();
        for (size_t i = 0; i < cycle_length; i++)
            json_array_append_new(pids, json_integer(cycle[i]->pid));
        json_object_set_new(evidence, "cycle", pids);
        if (reason == REASON_NONE) {
            pipe_cycle_text(cycle, cycle_length, text, size);
            reason = REASON_PIPE_CYCLE;
        }
    }

    /* The first process, in creation order, that did not heed a signal. */
    for (size_t i = 0; i < run->count; i++) {
        const struct traced_process *process = run->processes[i];
        char sentence[1024];
        if (!process->blocked.valid || !cause_signal(process, evidence, sentence, sizeof(sentence)))
            continue;
        if (reason == REASON_NONE) {
            char who[300];
            snprintf(text, size, "%s %s", rule_describe(process, who, sizeof(who)), sentence);
            const char *how =
                json_string_value(json_object_get(json_object_get(evidence, "signal"), "how"));
            reason = how != NULL && strcmp(how, "ignored") == 0 ? REASON_SIGNAL_IGNORED
                                                                : REASON_SIGNAL_BLOCKED;
        }
        break;
    }

    for (size_t i = 0; i < run->count && reason == REASON_NONE; i++) {
        const struct traced_process *process = run->processes[i];
        const struct traced_process *child = ended_unreaped_child(run, process);
        if (child == NULL)
            continue;
        json_object_set_new(evidence, "unreaped_child",
                            json_pack("{s:i, s:s, s:i, s:s}", "pid", (int)process->pid, "program",
                                      rule_program(process), "child", (int)child->pid,
                                      "child_program", rule_program(child)));
        unreaped_child_text(process, child, text, size);
        reason = REASON_UNREAPED_CHILD;
    }
    return reason;
}
