/* Finds out which operating system it runs on, as a configure script does
 * with os=$(uname -s). fl_command_output() makes the pipe close-on-exec,
 * closes the parent's copy of the write end, and reads until EOF.
 * Solution to pitfall 04: see lessons/04-leaked-fds.md. */
#include <forklab.h>

#include <stdio.h>

int main(void)
{
    struct fl_command *cmd = fl_command_new("uname");
    if (cmd == NULL) {
        perror("uname");
        return 1;
    }
    fl_command_arg(cmd, "-s");

    struct fl_output output;
    int status = 1;
    if (fl_command_output(cmd, &output) < 0) {
        fprintf(stderr, "%s\n", fl_command_strerror(cmd));
    } else {
        if (fl_status_success(output.status)) {
            printf("operating system: %s", output.out);
            status = 0;
        }
        fl_output_free(&output);
    }
    fl_command_free(&cmd);
    return status;
}
