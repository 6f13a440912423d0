/* The process tree of a report as parent links, for the formats that draw it
 * (text, dot). */
#include "render/render.h"

#include <stdlib.h>

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
