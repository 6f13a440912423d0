/* The words every layer shares: signal names, how a process ended, and why
 * a kind has no result, so the rules, the grader and every format agree. */
#include "core/describe.h"

#include <signal.h>
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

bool report_main_core_dumped(const struct report *report)
{
    for (size_t i = report->process_count; i-- > 0;)
        if (report->processes[i].pid == report->main_pid)
            return report->processes[i].core_dumped;
    return false;
}

const char *report_main_end_describe(const struct report *report, char buffer[PROCESS_END_SIZE])
{
    return process_end_describe(report->main_end, report->main_code,
                                report_main_core_dumped(report), buffer);
}

const char *finding_kind_skip_reason(enum finding_kind kind)
{
    return kind == FINDING_MEMORY_LEAK ? "not run (use --valgrind)" : "not run";
}

const char *facts_lost_describe(size_t facts_lost, char buffer[FACTS_LOST_SIZE])
{
    snprintf(buffer, FACTS_LOST_SIZE,
             "incomplete: %zu fact%s of this run could not be recorded (out of memory);"
             " the findings may miss something",
             facts_lost, facts_lost == 1 ? "" : "s");
    return buffer;
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
