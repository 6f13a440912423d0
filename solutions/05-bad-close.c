/* Sorts each word list named on the command line with sort(1), as the shell
 * does for `sort < FILE`, and skips a list it cannot open. Each descriptor
 * has one owner, main(), which closes it exactly once.
 * Solution to pitfall 05: see lessons/05-bad-close.md. */
#include <forklab.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Runs sort with `input` as its standard input. The descriptor stays the
 * caller's: the child gets its own duplicate. */
static int sort_from(int input)
{
    struct fl_command *cmd = fl_command_new("sort");
    if (cmd == NULL)
        return -errno;
    fl_command_stdio_fd(cmd, FL_STDIN, input);
    struct fl_status status;
    int error = fl_command_status(cmd, &status);
    if (error < 0)
        fprintf(stderr, "%s\n", fl_command_strerror(cmd));
    else if (!fl_status_success(status))
        error = -ECHILD;
    fl_command_free(&cmd);
    return error;
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
        if (sort_from(fd) < 0)
            status = 1;
        close(fd); /* the one close of the one owner */
    }
    return status;
}
