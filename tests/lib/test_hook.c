/* test_hook.c: the pre-exec hook, which switches to the fork path; everything
 * else keeps working on that path too. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int set_umask(void *arg)
{
    umask(*(mode_t *)arg); /* async-signal-safe, as a hook must be */
    return 0;
}

static int refuse(void *arg)
{
    (void)arg;
    return -EPERM;
}

static int touched_in_child;

static int touch_global(void *arg)
{
    (void)arg;
    touched_in_child = 1;
    return 0;
}

static int do_nothing(void *arg)
{
    (void)arg;
    return 0;
}

Test(hook, runs_in_the_child_before_exec)
{
    mode_t mask = 027;
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "umask");
    cr_assert_eq(fl_command_pre_exec(cmd, set_umask, &mask), 0);
    char *out = output_of(cmd);
    cr_assert_str_eq(out, "0027\n");
    free(out);
    fl_command_free(&cmd);
}

Test(hook, failure_is_reported_with_its_errno)
{
    struct fl_command *cmd = fl_command_new("true");
    fl_command_pre_exec(cmd, refuse, NULL);
    struct fl_child *child = NULL;
    cr_assert_eq(fl_command_spawn(cmd, &child), -EPERM);
    cr_assert_null(child);
    cr_assert_eq(fl_command_error(cmd)->step, FL_STEP_PRE_EXEC);
    cr_assert(fl_command_error(cmd)->in_child);
    int zombies;
    cr_assert_eq(children_of_self(&zombies), 0);
    fl_command_free(&cmd);
}

Test(hook, child_memory_is_a_copy)
{
    /* On the fork path the child writes to its own copy of memory. */
    struct fl_command *cmd = fl_command_new("true");
    fl_command_pre_exec(cmd, touch_global, NULL);
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0);
    cr_assert(fl_status_success(status));
    cr_assert_eq(touched_in_child, 0);
    fl_command_free(&cmd);
}

Test(hook, fork_path_keeps_every_rule)
{
    int leaked = open("/etc/hostname", O_RDONLY); /* not close-on-exec */
    int kept = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    fl_command_pre_exec(cmd, do_nothing, NULL);
    fl_command_keep_fd(cmd, kept);
    fl_command_cwd(cmd, "/");
    fl_command_process_group(cmd, 0);
    char *out = output_of(cmd);
    char value[256], expected[64];
    snprintf(expected, sizeof expected, "0 1 2 %d", kept);
    cr_assert_str_eq(probe_field(out, "fds", value, sizeof value), expected);
    cr_assert_str_eq(probe_field(out, "cwd", value, sizeof value), "/");
    cr_assert_str_eq(probe_field(out, "SigCgt", value, sizeof value), "0000000000000000");
    char pid[32];
    probe_field(out, "pid", pid, sizeof pid);
    cr_assert_str_eq(probe_field(out, "pgid", value, sizeof value), pid);
    free(out);
    fl_command_free(&cmd);
    close(leaked);
    close(kept);
}

Test(hook, fork_path_reports_exec_failure)
{
    struct fl_command *cmd = fl_command_new("/nonexistent");
    fl_command_pre_exec(cmd, do_nothing, NULL);
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), -ENOENT);
    cr_assert_eq(fl_command_error(cmd)->step, FL_STEP_EXEC);
    cr_assert_eq(fl_command_pre_exec(cmd, NULL, NULL), 0);
    fl_command_free(&cmd);
}
