/* A heap block written by a thread and read by main without a lock. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *worker(void *arg)
{
    int *p = arg;
    *p = 42; // want-run: data-race "heap"
    return NULL;
}

int main(void)
{
    int *p = malloc(sizeof *p);
    *p = 0;
    pthread_t t;
    pthread_create(&t, NULL, worker, p);
    printf("%d\n", *p);
    pthread_join(t, NULL);
    free(p);
    return 0;
}
