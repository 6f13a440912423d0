/* Shows the first three lines of each file named on the command line, under
 * a title line per file, with `head -n 3`.
 * Pitfall 11 (broken on purpose): see lessons/11-shell-injection.md. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char command[1024];
        snprintf(command, sizeof(command), "head -n 3 %s", argv[i]);
        printf("== %s\n", argv[i]);
        fflush(stdout); /* before head writes to the same stdout */
        if (system(command) != 0)
            status = 1;
    }
    return status;
}
