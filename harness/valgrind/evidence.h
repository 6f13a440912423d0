/* Stack frames as evidence of a finding: the frames in the program's own
 * code (not libc's, not valgrind's allocator), as JSON and as words. */
#ifndef FORKLAB_VALGRIND_EVIDENCE_H
#define FORKLAB_VALGRIND_EVIDENCE_H

#include "valgrind/output.h"

#include <jansson.h>
#include <stddef.h>

/* The innermost frame in the program's own code, or NULL. */
const struct valgrind_frame *valgrind_first_program_frame(const struct valgrind_stack *stack);

/* [{"function", "file", "line"}...]: the frames in the program's own code;
 * when there are none (the allocation happened inside a library), the first
 * frames as valgrind printed them, with their "object". NULL on ENOMEM. */
json_t *valgrind_stack_json(const struct valgrind_stack *stack);

/* "make_list (vg-leak.c:17)", or the innermost function when no frame is
 * the program's, into buffer. */
void valgrind_describe_site(const struct valgrind_stack *stack, char *buffer, size_t size);

#endif
