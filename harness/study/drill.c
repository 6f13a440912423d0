/* The drill record itself: its kinds by name, and its lifetime. */
#include "study/drill.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
    [DRILL_LINES] = "lines",
    [DRILL_TREE] = "tree",
    [DRILL_ORDERS] = "orders",
    [DRILL_FDS] = "fds",
};

const char *drill_kind_name(enum drill_kind kind)
{
    return (size_t)kind < DRILL_KIND_COUNT ? kind_names[kind] : "unknown";
}

int drill_kind_from_name(const char *name)
{
    for (int kind = 0; kind < DRILL_KIND_COUNT; kind++)
        if (strcmp(name, kind_names[kind]) == 0)
            return kind;
    return -1;
}

void drill_init(struct drill *drill)
{
    memset(drill, 0, sizeof(*drill));
}

void drill_free(struct drill *drill)
{
    free(drill->source);
    free(drill->note);
    for (size_t i = 0; i < drill->candidate_count; i++)
        free(drill->candidates[i]);
    for (size_t i = 0; i < drill->output_count; i++)
        free(drill->outputs[i]);
    free(drill->outputs);
    drill_init(drill);
}
