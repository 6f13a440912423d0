/* run.c: the one-shot forms, fl_command_output() and fl_command_status():
 * spawn, collect, wait, release, in one call that cannot leave a zombie. */
#include "internal.h"

#include <string.h>

int fl_command_output(struct fl_command *cmd, struct fl_output *out)
{
    memset(out, 0, sizeof *out);
    /* Like Rust's output(): capture what the caller did not route elsewhere,
     * and give the child an empty stdin rather than the caller's terminal. */
    struct fl__stdio_spec override[3];
    for (int stream = 0; stream < 3; stream++)
        override[stream] = (struct fl__stdio_spec){.kind = FL__UNSET, .fd = -1};
    if (!cmd->stdio[FL_STDOUT].set_by_caller)
        override[FL_STDOUT].kind = FL__PIPE;
    if (!cmd->stdio[FL_STDERR].set_by_caller)
        override[FL_STDERR].kind = FL__PIPE;
    if (cmd->has_input)
        override[FL_STDIN].kind = FL__PIPE;
    else if (!cmd->stdio[FL_STDIN].set_by_caller)
        override[FL_STDIN].kind = FL__NULL;

    struct fl_child *child;
    int rc = fl__spawn(cmd, override, &child);
    if (rc < 0)
        return rc;
    rc = fl_child_communicate(child, cmd->input, cmd->input_len, out);
    if (rc < 0)
        fl__fail_from_child(cmd, child);
    fl_child_free(&child);
    return rc;
}

int fl_command_status(struct fl_command *cmd, struct fl_status *status)
{
    struct fl_child *child;
    int rc = fl__spawn(cmd, NULL, &child);
    if (rc < 0)
        return rc;
    rc = fl_child_wait(child, status);
    if (rc < 0)
        fl__fail_from_child(cmd, child);
    fl_child_free(&child);
    return rc;
}
