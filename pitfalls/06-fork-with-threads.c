/* Counts the lines of a file with `wc -l` while a second thread writes to
 * the same log. The child logs one line between fork and exec.
 * Pitfall 06 (broken on purpose): see lessons/06-fork-with-threads.md. */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/wait.h>
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

/* The thread holds the log lock at the moment main forks. In a real program
 * that happens once in a while, when the timing is unlucky; here two pipes
 * make it happen every time: the thread says when it holds the lock, and
 * keeps it until main says it has forked. */
static int locked[2], forked[2];

static void *report_progress(void *unused)
{
    (void)unused;
    char byte = 0;
    pthread_mutex_lock(&log_lock);
    fprintf(stderr, "progress: counting\n");
    if (write(locked[1], &byte, 1) != 1 || read(forked[0], &byte, 1) != 1)
        perror("progress: pipe");
    pthread_mutex_unlock(&log_lock);
    return NULL;
}

int main(void)
{
    alarm(5); /* never wait more than 5 seconds */

    if (pipe2(locked, O_CLOEXEC) < 0 || pipe2(forked, O_CLOEXEC) < 0) {
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

    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        alarm(5); /* alarms are not inherited: the child needs its own */
        log_line("child: running wc");
        execlp("wc", "wc", "-l", "pitfalls/data/fruit.txt", (char *)NULL);
        perror("wc");
        _exit(127);
    }
    if (write(forked[1], &byte, 1) != 1)
        perror("write");

    int status;
    waitpid(pid, &status, 0);
    pthread_join(progress, NULL);
    close(locked[0]);
    close(locked[1]);
    close(forked[0]);
    close(forked[1]);
    log_line("wc exited with %d", WEXITSTATUS(status));
    return 0;
}
