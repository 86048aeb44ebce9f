/* Destroying a mutex while it is held. */
#include <pthread.h>

int main(void)
{
    pthread_mutex_t m;
    pthread_mutex_init(&m, NULL);
    pthread_mutex_lock(&m);
    pthread_mutex_destroy(&m); // want-run: locked-mutex-destroy
    return 0;
}
