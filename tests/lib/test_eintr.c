/* test_eintr.c: a signal landing while the library blocks in waitid, poll,
 * read or write makes that call fail with EINTR (the handler has no
 * SA_RESTART); the library must retry, not hand -EINTR to the caller. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SIGNALS 5

static atomic_int handled;

static void count_signal(int sig)
{
    (void)sig;
    atomic_fetch_add(&handled, 1);
}

/* A thread that interrupts the test's main thread SIGNALS times while it is
 * blocked inside the library, then releases the child (so the library call
 * cannot have finished before every signal landed). */
struct interrupter {
    pthread_t thread;
    pid_t target_tid;
    pthread_t target;
    int release_fd; /* closed, or written one byte, to let the child finish */
    bool write_byte;
    int landed;
};

/* The syscall the thread tid is blocked in, or -1 while it runs. */
static long blocked_in(pid_t tid)
{
    char path[64], line[128] = "";
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    char *got = fgets(line, sizeof line, f);
    fclose(f);
    return got && line[0] >= '0' && line[0] <= '9' ? strtol(line, NULL, 10) : -1;
}

static bool is_library_wait(long nr)
{
    return nr == SYS_waitid || nr == SYS_poll || nr == SYS_read || nr == SYS_write;
}

static void *interrupt(void *arg)
{
    struct interrupter *in = arg;
    while (in->landed < SIGNALS) {
        /* Watch /proc until the target sits in a blocking call: no sleep. */
        if (!is_library_wait(blocked_in(in->target_tid)))
            continue;
        int before = atomic_load(&handled);
        pthread_kill(in->target, SIGUSR1);
        while (atomic_load(&handled) == before)
            ; /* one signal, one interruption */
        in->landed++;
    }
    if (in->write_byte) {
        if (write(in->release_fd, "g", 1) != 1)
            abort();
    }
    close(in->release_fd);
    return NULL;
}

static void start_interrupter(struct interrupter *in, int release_fd, bool write_byte)
{
    struct sigaction action = {.sa_handler = count_signal}; /* no SA_RESTART */
    cr_assert_eq(sigaction(SIGUSR1, &action, NULL), 0);
    *in = (struct interrupter){.target_tid = gettid(),
                               .target = pthread_self(),
                               .release_fd = release_fd,
                               .write_byte = write_byte};
    cr_assert_eq(pthread_create(&in->thread, NULL, interrupt, in), 0);
}

Test(eintr, wait_is_retried)
{
    hang_guard(120);
    /* cat exits only when its stdin closes, and the interrupter holds the
     * only write end: wait cannot return before all signals landed. */
    struct fl_command *cmd = fl_command_new("cat");
    fl_command_stdio(cmd, FL_STDIN, FL_PIPE);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    struct interrupter in;
    start_interrupter(&in, fl_child_take_fd(child, FL_STDIN), false);

    struct fl_status status;
    cr_assert_eq(fl_child_wait(child, &status), 0);
    cr_assert(fl_status_success(status));
    pthread_join(in.thread, NULL);
    cr_assert_eq(in.landed, SIGNALS);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(eintr, communicate_is_retried)
{
    hang_guard(120);
    /* The child waits for one byte on a gate pipe before it echoes anything:
     * until the interrupter opens the gate, communicate is stuck in poll with
     * a full stdin pipe. */
    int gate[2];
    cr_assert_eq(pipe2(gate, O_CLOEXEC), 0);
    char script[512];
    snprintf(script, sizeof script, "head -c 1 /dev/fd/%d >/dev/null && exec %s", gate[0],
             FIXTURE("lib-echo-both"));
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, script);
    fl_command_keep_fd(cmd, gate[0]);
    fl_command_stdio(cmd, FL_STDIN, FL_PIPE);
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    fl_command_stdio(cmd, FL_STDERR, FL_PIPE);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    close(gate[0]);

    size_t len = 4 * 1024 * 1024;
    char *input = malloc(len);
    for (size_t i = 0; i < len; i++)
        input[i] = (char)(i % 251);
    struct interrupter in;
    start_interrupter(&in, gate[1], true);
    struct fl_output out;
    cr_assert_eq(fl_child_communicate(child, input, len, &out), 0);
    pthread_join(in.thread, NULL);
    cr_assert_eq(in.landed, SIGNALS);
    cr_assert(fl_status_success(out.status));
    cr_assert_eq(out.out_len, len);
    cr_assert_eq(out.err_len, len);
    cr_assert_eq(memcmp(out.out, input, len), 0);
    cr_assert_eq(memcmp(out.err, input, len), 0);
    fl_output_free(&out);
    fl_child_free(&child);
    fl_command_free(&cmd);
    free(input);
}
