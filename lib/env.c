/* env.c: the child's environment. Changes are kept as a small list of
 * "NAME=VALUE" entries and applied to the caller's environ only at spawn time,
 * in the parent, so the child receives a ready envp array. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool valid_name(const char *name)
{
    return name && name[0] != '\0' && !strchr(name, '=');
}

/* The op for name, or NULL. One op per name: a later change replaces it. */
static struct fl__env_op *find_op(const struct fl_command *cmd, const char *name, size_t name_len)
{
    for (size_t i = 0; i < cmd->env_count; i++) {
        struct fl__env_op *op = &cmd->env_ops[i];
        if (op->name_len == name_len && memcmp(op->entry, name, name_len) == 0)
            return op;
    }
    return NULL;
}

static int record_op(struct fl_command *cmd, const char *name, const char *value)
{
    if (!valid_name(name))
        return -EINVAL;
    size_t name_len = strlen(name);
    size_t value_len = value ? strlen(value) : 0;
    char *entry = malloc(name_len + (value ? 1 + value_len : 0) + 1);
    if (!entry)
        return -ENOMEM;
    memcpy(entry, name, name_len);
    if (value) {
        entry[name_len] = '=';
        memcpy(entry + name_len + 1, value, value_len + 1);
    } else {
        entry[name_len] = '\0';
    }

    struct fl__env_op *op = find_op(cmd, name, name_len);
    if (!op) {
        if (cmd->env_count == cmd->env_cap) {
            size_t cap = cmd->env_cap ? cmd->env_cap * 2 : 8;
            struct fl__env_op *grown = reallocarray(cmd->env_ops, cap, sizeof *grown);
            if (!grown) {
                free(entry);
                return -ENOMEM;
            }
            cmd->env_ops = grown;
            cmd->env_cap = cap;
        }
        op = &cmd->env_ops[cmd->env_count++];
        op->entry = NULL;
    }
    free(op->entry);
    *op = (struct fl__env_op){.entry = entry, .name_len = name_len, .removed = value == NULL};
    return 0;
}

int fl_command_env(struct fl_command *cmd, const char *name, const char *value)
{
    return fl__remember(cmd, value ? record_op(cmd, name, value) : -EINVAL, __func__);
}

int fl_command_env_remove(struct fl_command *cmd, const char *name)
{
    return fl__remember(cmd, record_op(cmd, name, NULL), __func__);
}

int fl_command_env_clear(struct fl_command *cmd)
{
    for (size_t i = 0; i < cmd->env_count; i++)
        free(cmd->env_ops[i].entry);
    cmd->env_count = 0;
    cmd->env_cleared = true;
    return 0;
}

/* Builds the child's envp. Without changes that is environ itself (no
 * allocation); otherwise a new array (*allocated set, free the array only: the
 * strings belong to environ and to cmd). */
int fl__env_build(const struct fl_command *cmd, char ***envp, bool *allocated)
{
    *allocated = false;
    if (!cmd->env_cleared && cmd->env_count == 0) {
        *envp = environ;
        return 0;
    }
    size_t inherited = 0;
    if (!cmd->env_cleared)
        while (environ && environ[inherited])
            inherited++;

    char **array = calloc(inherited + cmd->env_count + 1, sizeof *array);
    if (!array)
        return -ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < inherited; i++) {
        const char *equals = strchr(environ[i], '=');
        size_t name_len = equals ? (size_t)(equals - environ[i]) : strlen(environ[i]);
        if (!find_op(cmd, environ[i], name_len))
            array[n++] = environ[i];
    }
    for (size_t i = 0; i < cmd->env_count; i++)
        if (!cmd->env_ops[i].removed)
            array[n++] = cmd->env_ops[i].entry;
    array[n] = NULL;
    *envp = array;
    *allocated = true;
    return 0;
}

/* The PATH the child will see, which is also where its program is looked up;
 * NULL when it has none. */
const char *fl__env_path(const struct fl_command *cmd)
{
    const struct fl__env_op *op = find_op(cmd, "PATH", 4);
    if (op)
        return op->removed ? NULL : op->entry + 5;
    return cmd->env_cleared ? NULL : getenv("PATH");
}
