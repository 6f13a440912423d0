/* The words every renderer shares: signal names, how a process ended, and why
 * a kind has no result, so text, JSON, TAP, JUnit and dot never disagree. */
#include "render/render.h"

#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

const char *signal_name(int signo, char buffer[SIGNAL_NAME_SIZE])
{
    /* sigabbrev_np (glibc 2.32) knows the classic signals but not the
     * real-time ones, whose numbers also move with the C library. */
    const char *abbrev = sigabbrev_np(signo);
    if (abbrev != NULL)
        snprintf(buffer, SIGNAL_NAME_SIZE, "SIG%s", abbrev);
    else if (signo == SIGRTMIN)
        snprintf(buffer, SIGNAL_NAME_SIZE, "SIGRTMIN");
    else if (signo > SIGRTMIN && signo <= SIGRTMAX)
        snprintf(buffer, SIGNAL_NAME_SIZE, "SIGRTMIN+%d", signo - SIGRTMIN);
    else
        snprintf(buffer, SIGNAL_NAME_SIZE, "signal %d", signo);
    return buffer;
}

const char *process_end_describe(enum process_end end, int code, bool core_dumped,
                                 char buffer[PROCESS_END_SIZE])
{
    char name[SIGNAL_NAME_SIZE];
    switch (end) {
    case PROCESS_EXITED:
        snprintf(buffer, PROCESS_END_SIZE, "exit %d", code);
        break;
    case PROCESS_SIGNALED:
        snprintf(buffer, PROCESS_END_SIZE, "killed by %s%s", signal_name(code, name),
                 core_dumped ? " (core dumped)" : "");
        break;
    case PROCESS_STOPPED_BY_HARNESS:
        snprintf(buffer, PROCESS_END_SIZE, "stopped by forklab");
        break;
    case PROCESS_RUNNING:
    default:
        snprintf(buffer, PROCESS_END_SIZE, "still running");
        break;
    }
    return buffer;
}

long *process_parent_indexes(const struct report *report)
{
    long *parents = calloc(report->process_count + 1, sizeof(long));
    if (parents == NULL)
        return NULL;
    for (size_t i = 0; i < report->process_count; i++) {
        parents[i] = -1;
        if (report->processes[i].is_thread)
            continue;
        for (size_t j = i; j-- > 0;)
            if (!report->processes[j].is_thread &&
                report->processes[j].pid == report->processes[i].ppid) {
                parents[i] = (long)j;
                break;
            }
    }
    return parents;
}

bool report_main_core_dumped(const struct report *report)
{
    for (size_t i = report->process_count; i-- > 0;)
        if (report->processes[i].pid == report->main_pid)
            return report->processes[i].core_dumped;
    return false;
}

const char *finding_kind_skip_reason(enum finding_kind kind)
{
    return kind == FINDING_MEMORY_LEAK ? "not run (use --valgrind)" : "not run";
}

void event_time_describe(long at_us, char *text, size_t size)
{
    if (at_us < 0)
        snprintf(text, size, "t=?");
    else if (at_us < 1000000)
        snprintf(text, size, "t=%.1f ms", at_us / 1000.0);
    else
        snprintf(text, size, "t=%.3f s", at_us / 1000000.0);
}
