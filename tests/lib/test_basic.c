/* test_basic.c: program and arguments, PATH lookup, exit statuses. */
#include "helpers.h"
#include "internal.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

Test(basic, arguments_reach_the_child_unchanged)
{
    struct fl_command *cmd = fl_command_new("printf");
    const char *args[] = {"[%s]", "one", "two words", "", "*", NULL};
    cr_assert_eq(fl_command_args(cmd, args), 0);
    char *out = output_of(cmd);
    cr_assert_str_eq(out, "[one][two words][][*]");
    free(out);
    fl_command_free(&cmd);
    cr_assert_null(cmd);
}

Test(basic, program_found_in_path)
{
    struct fl_command *cmd = fl_command_new("true");
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0, "%s", fl_command_strerror(cmd));
    cr_assert(fl_status_success(status));
    fl_command_free(&cmd);
}

Test(basic, path_of_the_child_environment_is_searched)
{
    /* PATH without /bin: "true" must not be found even though the parent's
     * PATH has it. */
    struct fl_command *cmd = fl_command_new("true");
    fl_command_env(cmd, "PATH", "/nonexistent-dir");
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), -ENOENT);
    cr_assert_eq(fl_command_error(cmd)->step, FL_STEP_LOOKUP);
    fl_command_free(&cmd);
}

Test(basic, exit_code)
{
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "exit 42");
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0);
    cr_assert_eq(status.how, FL_EXITED);
    cr_assert_eq(fl_status_code(status), 42);
    cr_assert_eq(fl_status_signal(status), 0);
    cr_assert_not(fl_status_success(status));
    char text[64];
    cr_assert_str_eq(fl_status_text(status, text, sizeof text), "exited with code 42");
    fl_command_free(&cmd);
}

Test(basic, killed_by_signal)
{
    struct fl_command *cmd = fl_command_new("sh");
    fl_command_arg(cmd, "-c");
    fl_command_arg(cmd, "kill -KILL $$");
    struct fl_status status;
    cr_assert_eq(fl_command_status(cmd, &status), 0);
    cr_assert_eq(status.how, FL_SIGNALED);
    cr_assert_eq(fl_status_signal(status), SIGKILL);
    cr_assert_eq(fl_status_code(status), -EINVAL);
    cr_assert_not(fl_status_core_dumped(status));
    char text[64];
    cr_assert_str_eq(fl_status_text(status, text, sizeof text), "killed by SIGKILL");
    fl_command_free(&cmd);
}

Test(basic, zeroed_status_is_not_success)
{
    struct fl_status status = {0};
    cr_assert_eq(status.how, FL_RUNNING);
    cr_assert_not(fl_status_success(status));
    cr_assert_eq(fl_status_code(status), -EINVAL);
}

Test(basic, command_can_be_spawned_twice)
{
    struct fl_command *cmd = fl_command_new("echo");
    fl_command_arg(cmd, "again");
    for (int i = 0; i < 2; i++) {
        char *out = output_of(cmd);
        cr_assert_str_eq(out, "again\n");
        free(out);
    }
    fl_command_free(&cmd);
}

Test(basic, free_is_safe_on_null_and_twice)
{
    struct fl_command *cmd = fl_command_new("true");
    fl_command_free(&cmd);
    fl_command_free(&cmd);
    fl_command_free(NULL);
    struct fl_child *child = NULL;
    fl_child_free(&child);
    fl_child_free(NULL);
    struct fl_output out = {0};
    fl_output_free(&out);
    fl_output_free(&out);
}

/* A real core dump depends on the machine's core_pattern and limits, so the
 * decoding is checked on the siginfo waitid would return. */
Test(basic, status_decoding_of_a_core_dump)
{
    siginfo_t info = {0};
    info.si_code = CLD_DUMPED;
    info.si_status = SIGSEGV;
    struct fl_status status = fl__status_from_siginfo(&info);
    cr_assert_eq(status.how, FL_SIGNALED);
    cr_assert_eq(fl_status_signal(status), SIGSEGV);
    cr_assert(fl_status_core_dumped(status));
    char text[64];
    cr_assert_str_eq(fl_status_text(status, text, sizeof text), "killed by SIGSEGV (core dumped)");
    info.si_code = CLD_EXITED;
    info.si_status = 0;
    cr_assert(fl_status_success(fl__status_from_siginfo(&info)));
}
