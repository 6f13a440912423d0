/* Counts the lines of three files under a header line. Each file is counted
 * in a child process of its own, `wc -l`, so that a file that crashes the
 * counting code costs only its own line of the report. The wrapper runs none
 * of our code in the child, so no copy of our stdio buffer is ever written.
 * Solution to pitfall 07: see lessons/07-stdio-buffers.md. */
#include <forklab.h>

#include <stdio.h>
#include <stdlib.h>

static const char *const files[] = {"pitfalls/data/fruit.txt", "pitfalls/data/vegetables.txt",
                                    "pitfalls/data/herbs.txt"};
#define FILES (sizeof(files) / sizeof(files[0]))

/* The number of lines of path, counted by `wc -l`, or -1. */
static int count_lines(const char *path)
{
    struct fl_command *cmd = fl_command_new("wc");
    if (cmd == NULL)
        return -1;
    fl_command_arg(cmd, "-l");
    fl_command_arg(cmd, path);
    struct fl_output output;
    int lines = -1;
    if (fl_command_output(cmd, &output) == 0) {
        if (fl_status_success(output.status))
            lines = atoi(output.out); /* "5 pitfalls/data/fruit.txt\n" */
        fl_output_free(&output);
    }
    fl_command_free(&cmd);
    return lines;
}

int main(void)
{
    printf("line counts:\n");
    for (size_t i = 0; i < FILES; i++) {
        int lines = count_lines(files[i]);
        if (lines < 0)
            printf("  %s: failed\n", files[i]);
        else
            printf("  %s: %d\n", files[i], lines);
    }
    printf("done\n");
    return 0;
}
