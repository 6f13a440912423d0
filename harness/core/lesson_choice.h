/* Which lesson explains a finding. By default a kind's own lesson; a few
 * kinds have several causes, and the reason a rule proved says which. */
#ifndef FORKLAB_LESSON_CHOICE_H
#define FORKLAB_LESSON_CHOICE_H

#include "core/finding.h"

#include <jansson.h>

/* The lesson for a finding of `kind` with this reason and evidence, e.g.
 * "lessons/08-pipe-deadlock.md" for a timeout caused by a cycle of pipes.
 * A static string; never NULL for a kind in range. */
const char *lesson_choose(enum finding_kind kind, enum finding_reason reason,
                          const json_t *evidence);

#endif
