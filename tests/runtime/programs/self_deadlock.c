/* A plain mutex relocked by its own holder: hangs with no TSan report. */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
    pthread_mutex_lock(&m);
    pthread_mutex_lock(&m); // want-run: deadlock
    pthread_mutex_unlock(&m);
    return 0;
}
