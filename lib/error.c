/* error.c: naming the step where a spawn failed, and turning a failure into one
 * line of text that a student can print. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const step_names[] = {
    [FL_STEP_NONE] = "no error",
    [FL_STEP_BUILD] = "building the command",
    [FL_STEP_ARGS] = "checking arguments",
    [FL_STEP_LOOKUP] = "PATH lookup",
    [FL_STEP_STDIO] = "checking a stdio descriptor",
    [FL_STEP_PIPE] = "pipe",
    [FL_STEP_CLONE] = "clone",
    [FL_STEP_SIGNALS] = "signal reset",
    [FL_STEP_SETSID] = "setsid",
    [FL_STEP_SETPGID] = "setpgid",
    [FL_STEP_PDEATHSIG] = "die-with-parent",
    [FL_STEP_OPEN] = "open",
    [FL_STEP_DUP2] = "dup2",
    [FL_STEP_CHDIR] = "chdir",
    [FL_STEP_CLOSE_FDS] = "closing inherited descriptors",
    [FL_STEP_KEEP_FD] = "keeping a descriptor",
    [FL_STEP_PRE_EXEC] = "pre-exec hook",
    [FL_STEP_EXEC] = "exec",
    [FL_STEP_WRITE] = "writing stdin",
    [FL_STEP_READ] = "reading output",
    [FL_STEP_WAIT] = "wait",
};

static const char *const stream_names[] = {"stdin", "stdout", "stderr"};

const char *fl_step_name(enum fl_step step)
{
    if ((unsigned)step >= sizeof step_names / sizeof step_names[0] || !step_names[step])
        return "unknown step";
    return step_names[step];
}

/* Formats "STEP[ of STREAM][ "DETAIL"][ in the child]: MESSAGE" into buf. */
static char *format_error(const struct fl_error *err, const char *detail, char *buf, size_t len)
{
    char message[128];
    const char *stream = "";
    const char *of = "";

    if (len == 0)
        return buf;
    if (err->code == 0) {
        snprintf(buf, len, "no error");
        return buf;
    }
    if (err->stream >= 0 && err->stream <= 2) {
        of = " of ";
        stream = stream_names[err->stream];
    }
    /* GNU strerror_r returns a string that may or may not be message. */
    const char *text = strerror_r(err->code, message, sizeof message);
    snprintf(buf, len, "%s%s%s%s%s%s%s: %s", fl_step_name(err->step), of, stream,
             detail ? " \"" : "", detail ? detail : "", detail ? "\"" : "",
             err->in_child ? " in the child" : "", text);
    return buf;
}

char *fl_error_text(const struct fl_error *err, char *buf, size_t len)
{
    return format_error(err, NULL, buf, len);
}

static bool step_runs_in_child(enum fl_step step)
{
    return step >= FL_STEP_SIGNALS && step <= FL_STEP_EXEC;
}

/* Records a failure of cmd and returns -code, so callers can write
 * `return fl__fail(cmd, ENOENT, FL_STEP_LOOKUP, -1, name);`. */
int fl__fail(struct fl_command *cmd, int code, enum fl_step step, int stream, const char *detail)
{
    char line[sizeof cmd->error_text - 64];

    cmd->error.code = code;
    cmd->error.step = step;
    cmd->error.in_child = step_runs_in_child(step);
    cmd->error.stream = stream;
    format_error(&cmd->error, detail, line, sizeof line);
    snprintf(cmd->error_text, sizeof cmd->error_text, "cannot run %.48s: %s", cmd->argv[0], line);
    return -code;
}

void fl__clear_error(struct fl_command *cmd)
{
    cmd->error = (struct fl_error){.code = 0, .step = FL_STEP_NONE, .stream = -1};
    snprintf(cmd->error_text, sizeof cmd->error_text, "no error");
}

/* Keeps the first failure of a builder call, so that a caller who chains
 * setters without checking each one still hears about it at spawn time. */
void fl__remember(struct fl_command *cmd, int result)
{
    if (result < 0 && cmd->build_error == 0)
        cmd->build_error = -result;
}

const struct fl_error *fl_command_error(const struct fl_command *cmd)
{
    return &cmd->error;
}

const char *fl_command_strerror(const struct fl_command *cmd)
{
    return cmd->error_text;
}
