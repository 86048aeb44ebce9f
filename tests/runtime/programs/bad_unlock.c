/* Unlocking a mutex that is not locked. */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
    pthread_mutex_unlock(&m); // want-run: mutex-bad-unlock
    return 0;
}
