/* test_stdio.c: each of stdin, stdout, stderr inherited, /dev/null, a pipe, an
 * existing descriptor or a file; stderr merged into stdout. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What fd refers to, e.g. "/dev/null" or "pipe:[1234]". */
static void link_of(pid_t pid, int fd, char *buf, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd/%d", pid, fd);
    ssize_t n = readlink(path, buf, len - 1);
    buf[n > 0 ? n : 0] = '\0';
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "re");
    cr_assert_not_null(f);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

Test(stdio, inherit_is_the_default)
{
    /* The child's fd 1 is the very file our fd 1 is (spawn returns after exec,
     * so the child's table is final when we look). */
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int saved = dup(1);
    dup2(devnull, 1);
    struct fl_command *cmd = fl_command_new("sleep");
    fl_command_arg(cmd, "30");
    struct fl_child *child;
    int rc = fl_command_spawn(cmd, &child);
    dup2(saved, 1);
    close(saved);
    close(devnull);
    cr_assert_eq(rc, 0);
    char target[256];
    link_of(fl_child_pid(child), 1, target, sizeof target);
    cr_assert_str_eq(target, "/dev/null");
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(stdio, null_stdin_reads_eof)
{
    struct fl_command *cmd = fl_command_new("wc");
    fl_command_arg(cmd, "-c");
    fl_command_stdio(cmd, FL_STDIN, FL_NULL);
    char *out = output_of(cmd);
    cr_assert_str_eq(out, "0\n");
    free(out);
    fl_command_free(&cmd);
}

Test(stdio, null_output_is_not_captured)
{
    struct fl_command *cmd = fl_command_new("echo");
    fl_command_arg(cmd, "discarded");
    fl_command_stdio(cmd, FL_STDOUT, FL_NULL);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0);
    cr_assert_null(out.out, "stdout was /dev/null, not a pipe");
    cr_assert_not_null(out.err);
    cr_assert_eq(out.err_len, 0);
    fl_output_free(&out);
    fl_command_free(&cmd);
}

Test(stdio, pipes_both_ways_by_hand)
{
    struct fl_command *cmd = fl_command_new("tr");
    fl_command_arg(cmd, "a-z");
    fl_command_arg(cmd, "A-Z");
    fl_command_stdio(cmd, FL_STDIN, FL_PIPE);
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    cr_assert_eq(fl_child_fd(child, FL_STDERR), -EBADF, "stderr is not a pipe");
    int in = fl_child_fd(child, FL_STDIN);
    cr_assert_geq(in, 0);
    cr_assert(fcntl(in, F_GETFD) & FD_CLOEXEC, "the caller's end is close-on-exec");
    cr_assert_eq(write(in, "shout\n", 6), 6);
    cr_assert_eq(fl_child_close_fd(child, FL_STDIN), 0);
    cr_assert_eq(fl_child_fd(child, FL_STDIN), -EBADF, "closed");
    char buf[16] = {0};
    size_t got = 0;
    ssize_t n;
    while ((n = read(fl_child_fd(child, FL_STDOUT), buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)n;
    cr_assert_str_eq(buf, "SHOUT\n");
    struct fl_status status;
    cr_assert_eq(fl_child_wait(child, &status), 0);
    cr_assert(fl_status_success(status));
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(stdio, take_fd_transfers_ownership)
{
    struct fl_command *cmd = fl_command_new("echo");
    fl_command_arg(cmd, "taken");
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    int fd = fl_child_take_fd(child, FL_STDOUT);
    cr_assert_geq(fd, 0);
    cr_assert_eq(fl_child_fd(child, FL_STDOUT), -EBADF, "taken");
    cr_assert_eq(fl_child_wait(child, NULL), 0);
    fl_child_free(&child);
    /* Still ours and still open after the handle is gone. */
    FILE *f = fdopen(fd, "r");
    char line[32];
    cr_assert_not_null(fgets(line, sizeof line, f));
    cr_assert_str_eq(line, "taken\n");
    fclose(f);
    fl_command_free(&cmd);
}

Test(stdio, existing_descriptor_stays_the_callers)
{
    char *dir = make_temp_dir();
    char path[4096];
    snprintf(path, sizeof path, "%s/out", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    cr_assert_geq(fd, 3);
    struct fl_command *cmd = fl_command_new("echo");
    fl_command_arg(cmd, "to a descriptor");
    fl_command_stdio_fd(cmd, FL_STDOUT, fd);
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0);
    cr_assert(fl_status_success(status));
    cr_assert_geq(fcntl(fd, F_GETFD), 0, "the library must not close the caller's descriptor");
    close(fd);
    cr_assert_str_eq(read_file(path), "to a descriptor\n");
    fl_command_free(&cmd);
    remove_tree(dir);
    free(dir);
}

Test(stdio, files_by_path)
{
    char *dir = make_temp_dir();
    char in_path[4096], out_path[4096];
    snprintf(in_path, sizeof in_path, "%s/in", dir);
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    FILE *f = fopen(in_path, "we");
    fputs("b\na\nc\n", f);
    fclose(f);
    struct fl_command *cmd = fl_command_new("sort");
    fl_command_stdio_path(cmd, FL_STDIN, in_path, O_RDONLY, 0);
    fl_command_stdio_path(cmd, FL_STDOUT, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0, "%s", fl_command_strerror(cmd));
    cr_assert(fl_status_success(status));
    cr_assert_str_eq(read_file(out_path), "a\nb\nc\n");
    struct stat st;
    cr_assert_eq(stat(out_path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    fl_command_free(&cmd);
    remove_tree(dir);
    free(dir);
}

Test(stdio, stderr_merged_into_stdout)
{
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "echo out; echo err >&2; echo out2");
    fl_command_stdio(cmd, FL_STDERR, FL_MERGE);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0);
    cr_assert_str_eq(out.out, "out\nerr\nout2\n");
    cr_assert_null(out.err);
    fl_output_free(&out);
    fl_command_free(&cmd);
}

Test(stdio, merge_follows_a_file)
{
    char *dir = make_temp_dir();
    char path[4096];
    snprintf(path, sizeof path, "%s/both", dir);
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "echo one; echo two >&2");
    fl_command_stdio_path(cmd, FL_STDOUT, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    fl_command_stdio(cmd, FL_STDERR, FL_MERGE);
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0);
    cr_assert_str_eq(read_file(path), "one\ntwo\n");
    fl_command_free(&cmd);
    remove_tree(dir);
    free(dir);
}

/* The caller has closed its own 0, 1 and 2, so the pipes the library makes land
 * on those numbers: placing one stream must not clobber another's source. */
Test(stdio, caller_without_standard_descriptors)
{
    int saved[3];
    for (int fd = 0; fd < 3; fd++)
        saved[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    close(0);
    close(1);
    close(2);
    struct fl_command *cmd = fl_command_new("/bin/sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "read line; echo \"out:$line\"; echo \"err:$line\" >&2");
    const char input[] = "hello\n";
    fl_command_input(cmd, input, sizeof input - 1);
    struct fl_output out;
    int rc = fl_command_output(cmd, &out);
    for (int fd = 0; fd < 3; fd++) {
        dup2(saved[fd], fd);
        close(saved[fd]);
    }
    cr_assert_eq(rc, 0, "%s", fl_command_strerror(cmd));
    cr_assert_str_eq(out.out, "out:hello\n");
    cr_assert_str_eq(out.err, "err:hello\n");
    fl_output_free(&out);
    fl_command_free(&cmd);
}

Test(stdio, same_descriptor_for_two_streams)
{
    int fds[2];
    cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "echo a; echo b >&2");
    fl_command_stdio_fd(cmd, FL_STDOUT, fds[1]);
    fl_command_stdio_fd(cmd, FL_STDERR, fds[1]);
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0);
    close(fds[1]);
    char buf[16] = {0};
    cr_assert_eq(read(fds[0], buf, sizeof buf - 1), 4);
    cr_assert_str_eq(buf, "a\nb\n");
    close(fds[0]);
    fl_command_free(&cmd);
}
