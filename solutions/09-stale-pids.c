/* Sorts a file with `sort` in the background and waits until sort is done,
 * looking every 100 ms. The child handle holds a pidfd, which names this one
 * process for good: it becomes readable when sort ends, whoever later gets
 * sort's pid number.
 * Solution to pitfall 09: see lessons/09-stale-pids.md. */
#include <forklab.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    struct fl_command *cmd = fl_command_new("sort");
    if (cmd == NULL) {
        perror("sort");
        return 1;
    }
    fl_command_arg(cmd, "pitfalls/data/fruit.txt");
    struct fl_child *worker = NULL;
    if (fl_command_spawn(cmd, &worker) < 0) {
        fprintf(stderr, "%s\n", fl_command_strerror(cmd));
        fl_command_free(&cmd);
        return 1;
    }
    fl_command_free(&cmd);

    /* The pidfd becomes readable when sort ends. Until then, every 100 ms,
     * the program could do other work. */
    struct pollfd ended = {.fd = fl_child_pidfd(worker), .events = POLLIN};
    int n;
    while ((n = poll(&ended, 1, 100)) == 0 || (n < 0 && errno == EINTR))
        continue;
    struct fl_status status;
    int error = fl_child_wait(worker, &status);
    fl_child_free(&worker);
    if (error < 0) {
        fprintf(stderr, "waiting for sort: %s\n", strerror(-error));
        return 1;
    }
    char text[64];
    printf("sort: %s\n", fl_status_text(status, text, sizeof(text)));
    return fl_status_success(status) ? 0 : 1;
}
