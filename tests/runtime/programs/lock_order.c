/* Two mutexes taken in opposite orders: a potential deadlock. */
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b); // want-run: lock-order-inversion
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);

    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a);
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return 0;
}
