/* Two threads increment a global without a lock. */
#include <pthread.h>
#include <stdio.h>

static int counter;

static void *worker(void *arg)
{
    (void)arg;
    counter++; // want-run: data-race "counter"
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("%d\n", counter);
    return 0;
}
