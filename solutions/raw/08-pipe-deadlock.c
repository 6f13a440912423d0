/* Upper-cases a generated log with `tr a-z A-Z` and says how many lines came
 * back. A second process writes the log to tr's stdin while this one reads
 * tr's stdout, so neither pipe can stay full while the other side waits.
 * Solution to pitfall 08 with raw system calls: see lessons/08-pipe-deadlock.md. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINES 20000

/* Writes all of text to fd, however many write() calls it takes. */
static int write_all(int fd, const char *text, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, text, length);
        if (n < 0)
            return -1;
        text += n;
        length -= (size_t)n;
    }
    return 0;
}

int main(void)
{
    alarm(5); /* never wait more than 5 seconds */

    int to_tr[2], from_tr[2];
    if (pipe(to_tr) < 0 || pipe(from_tr) < 0) {
        perror("pipe");
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        dup2(to_tr[0], STDIN_FILENO);
        dup2(from_tr[1], STDOUT_FILENO);
        close(to_tr[0]);
        close(to_tr[1]);
        close(from_tr[0]);
        close(from_tr[1]);
        execlp("tr", "tr", "a-z", "A-Z", (char *)NULL);
        perror("tr");
        _exit(127);
    }
    close(to_tr[0]);
    close(from_tr[1]);

    /* A writer process feeds tr while this one reads the answer. */
    char line[64];
    pid_t writer = fork();
    if (writer < 0) {
        perror("fork");
        return 1;
    }
    if (writer == 0) {
        close(from_tr[0]);
        for (int i = 1; i <= LINES; i++) {
            int length = snprintf(line, sizeof(line), "record %05d: ok\n", i);
            if (write_all(to_tr[1], line, (size_t)length) < 0) {
                perror("write");
                _exit(1);
            }
        }
        close(to_tr[1]); /* tr sees EOF */
        _exit(0);
    }
    close(to_tr[1]); /* the writer holds the one write end now */

    static char upper[LINES * sizeof(line)];
    size_t length = 0;
    ssize_t n;
    while (length < sizeof(upper) - 1 &&
           (n = read(from_tr[0], upper + length, sizeof(upper) - 1 - length)) > 0)
        length += (size_t)n;
    upper[length] = '\0';
    close(from_tr[0]);
    waitpid(writer, NULL, 0);
    waitpid(pid, NULL, 0);

    size_t lines = 0;
    for (size_t i = 0; i < length; i++)
        lines += upper[i] == '\n';
    printf("%zu lines, the first: %.*s\n", lines, (int)strcspn(upper, "\n"), upper);
    return 0;
}
