/* error.c: naming the step where a call failed, recording the failure where
 * the caller can read it (the command, the child handle), and turning it into
 * one line of text that a student can print. */
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
    [FL_STEP_SIGNAL] = "sending a signal",
    [FL_STEP_FD] = "getting a descriptor",
};

static const char *const stream_names[] = {"stdin", "stdout", "stderr"};

const char *fl_step_name(enum fl_step step)
{
    if ((unsigned)step >= sizeof step_names / sizeof step_names[0] || !step_names[step])
        return "unknown step";
    return step_names[step];
}

/* Formats "[pipeline stage N: ]STEP[ of STREAM][ "DETAIL"][ in the child]: MESSAGE"
 * into buf; the detail of a failed setter is its name: "building the command
 * (fl_command_env): Invalid argument". */
static char *format_error(const struct fl_error *err, const char *detail, bool with_stage,
                          char *buf, size_t len)
{
    char message[128];
    char stage[32] = "";
    const char *stream = "";
    const char *of = "";
    const char *open_quote = " \"", *close_quote = "\"";

    if (len == 0)
        return buf;
    if (err->code == 0) {
        snprintf(buf, len, "no error");
        return buf;
    }
    if (with_stage && err->stage > 0)
        snprintf(stage, sizeof stage, "pipeline stage %d: ", err->stage);
    if (err->stream >= 0 && err->stream <= 2) {
        of = " of ";
        stream = stream_names[err->stream];
    }
    if (err->step == FL_STEP_BUILD)
        open_quote = " (", close_quote = ")";
    if (!detail || !*detail)
        open_quote = close_quote = detail = "";
    /* GNU strerror_r returns a string that may or may not be message. */
    const char *text = strerror_r(err->code, message, sizeof message);
    snprintf(buf, len, "%s%s%s%s%s%s%s%s: %s", stage, fl_step_name(err->step), of, stream,
             open_quote, detail, close_quote, err->in_child ? " in the child" : "", text);
    return buf;
}

char *fl_error_text(const struct fl_error *err, char *buf, size_t len)
{
    return format_error(err, NULL, true, buf, len);
}

static bool step_runs_in_child(enum fl_step step)
{
    return step >= FL_STEP_SIGNALS && step <= FL_STEP_EXEC;
}

/* "cannot run PROGRAM[ (pipeline stage N of M)]: STEP...: MESSAGE", from
 * cmd->error; a pipeline of one command is just a command. */
static void format_command_error(struct fl_command *cmd)
{
    char line[sizeof cmd->error_text - 96];
    char stage[64] = "";

    if (cmd->error.code == 0) {
        snprintf(cmd->error_text, sizeof cmd->error_text, "no error");
        return;
    }
    if (cmd->error.stage > 0 && cmd->error_stages > 1)
        snprintf(stage, sizeof stage, " (pipeline stage %d of %zu)", cmd->error.stage,
                 cmd->error_stages);
    format_error(&cmd->error, cmd->error_detail, false, line, sizeof line);
    snprintf(cmd->error_text, sizeof cmd->error_text, "cannot run %.48s%s: %s", cmd->argv[0], stage,
             line);
}

/* Records a failure of cmd and returns -code, so callers can write
 * `return fl__fail(cmd, ENOENT, FL_STEP_LOOKUP, -1, name);`. */
int fl__fail(struct fl_command *cmd, int code, enum fl_step step, int stream, const char *detail)
{
    cmd->error = (struct fl_error){
        .code = code,
        .step = step,
        .in_child = step_runs_in_child(step),
        .stream = stream,
        .stage = 0,
    };
    cmd->error_stages = 0;
    snprintf(cmd->error_detail, sizeof cmd->error_detail, "%s", detail ? detail : "");
    format_command_error(cmd);
    return -code;
}

/* A call on a child that cmd spawned failed: the command's error too. */
void fl__fail_from_child(struct fl_command *cmd, const struct fl_child *child)
{
    fl__fail(cmd, child->error.code, child->error.step, child->error.stream, NULL);
}

/* Marks cmd's failure as that of stages[index] of a pipeline of count. */
void fl__fail_stage(struct fl_command *cmd, size_t index, size_t count)
{
    cmd->error.stage = (int)index + 1;
    cmd->error_stages = count;
    format_command_error(cmd);
}

void fl__clear_error(struct fl_command *cmd)
{
    cmd->error = (struct fl_error){.code = 0, .step = FL_STEP_NONE, .stream = -1, .stage = 0};
    cmd->error_detail[0] = '\0';
    format_command_error(cmd);
}

/* A setter's result: a failure is recorded as the command's error, and the
 * first one is kept, so that a caller who chains setters without checking
 * each one still hears about it at spawn time. Returns result. */
int fl__remember(struct fl_command *cmd, int result, const char *setter)
{
    if (result >= 0)
        return result;
    fl__fail(cmd, -result, FL_STEP_BUILD, -1, setter);
    if (cmd->build_error == 0) {
        cmd->build_error = -result;
        cmd->build_setter = setter;
    }
    return result;
}

/* Records a failure of a call on child and returns -code. */
int fl__child_fail(struct fl_child *child, int code, enum fl_step step, int stream)
{
    char line[sizeof child->error_text - 80];

    child->error = (struct fl_error){
        .code = code, .step = step, .in_child = false, .stream = stream, .stage = 0};
    format_error(&child->error, NULL, false, line, sizeof line);
    snprintf(child->error_text, sizeof child->error_text, "pid %d (%s): %s", (int)child->pid,
             child->name, line);
    return -code;
}

const struct fl_error *fl_child_error(const struct fl_child *child)
{
    return &child->error;
}

const char *fl_child_strerror(const struct fl_child *child)
{
    return child->error.code ? child->error_text : "no error";
}

const struct fl_error *fl_command_error(const struct fl_command *cmd)
{
    return &cmd->error;
}

const char *fl_command_strerror(const struct fl_command *cmd)
{
    return cmd->error_text;
}
