/* Which lesson explains a finding. By default a kind's own lesson; a few
 * kinds have several causes, and their evidence says which one it was. */
#ifndef FORKLAB_LESSON_CHOICE_H
#define FORKLAB_LESSON_CHOICE_H

#include "core/report.h"

#include <jansson.h>

/* The lesson for a finding of `kind` with this evidence, e.g.
 * "lessons/08-pipe-deadlock.md" for a timeout whose evidence shows a cycle
 * of pipes. A static string; never NULL for a kind in range. */
const char *lesson_choose(enum finding_kind kind, const json_t *evidence);

#endif
