/* status.c: what became of a child, decoded once from waitid's siginfo so that
 * nobody has to remember WIFEXITED/WEXITSTATUS/WTERMSIG again. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct fl_status fl__status_from_siginfo(const siginfo_t *info)
{
    struct fl_status status = {.how = FL_RUNNING};

    switch (info->si_code) {
    case CLD_EXITED:
        status.how = FL_EXITED;
        status.code = info->si_status;
        break;
    case CLD_KILLED:
    case CLD_DUMPED:
        status.how = FL_SIGNALED;
        status.signal = info->si_status;
        status.core_dumped = info->si_code == CLD_DUMPED;
        break;
    default:
        /* CLD_STOPPED/CONTINUED never reach us: we wait with WEXITED only. */
        break;
    }
    return status;
}

bool fl_status_success(struct fl_status status)
{
    return status.how == FL_EXITED && status.code == 0;
}

int fl_status_code(struct fl_status status)
{
    return status.how == FL_EXITED ? status.code : -EINVAL;
}

int fl_status_signal(struct fl_status status)
{
    return status.how == FL_SIGNALED ? status.signal : 0;
}

bool fl_status_core_dumped(struct fl_status status)
{
    return status.how == FL_SIGNALED && status.core_dumped;
}

char *fl_status_text(struct fl_status status, char *buf, size_t len)
{
    if (len == 0)
        return buf;
    switch (status.how) {
    case FL_EXITED:
        snprintf(buf, len, "exited with code %d", status.code);
        break;
    case FL_SIGNALED: {
        const char *name = sigabbrev_np(status.signal);
        if (name)
            snprintf(buf, len, "killed by SIG%s%s", name,
                     status.core_dumped ? " (core dumped)" : "");
        else
            snprintf(buf, len, "killed by signal %d%s", status.signal,
                     status.core_dumped ? " (core dumped)" : "");
        break;
    }
    default:
        snprintf(buf, len, "still running");
        break;
    }
    return buf;
}
