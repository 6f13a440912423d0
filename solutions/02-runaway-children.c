/* Runs the steps of a small release script one after the other, then says
 * how many of them succeeded. One step has a typo in its program's name: its
 * failure comes back to the parent as an error, never as a second parent.
 * Solution to pitfall 02: see lessons/02-runaway-children.md. */
#include <forklab.h>

#include <stdbool.h>
#include <stdio.h>

static const char *const steps[][3] = {
    {"echo", "compiling", NULL},
    {"mkae", "test", NULL},
    {"echo", "packaging", NULL},
};
#define STEPS (sizeof(steps) / sizeof(steps[0]))

/* Runs one step with our stdin, stdout and stderr; true when it succeeded. */
static bool run_step(const char *const *step)
{
    struct fl_command *cmd = fl_command_new(step[0]);
    if (cmd == NULL) {
        perror(step[0]);
        return false;
    }
    fl_command_args(cmd, step + 1);
    struct fl_status status;
    bool succeeded = false;
    if (fl_command_status(cmd, &status) < 0) {
        fprintf(stderr, "%s\n", fl_command_strerror(cmd));
    } else if (!fl_status_success(status)) {
        char why[64];
        fprintf(stderr, "%s %s\n", step[0], fl_status_text(status, why, sizeof(why)));
    } else {
        succeeded = true;
    }
    fl_command_free(&cmd);
    return succeeded;
}

int main(void)
{
    size_t succeeded = 0;
    printf("release: %zu steps\n", STEPS);
    for (size_t i = 0; i < STEPS; i++) {
        /* The step writes straight to our stdout: what we printed goes first. */
        fflush(stdout);
        succeeded += run_step(steps[i]);
    }
    printf("%zu of %zu steps succeeded\n", succeeded, STEPS);
    return succeeded == STEPS ? 0 : 1;
}
