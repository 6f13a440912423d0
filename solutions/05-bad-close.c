/* Sorts each word list named on the command line with sort(1), as the shell
 * does for `sort < FILE`, and skips a list it cannot open. Each descriptor
 * has one owner, main(), which closes it exactly once.
 * Solution to pitfall 05: see lessons/05-bad-close.md. */
#include <forklab.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Runs sort with `input` as its standard input; true when sort succeeded.
 * The descriptor stays the caller's: the child gets its own duplicate. */
static bool sort_from(int input)
{
    struct fl_command *cmd = fl_command_new("sort");
    if (cmd == NULL) {
        perror("sort");
        return false;
    }
    fl_command_stdio_fd(cmd, FL_STDIN, input);
    struct fl_status status;
    bool sorted = false;
    if (fl_command_status(cmd, &status) < 0) {
        fprintf(stderr, "%s\n", fl_command_strerror(cmd));
    } else if (!fl_status_success(status)) {
        char why[64];
        fprintf(stderr, "sort %s\n", fl_status_text(status, why, sizeof(why)));
    } else {
        sorted = true;
    }
    fl_command_free(&cmd);
    return sorted;
}

int main(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "skipping %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue; /* nothing was opened, so there is nothing to close */
        }
        if (!sort_from(fd))
            status = 1;
        close(fd); /* the one close of the one owner */
    }
    return status;
}
