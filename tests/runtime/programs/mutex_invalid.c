/* Locking a mutex after it was destroyed. */
#include <pthread.h>

int main(void)
{
    pthread_mutex_t m;
    pthread_mutex_init(&m, NULL);
    pthread_mutex_destroy(&m);
    pthread_mutex_lock(&m); // want-run: mutex-invalid-access
    pthread_mutex_unlock(&m); // want-run: mutex-bad-unlock mutex-invalid-access
    return 0;
}
