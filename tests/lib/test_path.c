/* test_path.c: the PATH lookup with a working directory set. A relative PATH
 * entry (".", "bin", an empty one) names a directory inside the child's
 * working directory, where the child will exec; the lookup must check that
 * same file, not one in the caller's directory. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes DIR/SUBDIR/tool, a script that prints `says`, with mode `mode`. */
static void make_tool(const char *dir, const char *subdir, const char *says, mode_t mode)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, subdir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/tool", dir, subdir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    cr_assert_geq(fd, 0);
    char script[256];
    int len = snprintf(script, sizeof script, "#!/bin/sh\necho %s\n", says);
    cr_assert_eq(write(fd, script, (size_t)len), len);
    close(fd);
    cr_assert_eq(chmod(path, mode), 0);
}

/* Two directories, each with its own tool: the caller works in one (`here`)
 * and the child is sent to the other (`there`). */
struct dirs {
    char *here, *there;
};

static struct dirs enter_two_dirs(void)
{
    struct dirs d = {make_temp_dir(), make_temp_dir()};
    cr_assert_eq(chdir(d.here), 0);
    return d;
}

static void leave_two_dirs(struct dirs *d)
{
    char *both[] = {d->here, d->there};
    for (int i = 0; i < 2; i++) {
        char bin[4096];
        snprintf(bin, sizeof bin, "%s/bin", both[i]);
        remove_tree(bin);
        remove_tree(both[i]);
        free(both[i]);
    }
}

static struct fl_command *tool_in(const char *search_path, const char *cwd)
{
    struct fl_command *cmd = fl_command_new("tool");
    cr_assert_eq(fl_command_env(cmd, "PATH", search_path), 0);
    cr_assert_eq(fl_command_cwd(cmd, cwd), 0);
    return cmd;
}

/* Runs cmd and checks what the tool it found said. */
static void expect_output(struct fl_command *cmd, const char *expected)
{
    char *out = output_of(cmd);
    cr_assert_str_eq(out, expected, "%s", fl_command_strerror(cmd));
    free(out);
}

Test(path, relative_entry_is_found_in_the_childs_directory)
{
    struct dirs d = enter_two_dirs();
    make_tool(d.there, "bin", "there", 0755); /* only there: not in the caller's */
    struct fl_command *cmd = tool_in("/nonexistent:bin", d.there);
    expect_output(cmd, "there\n");
    fl_command_free(&cmd);
    leave_two_dirs(&d);
}

Test(path, the_childs_directory_wins_over_the_callers)
{
    struct dirs d = enter_two_dirs();
    make_tool(d.here, "bin", "here", 0755);
    make_tool(d.there, "bin", "there", 0755);
    struct fl_command *cmd = tool_in("bin", d.there);
    expect_output(cmd, "there\n");
    /* Without a working directory the caller's is the child's. */
    cr_assert_eq(fl_command_cwd(cmd, NULL), 0);
    expect_output(cmd, "here\n");
    fl_command_free(&cmd);
    leave_two_dirs(&d);
}

/* The lookup refuses, with the step that says so, what exec would refuse:
 * the caller's executable tool must not make the lookup succeed. */
Test(path, not_executable_in_the_childs_directory)
{
    struct dirs d = enter_two_dirs();
    make_tool(d.here, "bin", "here", 0755);
    make_tool(d.there, "bin", "there", 0644);
    struct fl_command *cmd = tool_in("bin", d.there);
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), -EACCES, "%s", fl_command_strerror(cmd));
    cr_assert_eq(fl_command_error(cmd)->step, FL_STEP_LOOKUP);
    fl_command_free(&cmd);
    leave_two_dirs(&d);
}

/* "." and an empty entry both mean the child's current directory. */
Test(path, dot_and_empty_entries)
{
    struct dirs d = enter_two_dirs();
    make_tool(d.there, ".", "there", 0755);
    const char *paths[] = {".", "/nonexistent::/also-not", ":/nonexistent"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct fl_command *cmd = tool_in(paths[i], d.there);
        expect_output(cmd, "there\n");
        fl_command_free(&cmd);
    }
    leave_two_dirs(&d);
}

/* A relative working directory is relative to the caller's, for the lookup as
 * for the child's chdir. */
Test(path, relative_working_directory)
{
    struct dirs d = enter_two_dirs();
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/sub", d.here);
    cr_assert_eq(mkdir(sub, 0755), 0);
    make_tool(d.here, "sub/bin", "sub", 0755);
    struct fl_command *cmd = tool_in("bin", "sub");
    expect_output(cmd, "sub\n");
    fl_command_free(&cmd);
    char bin[4096];
    snprintf(bin, sizeof bin, "%s/sub/bin", d.here);
    remove_tree(bin);
    remove_tree(sub);
    leave_two_dirs(&d);
}
