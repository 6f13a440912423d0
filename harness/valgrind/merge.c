/* Merges valgrind's view of a run into the report the tracer filled:
 * descriptors first, so that they are matched against the tracer's findings
 * only, then leaks, which only valgrind sees. */
#include "valgrind/merge.h"

int valgrind_merge(struct report *report, const struct valgrind_output *output,
                   const struct valgrind_merge_options *options)
{
    int result = valgrind_merge_descriptors(report, output, options);
    if (result == 0)
        result = valgrind_merge_leaks(report, output, options->main_pid);
    return result;
}
