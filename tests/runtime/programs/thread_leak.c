/* A joinable thread that is never joined. */
#include <pthread.h>
#include <unistd.h>

static void *worker(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL); // want-run: thread-leak
    sleep(1);
    return 0;
}
