/* Drill 07-buffer-before-fork (lesson 07-stdio-buffers): printf, then fork. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("start\n");
    pid_t child = fork();
    printf("%s\n", child == 0 ? "child" : "parent");
    if (child > 0)
        waitpid(child, NULL, 0);
    return 0;
}
