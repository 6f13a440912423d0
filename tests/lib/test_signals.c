/* test_signals.c: caught signals and SIGPIPE start at their default action in
 * the child; other ignored signals stay ignored; the mask is inherited or set. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

static void on_signal(int sig)
{
    (void)sig;
}

static unsigned long long bit(int sig)
{
    return 1ULL << (sig - 1);
}

/* SigBlk/SigIgn/SigCgt of a probe spawned with cmd. */
static void probe_masks(struct fl_command *cmd, unsigned long long *blocked,
                        unsigned long long *ignored, unsigned long long *caught)
{
    char *out = output_of(cmd);
    char field[64];
    cr_assert_not_null(probe_field(out, "SigBlk", field, sizeof field));
    *blocked = strtoull(field, NULL, 16);
    cr_assert_not_null(probe_field(out, "SigIgn", field, sizeof field));
    *ignored = strtoull(field, NULL, 16);
    cr_assert_not_null(probe_field(out, "SigCgt", field, sizeof field));
    *caught = strtoull(field, NULL, 16);
    free(out);
}

Test(signals, handlers_reset_and_sigpipe_restored)
{
    struct sigaction catch = {.sa_handler = on_signal};
    sigaction(SIGUSR1, &catch, NULL);
    sigaction(SIGTERM, &catch, NULL);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    unsigned long long blocked, ignored, caught;
    probe_masks(cmd, &blocked, &ignored, &caught);
    cr_assert_eq(caught, 0, "SigCgt %llx", caught);
    cr_assert(ignored & bit(SIGUSR2), "ignored signals stay ignored (nohup)");
    cr_assert_not(ignored & bit(SIGPIPE), "SIGPIPE must be back to default");
    fl_command_free(&cmd);
}

Test(signals, mask_is_inherited_by_default)
{
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, &old);
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    unsigned long long blocked, ignored, caught;
    probe_masks(cmd, &blocked, &ignored, &caught);
    cr_assert_eq(blocked, bit(SIGUSR1), "SigBlk %llx", blocked);
    /* And spawning did not change ours. */
    sigset_t now;
    pthread_sigmask(SIG_SETMASK, NULL, &now);
    cr_assert(sigismember(&now, SIGUSR1));
    cr_assert_not(sigismember(&now, SIGTERM));
    fl_command_free(&cmd);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

Test(signals, mask_can_be_set)
{
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    sigset_t child_mask;
    sigemptyset(&child_mask);
    sigaddset(&child_mask, SIGHUP);
    struct fl_command *cmd = fl_command_new(FIXTURE("lib-probe"));
    cr_assert_eq(fl_command_sigmask(cmd, &child_mask), 0);
    unsigned long long blocked, ignored, caught;
    probe_masks(cmd, &blocked, &ignored, &caught);
    cr_assert_eq(blocked, bit(SIGHUP), "SigBlk %llx", blocked);
    /* NULL goes back to inheriting. */
    cr_assert_eq(fl_command_sigmask(cmd, NULL), 0);
    probe_masks(cmd, &blocked, &ignored, &caught);
    cr_assert_eq(blocked, bit(SIGUSR1), "SigBlk %llx", blocked);
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
