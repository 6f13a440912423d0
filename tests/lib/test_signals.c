/* test_signals.c: the child starts with an empty mask and every signal at its
 * default action, whatever the caller blocks, ignores or catches; the two
 * opt-ins (fl_command_sigmask, fl_command_sigignore) give exactly what was
 * asked. Read from the kernel: SigBlk, SigIgn and SigCgt of a probe. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void on_signal(int sig)
{
    (void)sig;
}

static unsigned long long bit(int sig)
{
    return 1ULL << (sig - 1);
}

struct masks {
    unsigned long long blocked, ignored, caught;
};

static unsigned long long hex_field(const char *out, const char *key)
{
    char field[64];
    cr_assert_not_null(probe_field(out, key, field, sizeof field), "no %s in:\n%s", key, out);
    return strtoull(field, NULL, 16);
}

/* SigBlk/SigIgn/SigCgt of a probe spawned with cmd. */
static struct masks probe_masks(struct fl_command *cmd)
{
    char *out = output_of(cmd);
    struct masks m = {hex_field(out, "SigBlk"), hex_field(out, "SigIgn"), hex_field(out, "SigCgt")};
    free(out);
    return m;
}

/* The worst parent: every signal blocked (raw, so glibc's own two are blocked
 * too), SIGINT, SIGPIPE and SIGHUP ignored, SIGTERM and SIGUSR1 caught. */
static void become_a_hostile_parent(void)
{
    unsigned long long all = ~0ULL;
    cr_assert_eq(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, sizeof all), 0);
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    struct sigaction catch = {.sa_handler = on_signal};
    sigaction(SIGTERM, &catch, NULL);
    sigaction(SIGUSR1, &catch, NULL);
}

static void check_clean_child(struct fl_command *cmd)
{
    struct masks m = probe_masks(cmd);
    cr_assert_eq(m.blocked, 0, "SigBlk %llx: the child must start with nothing blocked", m.blocked);
    cr_assert_eq(m.ignored, 0, "SigIgn %llx: the child must start with nothing ignored", m.ignored);
    cr_assert_eq(m.caught, 0, "SigCgt %llx", m.caught);
}

Test(signals, child_starts_clean_whatever_the_parent_blocks_and_ignores)
{
    become_a_hostile_parent();
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    check_clean_child(cmd);
    /* And spawning did not change the caller's own state. */
    unsigned long long now = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &now, sizeof now);
    cr_assert_eq(now, ~0ULL & ~(bit(SIGKILL) | bit(SIGSTOP)));
    struct sigaction pipe_action;
    sigaction(SIGPIPE, NULL, &pipe_action);
    cr_assert_eq(pipe_action.sa_handler, SIG_IGN);
    fl_command_free(&cmd);
}

static int do_nothing(void *arg)
{
    (void)arg;
    return 0;
}

/* The fork path (taken for a pre-exec hook) resets the same way. */
Test(signals, child_starts_clean_on_the_fork_path_too)
{
    become_a_hostile_parent();
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    cr_assert_eq(fl_command_pre_exec(cmd, do_nothing, NULL), 0);
    check_clean_child(cmd);
    fl_command_free(&cmd);
}

Test(signals, sigmask_blocks_exactly_what_was_asked)
{
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    sigset_t child_mask;
    sigemptyset(&child_mask);
    sigaddset(&child_mask, SIGHUP);
    sigaddset(&child_mask, SIGTERM);
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    cr_assert_eq(fl_command_sigmask(cmd, &child_mask), 0);
    struct masks m = probe_masks(cmd);
    cr_assert_eq(m.blocked, bit(SIGHUP) | bit(SIGTERM), "SigBlk %llx", m.blocked);
    /* The caller's own mask, passed on on purpose. */
    sigset_t mine;
    pthread_sigmask(SIG_SETMASK, NULL, &mine);
    cr_assert_eq(fl_command_sigmask(cmd, &mine), 0);
    m = probe_masks(cmd);
    cr_assert_eq(m.blocked, bit(SIGUSR1), "SigBlk %llx", m.blocked);
    /* NULL: the default again. */
    cr_assert_eq(fl_command_sigmask(cmd, NULL), 0);
    m = probe_masks(cmd);
    cr_assert_eq(m.blocked, 0, "SigBlk %llx", m.blocked);
    fl_command_free(&cmd);
}

Test(signals, sigignore_keeps_exactly_the_chosen_signals_ignored)
{
    become_a_hostile_parent();
    sigset_t nohup;
    sigemptyset(&nohup);
    sigaddset(&nohup, SIGHUP);  /* ignored by the caller too */
    sigaddset(&nohup, SIGQUIT); /* not ignored by the caller */
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    cr_assert_eq(fl_command_sigignore(cmd, &nohup), 0);
    struct masks m = probe_masks(cmd);
    cr_assert_eq(m.ignored, bit(SIGHUP) | bit(SIGQUIT),
                 "SigIgn %llx: SIGINT and SIGPIPE, ignored by the caller only, must be reset",
                 m.ignored);
    cr_assert_eq(m.blocked, 0, "SigBlk %llx", m.blocked);
    cr_assert_eq(m.caught, 0, "SigCgt %llx", m.caught);
    cr_assert_eq(fl_command_sigignore(cmd, NULL), 0);
    check_clean_child(cmd);
    fl_command_free(&cmd);
}

Test(signals, sigkill_cannot_be_ignored)
{
    sigset_t kill_too;
    sigemptyset(&kill_too);
    sigaddset(&kill_too, SIGHUP);
    sigaddset(&kill_too, SIGKILL);
    struct fl_command *cmd = fl_command_new("true");
    cr_assert_eq(fl_command_sigignore(cmd, &kill_too), -EINVAL);
    cr_assert_eq(fl_command_error(cmd)->step, FL_STEP_BUILD);
    cr_assert_str_eq(fl_command_strerror(cmd),
                     "cannot run true: building the command (fl_command_sigignore): Invalid "
                     "argument");
    fl_command_free(&cmd);
}

/* The point of it all: a parent that reads SIGTERM from a signalfd (so keeps
 * it blocked) and ignores SIGINT can still stop its child with either. Were
 * SIGTERM blocked in the child, fl_child_stop would wait out the whole grace
 * period and end it with SIGKILL. */
Test(signals, sigterm_and_sigint_reach_the_child_of_a_parent_that_blocks_them)
{
    hang_guard(120);
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, NULL);
    signal(SIGINT, SIG_IGN);
    struct fl_command *cmd = fl_command_new("sleep");
    fl_command_arg(cmd, "1000");
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    struct fl_status status;
    cr_assert_eq(fl_child_stop(child, 100000, &status), 0);
    cr_assert_eq(fl_status_signal(status), SIGTERM, "ended by SIGTERM, not escalated to SIGKILL");
    fl_child_free(&child);

    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    cr_assert_eq(fl_child_kill(child, SIGINT), 0);
    cr_assert_eq(fl_child_wait(child, &status), 0);
    cr_assert_eq(fl_status_signal(status), SIGINT);
    fl_child_free(&child);
    fl_command_free(&cmd);
}

Test(signals, default_sigpipe_kills_a_writer_without_reader)
{
    hang_guard(120);
    /* With SIGPIPE ignored in the parent, `yes` would spin on EPIPE forever
     * (or exit with an error) if the child inherited the ignore. */
    signal(SIGPIPE, SIG_IGN);
    struct fl_command *cmd = fl_command_new("yes");
    fl_command_stdio(cmd, FL_STDOUT, FL_PIPE);
    struct fl_child *child;
    cr_assert_eq(fl_command_spawn(cmd, &child), 0);
    fl_child_close_fd(child, FL_STDOUT);
    struct fl_status status;
    cr_assert_eq(fl_child_wait(child, &status), 0);
    cr_assert_eq(fl_status_signal(status), SIGPIPE);
    fl_child_free(&child);
    fl_command_free(&cmd);
}
