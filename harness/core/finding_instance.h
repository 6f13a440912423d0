/* The sorts of mistake inside one finding kind that a grader can score
 * apart: a bad_close finding lists every bad close of its process, and a
 * close(-1) is another mistake than a second close of a descriptor. */
#ifndef FORKLAB_FINDING_INSTANCE_H
#define FORKLAB_FINDING_INSTANCE_H

#include "core/report.h"

#include <stddef.h>

struct finding_instance {
    enum finding_kind kind;
    const char *name;  /* in the manifest: "fd_negative" */
    const char *title; /* what the mistake is, for a check's title: "close(-1)" */
    /* The evidence array with one entry per mistake of the finding, and
     * whether an entry is of this sort. */
    const char *items;
    bool (*matches)(const json_t *item);
    /* One entry in words: "called close(-1)". */
    void (*describe)(const json_t *item, char *text, size_t size);
};

/* The instance `name` of `kind`, or NULL. */
const struct finding_instance *finding_instance_find(enum finding_kind kind, const char *name);
/* The names of the instances of `kind`, joined by ", " ("" when it has none). */
const char *finding_instance_names(enum finding_kind kind, char *text, size_t size);
/* How many entries of this sort a finding lists (0 for another kind). A
 * rule lists a bounded number of entries: *unlisted gets how many more
 * mistakes, of any sort, the finding counted without listing them. */
size_t finding_instance_count(const struct finding_instance *instance,
                              const struct finding *finding, size_t *unlisted);

#endif
