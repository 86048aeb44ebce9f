/* Reads standard input to its end (must not hang), then races. */
#include <pthread.h>
#include <stdio.h>

int shared;

static void *worker(void *arg)
{
    (void)arg;
    shared++;
    return NULL;
}

/* Two threads increment a global without a lock. */
static void race(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
}

int main(void)
{
    long n = 0;
    while (getchar() != EOF)
        n++;
    printf("%ld bytes\n", n);
    race();
    return 0;
}
