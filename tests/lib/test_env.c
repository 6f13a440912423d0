/* test_env.c: environment set, remove and clear; working directory. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* The child's environment as printed by env(1), which knows nothing else. */
static char *child_env(struct fl_command *cmd)
{
    return output_of(cmd);
}

static bool has_line(const char *text, const char *line)
{
    size_t len = strlen(line);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, line, len) == 0 && (p[len] == '\n' || p[len] == '\0'))
            return true;
    return false;
}

Test(env, inherited_by_default)
{
    setenv("FORKLAB_TEST_INHERITED", "yes", 1);
    struct fl_command *cmd = fl_command_new("/usr/bin/env");
    char *out = child_env(cmd);
    cr_assert(has_line(out, "FORKLAB_TEST_INHERITED=yes"), "%s", out);
    free(out);
    fl_command_free(&cmd);
}

Test(env, set_replace_and_remove)
{
    setenv("FORKLAB_TEST_GONE", "1", 1);
    setenv("FORKLAB_TEST_REPLACED", "old", 1);
    struct fl_command *cmd = fl_command_new("/usr/bin/env");
    cr_assert_eq(fl_command_env(cmd, "FORKLAB_TEST_NEW", "a=b c"), 0);
    cr_assert_eq(fl_command_env(cmd, "FORKLAB_TEST_REPLACED", "first"), 0);
    cr_assert_eq(fl_command_env(cmd, "FORKLAB_TEST_REPLACED", "new"), 0);
    cr_assert_eq(fl_command_env_remove(cmd, "FORKLAB_TEST_GONE"), 0);
    char *out = child_env(cmd);
    cr_assert(has_line(out, "FORKLAB_TEST_NEW=a=b c"), "%s", out);
    cr_assert(has_line(out, "FORKLAB_TEST_REPLACED=new"), "%s", out);
    cr_assert_null(strstr(out, "FORKLAB_TEST_REPLACED=old"));
    cr_assert_null(strstr(out, "FORKLAB_TEST_GONE"));
    cr_assert_not_null(strstr(out, "PATH="), "untouched variables stay");
    free(out);
    fl_command_free(&cmd);
    /* The caller's own environment is never changed. */
    cr_assert_str_eq(getenv("FORKLAB_TEST_REPLACED"), "old");
    cr_assert_str_eq(getenv("FORKLAB_TEST_GONE"), "1");
}

Test(env, clear_then_set)
{
    struct fl_command *cmd = fl_command_new("/usr/bin/env");
    cr_assert_eq(fl_command_env(cmd, "DROPPED_BY_CLEAR", "x"), 0);
    cr_assert_eq(fl_command_env_clear(cmd), 0);
    cr_assert_eq(fl_command_env(cmd, "ONLY", "one"), 0);
    char *out = child_env(cmd);
    cr_assert_str_eq(out, "ONLY=one\n");
    free(out);
    fl_command_free(&cmd);
}

Test(env, removed_path_uses_the_default_search_path)
{
    struct fl_command *cmd = fl_command_new("env");
    fl_command_env_clear(cmd);
    char *out = child_env(cmd);
    cr_assert_str_eq(out, "");
    free(out);
    fl_command_free(&cmd);
}

Test(env, working_directory)
{
    char *dir = make_temp_dir();
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    cr_assert_eq(fl_command_cwd(cmd, dir), 0);
    char *out = output_of(cmd);
    char cwd[4096];
    cr_assert_str_eq(probe_field(out, "cwd", cwd, sizeof cwd), dir);
    free(out);
    fl_command_free(&cmd);
    remove_tree(dir);
    free(dir);
}

Test(env, relative_program_is_resolved_in_the_new_directory)
{
    struct fl_command *cmd = fl_command_new("./true");
    fl_command_cwd(cmd, "/bin");
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0, "%s", fl_command_strerror(cmd));
    cr_assert(fl_status_success(status));
    fl_command_free(&cmd);
}
