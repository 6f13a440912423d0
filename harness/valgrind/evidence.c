/* Stack frames as evidence: the program's own frames as JSON, and the place
 * a finding's message names ("make_list (vg-leak.c:17)"). */
#include "valgrind/evidence.h"

#include "valgrind/identity.h"

#include <stdio.h>

/* Frames shown as evidence: enough to see the call chain in the program. */
#define STACK_SHOWN 8

const struct valgrind_frame *valgrind_first_program_frame(const struct valgrind_stack *stack)
{
    for (size_t i = 0; i < stack->count; i++)
        if (valgrind_frame_in_program(&stack->frames[i]))
            return &stack->frames[i];
    return NULL;
}

static json_t *frame_json(const struct valgrind_frame *frame)
{
    json_t *object = json_object();
    if (object == NULL)
        return NULL;
    json_object_set_new(object, "function", json_string(frame->function ? frame->function : "???"));
    json_object_set_new(object, "file", frame->file ? json_string(frame->file) : json_null());
    json_object_set_new(object, "line", frame->line > 0 ? json_integer(frame->line) : json_null());
    if (frame->object != NULL && !valgrind_frame_in_program(frame))
        json_object_set_new(object, "object", json_string(frame->object));
    return object;
}

json_t *valgrind_stack_json(const struct valgrind_stack *stack)
{
    json_t *frames = json_array();
    if (frames == NULL)
        return NULL;
    const bool any_in_program = valgrind_first_program_frame(stack) != NULL;
    for (size_t i = 0; i < stack->count && json_array_size(frames) < STACK_SHOWN; i++)
        if (!any_in_program || valgrind_frame_in_program(&stack->frames[i]))
            json_array_append_new(frames, frame_json(&stack->frames[i]));
    return frames;
}

void valgrind_describe_site(const struct valgrind_stack *stack, char *buffer, size_t size)
{
    const struct valgrind_frame *frame = valgrind_first_program_frame(stack);
    if (frame != NULL)
        snprintf(buffer, size, "%s (%s:%d)", frame->function ? frame->function : "???",
                 valgrind_base_name(frame->file), frame->line);
    else if (stack->count > 0 && stack->frames[0].function != NULL)
        snprintf(buffer, size, "%s", stack->frames[0].function);
    else
        snprintf(buffer, size, "an unknown place");
}
