/* test_output.c: output() and communicate(): stdin written while stdout and
 * stderr are drained, any sizes, a cap that drops without blocking the child. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(output, stdout_and_stderr_apart)
{
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "echo out; echo err >&2; exit 3");
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0);
    cr_assert_str_eq(out.out, "out\n");
    cr_assert_eq(out.out_len, 4);
    cr_assert_str_eq(out.err, "err\n");
    cr_assert_eq(fl_status_code(out.status), 3);
    cr_assert_not(out.out_truncated);
    fl_output_free(&out);
    cr_assert_null(out.out);
    fl_command_free(&cmd);
}

Test(output, stdin_is_empty_by_default)
{
    /* Not the caller's stdin: a test runner's terminal must not be read. */
    struct fl_command *cmd = fl_command_new("cat");
    char *out = output_of(cmd);
    cr_assert_str_eq(out, "");
    free(out);
    fl_command_free(&cmd);
}

Test(output, binary_data_with_nul_bytes)
{
    const char input[] = {'a', '\0', 'b', '\0', '\n'};
    struct fl_command *cmd = fl_command_new("cat");
    fl_command_input(cmd, input, sizeof input);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0);
    cr_assert_eq(out.out_len, sizeof input);
    cr_assert_eq(memcmp(out.out, input, sizeof input), 0);
    cr_assert_eq(out.out[out.out_len], '\0', "NUL-terminated past the data");
    fl_output_free(&out);
    fl_command_free(&cmd);
}

/* The input is copied, like every setter's argument: the caller's buffer may
 * change or go away at once (under ASan a use of it after free would abort). */
Test(output, input_is_copied)
{
    char *input = strdup("first");
    struct fl_command *cmd = fl_command_new("cat");
    cr_assert_eq(fl_command_input(cmd, input, strlen(input)), 0);
    memset(input, 'X', strlen(input));
    free(input);
    char *out = output_of(cmd);
    cr_assert_str_eq(out, "first");
    free(out);
    /* A second input replaces the first; an empty one closes stdin at once. */
    cr_assert_eq(fl_command_input(cmd, "second", 6), 0);
    out = output_of(cmd);
    cr_assert_str_eq(out, "second");
    free(out);
    cr_assert_eq(fl_command_input(cmd, NULL, 0), 0);
    out = output_of(cmd);
    cr_assert_str_eq(out, "");
    free(out);
    cr_assert_eq(fl_command_input(cmd, NULL, 3), -EINVAL);
    fl_command_free(&cmd);
}

/* 16 MiB in while 16 MiB comes back on each of stdout and stderr: any order of
 * blocking reads and writes would deadlock with lib-echo-both. */
Test(output, sixteen_mib_each_way_without_deadlock)
{
    hang_guard(120);
    size_t len = 16 * 1024 * 1024;
    char *input = malloc(len);
    for (size_t i = 0; i < len; i++)
        input[i] = (char)(i * 7 + i / 4096);
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-echo-both"));
    fl_command_input(cmd, input, len);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0, "%s", fl_command_strerror(cmd));
    cr_assert(fl_status_success(out.status));
    cr_assert_eq(out.out_len, len);
    cr_assert_eq(out.err_len, len);
    cr_assert_eq(memcmp(out.out, input, len), 0);
    cr_assert_eq(memcmp(out.err, input, len), 0);
    fl_output_free(&out);
    fl_command_free(&cmd);
    free(input);
}

Test(output, cap_truncates_without_blocking_the_child)
{
    hang_guard(120);
    /* 4 MiB out, 1000 kept. The child can only exit 0 if every byte was read:
     * a reader that stopped at the cap would leave it blocked on a full pipe. */
    struct fl_command *cmd = fl_command_new("head");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "4194304");
    fl_command_arg(cmd, "/dev/zero");
    fl_command_output_limit(cmd, 1000);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0);
    cr_assert(fl_status_success(out.status));
    cr_assert_eq(out.out_len, 1000);
    cr_assert(out.out_truncated);
    cr_assert_not(out.err_truncated);
    fl_output_free(&out);
    fl_command_free(&cmd);
}

Test(output, output_exactly_at_the_cap_is_not_truncated)
{
    struct fl_command *cmd = fl_command_new("printf");
    fl_command_arg(cmd, "12345");
    fl_command_output_limit(cmd, 5);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0);
    cr_assert_str_eq(out.out, "12345");
    cr_assert_not(out.out_truncated);
    fl_output_free(&out);
    fl_command_output_limit(cmd, 0);
    cr_assert_eq(fl_command_output(cmd, &out), 0);
    cr_assert_str_eq(out.out, "");
    cr_assert(out.out_truncated);
    fl_output_free(&out);
    fl_command_free(&cmd);
}

Test(output, child_that_ignores_its_input)
{
    hang_guard(120);
    /* `true` exits at once: our writes meet EPIPE. We must neither die of
     * SIGPIPE nor leave one pending, nor change our signal mask. */
    size_t len = 8 * 1024 * 1024;
    char *input = calloc(1, len);
    sigset_t before, after, pending;
    pthread_sigmask(SIG_SETMASK, NULL, &before);
    struct fl_command *cmd = fl_command_new("true");
    fl_command_input(cmd, input, len);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0, "%s", fl_command_strerror(cmd));
    cr_assert(fl_status_success(out.status));
    pthread_sigmask(SIG_SETMASK, NULL, &after);
    cr_assert_eq(sigismember(&after, SIGPIPE), sigismember(&before, SIGPIPE));
    sigpending(&pending);
    cr_assert_not(sigismember(&pending, SIGPIPE));
    fl_output_free(&out);
    fl_command_free(&cmd);
    free(input);
}

Test(output, communicate_with_a_spawned_child)
{
    struct fl_command *cmd = fl_command_new("tr");
    fl_command_arg(cmd, "a-z");
    fl_command_arg(cmd, "A-Z");
    fl_command_stdio(cmd, FL_STDIN, FL_PIPE);
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    struct fl_output out;
    cr_assert_eq(fl_child_communicate(child, "quiet", 5, &out), 0);
    cr_assert_str_eq(out.out, "QUIET");
    cr_assert_null(out.err, "stderr was inherited, not captured");
    cr_assert(fl_status_success(out.status));
    fl_output_free(&out);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(output, input_without_a_stdin_pipe_is_refused)
{
    struct fl_command *cmd = fl_command_new("true");
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    struct fl_output out;
    cr_assert_eq(fl_child_communicate(child, "x", 1, &out), -EINVAL);
    cr_assert_eq(fl_child_wait_with_output(child, &out), 0);
    cr_assert_str_eq(out.out, "");
    fl_output_free(&out);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(output, failed_spawn_leaves_nothing_to_free)
{
    struct fl_command *cmd = fl_command_new("/nonexistent");
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), -ENOENT);
    cr_assert_null(out.out);
    cr_assert_null(out.err);
    fl_command_free(&cmd);
}

/* ---- capture of large and many-piece outputs ------------------------------
 * The capture buffer grows by doubling and, from a few MiB on, is a mapping of
 * its own with huge pages that realloc moves without copying; these tests
 * cross each of those boundaries and check every byte. */

#define MIB ((size_t)1024 * 1024)

/* lib-drip COUNT SIZE [both]: COUNT writes of SIZE bytes of its pattern. */
static struct fl_command *drip(size_t count, size_t size, bool both)
{
    char count_text[32], size_text[32];
    snprintf(count_text, sizeof count_text, "%zu", count);
    snprintf(size_text, sizeof size_text, "%zu", size);
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-drip"));
    fl_command_arg(cmd, count_text);
    fl_command_arg(cmd, size_text);
    if (both)
        fl_command_arg(cmd, "both");
    return cmd;
}

/* The offset of the first byte that is not lib-drip's pattern, or len. */
static size_t drip_mismatch(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (data[i] != (char)(i * 7 + i / 4096))
            return i;
    return len;
}

Test(output, many_small_writes_on_both_streams)
{
    hang_guard(120);
    /* 100000 writes of 7 bytes, taking turns on stdout and stderr: many
     * short reads, each landing at an odd offset of the buffer. */
    struct fl_command *cmd = drip(100000, 7, true);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0, "%s", fl_command_strerror(cmd));
    cr_assert(fl_status_success(out.status));
    cr_assert_eq(out.out_len, 350000);
    cr_assert_eq(out.err_len, 350000);
    cr_assert_eq(drip_mismatch(out.out, out.out_len), out.out_len);
    cr_assert_eq(drip_mismatch(out.err, out.err_len), out.err_len);
    cr_assert_eq(out.out[out.out_len], '\0');
    cr_assert_eq(out.err[out.err_len], '\0');
    fl_output_free(&out);
    fl_command_free(&cmd);
}

Test(output, large_output_survives_every_growth)
{
    hang_guard(120);
    /* 24 MiB + 3 bytes: the buffer grows from 64 KiB through the switch to
     * huge pages up to 32 MiB, is moved several times, then shrunk to fit. */
    size_t size = 8 * MIB + 1;
    struct fl_command *cmd = drip(3, size, false);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0, "%s", fl_command_strerror(cmd));
    cr_assert(fl_status_success(out.status));
    cr_assert_eq(out.out_len, 3 * size);
    cr_assert_eq(drip_mismatch(out.out, out.out_len), out.out_len);
    cr_assert_eq(out.out[out.out_len], '\0');
    cr_assert_not(out.out_truncated);
    cr_assert_eq(out.err_len, 0);
    fl_output_free(&out);
    fl_command_free(&cmd);
}

Test(output, cap_in_the_middle_of_a_large_output)
{
    hang_guard(120);
    /* A cap that is no round size, reached inside a grown region: exactly the
     * first cap bytes are kept, the rest is read and dropped. */
    size_t cap = 5 * MIB + 123;
    struct fl_command *cmd = drip(3, 4 * MIB, true);
    fl_command_output_limit(cmd, cap);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0, "%s", fl_command_strerror(cmd));
    cr_assert(fl_status_success(out.status), "the child was not blocked by the cap");
    cr_assert_eq(out.out_len, cap);
    cr_assert(out.out_truncated);
    cr_assert_eq(drip_mismatch(out.out, out.out_len), cap);
    cr_assert_eq(out.out[cap], '\0');
    cr_assert_eq(out.err_len, 4 * MIB, "4 MiB is under the cap");
    cr_assert_not(out.err_truncated);
    cr_assert_eq(drip_mismatch(out.err, out.err_len), out.err_len);
    fl_output_free(&out);
    fl_command_free(&cmd);
}

Test(output, large_output_exactly_at_the_cap)
{
    hang_guard(120);
    struct fl_command *cmd = drip(1, 8 * MIB, false);
    fl_command_output_limit(cmd, 8 * MIB);
    struct fl_output out;
    cr_assert_eq(fl_command_output(cmd, &out), 0, "%s", fl_command_strerror(cmd));
    cr_assert_eq(out.out_len, 8 * MIB);
    cr_assert_not(out.out_truncated, "nothing beyond the cap was written");
    cr_assert_eq(drip_mismatch(out.out, out.out_len), out.out_len);
    fl_output_free(&out);

    fl_command_output_limit(cmd, 8 * MIB - 1);
    cr_assert_eq(fl_command_output(cmd, &out), 0, "%s", fl_command_strerror(cmd));
    cr_assert_eq(out.out_len, 8 * MIB - 1);
    cr_assert(out.out_truncated, "one byte over the cap");
    cr_assert_eq(out.out[out.out_len], '\0');
    fl_output_free(&out);
    fl_command_free(&cmd);
}

Test(output, large_output_is_ordinary_malloc_memory)
{
    hang_guard(120);
    /* Callers may take the buffer and manage it with realloc and free, as
     * output_of() does: the huge-page capture must not change that. */
    struct fl_command *cmd = drip(2, 6 * MIB, false);
    char *data = output_of(cmd);
    char *grown = realloc(data, 12 * MIB + 2);
    cr_assert_not_null(grown);
    cr_assert_eq(grown[12 * MIB], '\0');
    cr_assert_eq(drip_mismatch(grown, 12 * MIB), 12 * MIB);
    free(grown);
    fl_command_free(&cmd);
}
