/* A stack variable of main shared with a thread without a lock. */
#include <pthread.h>

static void *worker(void *arg)
{
    int *p = arg;
    *p += 1; // want-run: data-race "stack"
    return NULL;
}

int main(void)
{
    int local = 0;
    pthread_t t;
    pthread_create(&t, NULL, worker, &local);
    local += 2;
    pthread_join(t, NULL);
    return local == 3 ? 0 : 0;
}
