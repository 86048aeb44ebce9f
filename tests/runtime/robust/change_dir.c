/* Changes directory before racing: TSan's log_path must not depend on the
 * working directory. */
#include <pthread.h>
#include <unistd.h>

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
    if (chdir("/") != 0)
        return 3;
    race();
    return 0;
}
