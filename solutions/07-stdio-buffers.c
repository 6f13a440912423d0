/* Counts the lines of three files under a header line. Each file is counted
 * in a child process of its own, so that a file that crashes the counting
 * code costs only its own line of the report. The parent flushes stdout
 * before each fork, so a child's buffer holds nothing but its own line.
 * Solution to pitfall 07: see lessons/07-stdio-buffers.md. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const files[] = {"pitfalls/data/fruit.txt", "pitfalls/data/vegetables.txt",
                                    "pitfalls/data/herbs.txt"};
#define FILES (sizeof(files) / sizeof(files[0]))

static int count_lines(const char *path)
{
    FILE *file = fopen(path, "r");
    if (file == NULL)
        return -1;
    int lines = 0, c;
    while ((c = getc(file)) != EOF)
        lines += c == '\n';
    fclose(file);
    return lines;
}

int main(void)
{
    printf("line counts:\n");
    for (size_t i = 0; i < FILES; i++) {
        fflush(stdout); /* the child must not inherit a copy of unwritten output */
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            printf("  %s: %d\n", files[i], count_lines(files[i]));
            exit(0);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
            printf("  %s: failed\n", files[i]);
    }
    printf("done\n");
    return 0;
}
