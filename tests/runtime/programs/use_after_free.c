/* A thread writes a block that main has already freed. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static void *worker(void *arg)
{
    usleep(100000);
    *(int *)arg = 1; // want-run: heap-use-after-free
    return NULL;
}

int main(void)
{
    int *p = malloc(sizeof *p);
    pthread_t t;
    pthread_create(&t, NULL, worker, p);
    free(p);
    pthread_join(t, NULL);
    return 0;
}
