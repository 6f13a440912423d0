/* Drill 11-system-name (lesson 11-shell-injection): a file name given to system(). */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const char *name = "notes.txt; echo gotcha";
    char command[128];
    snprintf(command, sizeof(command), "echo %s", name);
    fflush(stdout);
    return system(command) == 0 ? 0 : 1;
}
