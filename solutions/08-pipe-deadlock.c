/* Upper-cases a generated log with `tr a-z A-Z` and says how many lines came
 * back. fl_command_output() writes tr's stdin while it reads tr's stdout, so
 * neither pipe can fill up while the other side waits.
 * Solution to pitfall 08: see lessons/08-pipe-deadlock.md. */
#include <forklab.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINES     20000
#define LINE_SIZE 32

int main(void)
{
    char *log = malloc(LINES * LINE_SIZE);
    if (log == NULL) {
        perror("malloc");
        return 1;
    }
    size_t length = 0;
    for (int i = 1; i <= LINES; i++)
        length += (size_t)snprintf(log + length, LINE_SIZE, "record %05d: ok\n", i);

    struct fl_command *cmd = fl_command_new("tr");
    if (cmd == NULL) {
        perror("tr");
        free(log);
        return 1;
    }
    fl_command_arg(cmd, "a-z");
    fl_command_arg(cmd, "A-Z");
    fl_command_input(cmd, log, length);

    struct fl_output output;
    int status = 1;
    if (fl_command_output(cmd, &output) < 0) {
        fprintf(stderr, "%s\n", fl_command_strerror(cmd));
    } else {
        if (fl_status_success(output.status)) {
            size_t lines = 0;
            for (size_t i = 0; i < output.out_len; i++)
                lines += output.out[i] == '\n';
            printf("%zu lines, the first: %.*s\n", lines, (int)strcspn(output.out, "\n"),
                   output.out);
            status = 0;
        }
        fl_output_free(&output);
    }
    fl_command_free(&cmd);
    free(log);
    return status;
}
