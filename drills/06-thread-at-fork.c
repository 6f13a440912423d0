/* Drill 06-thread-at-fork (lesson 06-fork-with-threads): fork() in a program
 * with two threads. The barriers fix the order, and keep the ticker from
 * holding stdout's lock while main forks. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t started, forked;

static void *ticker(void *unused)
{
    (void)unused;
    printf("tick\n");
    pthread_barrier_wait(&started);
    pthread_barrier_wait(&forked);
    printf("tock\n");
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ); /* each line written at its newline */
    pthread_barrier_init(&started, NULL, 2);
    pthread_barrier_init(&forked, NULL, 2);
    pthread_t thread;
    if (pthread_create(&thread, NULL, ticker, NULL) != 0)
        return 1;
    pthread_barrier_wait(&started);
    pid_t child = fork();
    if (child == 0) {
        printf("child\n");
        exit(0);
    }
    waitpid(child, NULL, 0);
    pthread_barrier_wait(&forked);
    pthread_join(thread, NULL);
    printf("done\n");
    return 0;
}
