/* The names of how a process was created (core/process.h). */
#include "core/process.h"

const char *process_creation_name(enum process_creation creation)
{
    switch (creation) {
    case PROCESS_CREATED_FORKLAB:
        return "forklab";
    case PROCESS_CREATED_FORK:
        return "fork";
    case PROCESS_CREATED_VFORK:
        return "vfork";
    case PROCESS_CREATED_THREAD:
        return "thread";
    case PROCESS_CREATED_UNKNOWN:
        break;
    }
    return "unknown";
}
