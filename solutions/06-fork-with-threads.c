/* Counts the lines of a file with `wc -l` while a second thread writes to
 * the same log. The wrapper runs no code of ours in the child: logging
 * happens in the parent, where the thread that holds the lock still exists.
 * Solution to pitfall 06: see lessons/06-fork-with-threads.md. */
#include <forklab.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* One whole line on stderr, never mixed with another thread's. */
static void log_line(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    pthread_mutex_lock(&log_lock);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    pthread_mutex_unlock(&log_lock);
    va_end(args);
}

/* As in the broken program, the thread holds the log lock while main starts
 * the child: the same unlucky moment, every time. */
static int locked[2], started[2];

static void *report_progress(void *unused)
{
    (void)unused;
    char byte = 0;
    pthread_mutex_lock(&log_lock);
    fprintf(stderr, "progress: counting\n");
    if (write(locked[1], &byte, 1) != 1 || read(started[0], &byte, 1) != 1)
        perror("progress: pipe");
    pthread_mutex_unlock(&log_lock);
    return NULL;
}

int main(void)
{
    if (pipe2(locked, O_CLOEXEC) < 0 || pipe2(started, O_CLOEXEC) < 0) {
        perror("pipe2");
        return 1;
    }
    pthread_t progress;
    if (pthread_create(&progress, NULL, report_progress, NULL) != 0) {
        fprintf(stderr, "cannot start a thread\n");
        return 1;
    }
    char byte;
    if (read(locked[0], &byte, 1) != 1) { /* until the thread holds the lock */
        perror("read");
        return 1;
    }

    struct fl_command *cmd = fl_command_new("wc");
    if (cmd == NULL) {
        perror("wc");
        return 1;
    }
    fl_command_arg(cmd, "-l");
    fl_command_arg(cmd, "pitfalls/data/fruit.txt");
    struct fl_child *child = NULL;
    int error = fl_command_spawn(cmd, &child);
    if (write(started[1], &byte, 1) != 1)
        perror("write");
    pthread_join(progress, NULL);
    close(locked[0]);
    close(locked[1]);
    close(started[0]);
    close(started[1]);

    int code = 1;
    if (error < 0) {
        log_line("%s", fl_command_strerror(cmd));
    } else {
        log_line("started wc");
        struct fl_status status;
        if (fl_child_wait(child, &status) == 0) {
            char text[64];
            log_line("wc %s", fl_status_text(status, text, sizeof(text)));
            code = fl_status_success(status) ? 0 : 1;
        }
    }
    fl_child_free(&child);
    fl_command_free(&cmd);
    return code;
}
