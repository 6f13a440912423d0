/* Shows the first three lines of each file named on the command line, under
 * a title line per file, with `head -n 3`. No shell: each name reaches head
 * as one argument, whatever characters it contains.
 * Solution to pitfall 11: see lessons/11-shell-injection.md. */
#include <forklab.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        struct fl_command *cmd = fl_command_new("head");
        if (cmd == NULL) {
            perror("head");
            return 1;
        }
        /* "--": a name that starts with '-' is a name, not an option. */
        const char *const args[] = {"-n", "3", "--", argv[i], NULL};
        fl_command_args(cmd, args);
        printf("== %s\n", argv[i]);
        fflush(stdout); /* before head writes to the same stdout */
        struct fl_status result;
        if (fl_command_status(cmd, &result) < 0) {
            fprintf(stderr, "%s\n", fl_command_strerror(cmd));
            status = 1;
        } else if (!fl_status_success(result)) {
            status = 1;
        }
        fl_command_free(&cmd);
    }
    return status;
}
