/* command.c: the builder. Every setter copies what it is given, so the caller's
 * strings may go away; nothing here touches a process yet. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Grows an array of elem_size items so that one more fits. */
static int reserve_one(void **items, size_t *cap, size_t count, size_t elem_size)
{
    if (count < *cap)
        return 0;
    size_t new_cap = *cap ? *cap * 2 : 8;
    void *grown = reallocarray(*items, new_cap, elem_size);
    if (!grown)
        return -ENOMEM;
    *items = grown;
    *cap = new_cap;
    return 0;
}

struct fl_command *fl_command_new(const char *program)
{
    if (!program) {
        errno = EINVAL;
        return NULL;
    }
    struct fl_command *cmd = calloc(1, sizeof *cmd);
    if (!cmd)
        return NULL;
    cmd->pgid = -1;
    cmd->grace_ms = 1000;
    cmd->output_limit = SIZE_MAX;
    for (int stream = 0; stream < 3; stream++)
        cmd->stdio[stream] = (struct fl__stdio_spec){.kind = FL__INHERIT, .fd = -1};
    if (fl_command_arg(cmd, program) < 0) {
        fl_command_free(&cmd);
        errno = ENOMEM;
        return NULL;
    }
    fl__clear_error(cmd);
    return cmd;
}

void fl_command_free(struct fl_command **cmdp)
{
    struct fl_command *cmd = cmdp ? *cmdp : NULL;
    if (!cmd)
        return;
    for (size_t i = 0; i < cmd->argc; i++)
        free(cmd->argv[i]);
    free(cmd->argv);
    for (size_t i = 0; i < cmd->env_count; i++)
        free(cmd->env_ops[i].entry);
    free(cmd->env_ops);
    free(cmd->cwd);
    for (int stream = 0; stream < 3; stream++)
        free(cmd->stdio[stream].path);
    free(cmd->keep_fds);
    free(cmd->input);
    free(cmd);
    *cmdp = NULL;
}

int fl_command_arg(struct fl_command *cmd, const char *arg)
{
    if (!arg)
        return fl__remember(cmd, -EINVAL, __func__);
    /* Room for the new argument and the NULL that ends argv. */
    int rc = reserve_one((void **)&cmd->argv, &cmd->argv_cap, cmd->argc + 1, sizeof(char *));
    char *copy = rc == 0 ? strdup(arg) : NULL;
    if (!copy)
        return fl__remember(cmd, -ENOMEM, __func__);
    cmd->argv[cmd->argc++] = copy;
    cmd->argv[cmd->argc] = NULL;
    return 0;
}

int fl_command_args(struct fl_command *cmd, const char *const *args)
{
    for (size_t i = 0; args && args[i]; i++) {
        int rc = fl_command_arg(cmd, args[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int fl_command_cwd(struct fl_command *cmd, const char *dir)
{
    char *copy = dir ? strdup(dir) : NULL;
    if (dir && !copy)
        return fl__remember(cmd, -ENOMEM, __func__);
    free(cmd->cwd);
    cmd->cwd = copy;
    return 0;
}

int fl_command_keep_fd(struct fl_command *cmd, int fd)
{
    /* 0, 1 and 2 are the stdio settings' business; keeping them here would
     * make two settings fight over one descriptor. */
    if (fd < 3)
        return fl__remember(cmd, -EINVAL, __func__);
    for (size_t i = 0; i < cmd->keep_count; i++)
        if (cmd->keep_fds[i] == fd)
            return 0;
    if (reserve_one((void **)&cmd->keep_fds, &cmd->keep_cap, cmd->keep_count, sizeof(int)) < 0)
        return fl__remember(cmd, -ENOMEM, __func__);
    cmd->keep_fds[cmd->keep_count++] = fd;
    return 0;
}

/* A sigset_t as the kernel's 64-bit mask: bit sig - 1 for signal sig. */
static uint64_t kernel_mask(const sigset_t *set)
{
    uint64_t mask = 0;
    for (int sig = 1; sig <= 64; sig++)
        if (sigismember(set, sig) == 1)
            mask |= 1ULL << (sig - 1);
    return mask;
}

int fl_command_sigmask(struct fl_command *cmd, const sigset_t *mask)
{
    cmd->blocked = mask ? kernel_mask(mask) : 0;
    return 0;
}

int fl_command_sigignore(struct fl_command *cmd, const sigset_t *ignored)
{
    uint64_t mask = ignored ? kernel_mask(ignored) : 0;
    if (mask & (1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1)))
        return fl__remember(cmd, -EINVAL, __func__);
    cmd->ignored = mask;
    return 0;
}

int fl_command_process_group(struct fl_command *cmd, pid_t pgid)
{
    if (pgid < 0)
        return fl__remember(cmd, -EINVAL, __func__);
    cmd->pgid = pgid;
    return 0;
}

int fl_command_new_session(struct fl_command *cmd)
{
    cmd->new_session = true;
    return 0;
}

int fl_command_die_with_parent(struct fl_command *cmd, int sig)
{
    if (sig < 0 || sig >= NSIG)
        return fl__remember(cmd, -EINVAL, __func__);
    cmd->pdeathsig = sig;
    return 0;
}

int fl_command_pre_exec(struct fl_command *cmd, int (*hook)(void *arg), void *arg)
{
    cmd->pre_exec = hook;
    cmd->pre_exec_arg = arg;
    return 0;
}

int fl_command_release(struct fl_command *cmd, enum fl_release policy, int grace_ms)
{
    if (!fl__valid_release(policy, grace_ms))
        return fl__remember(cmd, -EINVAL, __func__);
    cmd->release = policy;
    cmd->grace_ms = grace_ms;
    return 0;
}

int fl_command_input(struct fl_command *cmd, const void *data, size_t len)
{
    if (!data && len > 0)
        return fl__remember(cmd, -EINVAL, __func__);
    char *copy = NULL;
    if (len > 0) {
        copy = malloc(len);
        if (!copy)
            return fl__remember(cmd, -ENOMEM, __func__);
        memcpy(copy, data, len);
    }
    free(cmd->input);
    cmd->input = copy;
    cmd->input_len = len;
    cmd->has_input = true;
    return 0;
}

int fl_command_output_limit(struct fl_command *cmd, size_t max_bytes)
{
    cmd->output_limit = max_bytes;
    return 0;
}
