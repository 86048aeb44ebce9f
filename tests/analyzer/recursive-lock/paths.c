/* Path sensitivity: correlated branches, trylock and lock results that
 * decide which branch holds the lock, condition waits. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <threads.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static mtx_t cm;
static cnd_t ccv;
static int ready;
int work(int);

void correlated(bool need)
{
    if (need)
        pthread_mutex_lock(&m);
    work(1);
    if (need)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void correlated_local(int k)
{
    int locked = 0;
    if (k > 3) {
        pthread_mutex_lock(&m);
        locked = 1;
    }
    work(k);
    if (locked)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void correlation_broken(int need)
{
    if (need)
        pthread_mutex_lock(&m);
    need = work(need);
    if (need)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);  // want: recursive-lock
}

void trylock_eq(void)
{
    if (pthread_mutex_trylock(&m) == 0) {
        work(0);
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void trylock_not(void)
{
    if (!pthread_mutex_trylock(&m)) {
        work(0);
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void trylock_busy(void)
{
    if (pthread_mutex_trylock(&m)) {
        pthread_mutex_lock(&m);  /* failed: not held, just wait */
    }
    pthread_mutex_lock(&m);  // want: recursive-lock
}

void trylock_ne(void)
{
    if (pthread_mutex_trylock(&m) != 0)
        return;
    work(0);
    pthread_mutex_unlock(&m);
}

void trylock_var(void)
{
    int rc = pthread_mutex_trylock(&m);
    if (rc == EBUSY)
        return;
    if (rc == 0) {
        work(1);
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void trylock_assign_in_cond(void)
{
    int rc;
    if ((rc = pthread_mutex_trylock(&m)) != 0)
        pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void trylock_then_lock(void)
{
    pthread_mutex_trylock(&m);  /* result ignored: may hold m */
    pthread_mutex_lock(&m);  // want: recursive-lock
}

void lock_checked(void)
{
    if (pthread_mutex_lock(&m) != 0)
        return;
    work(0);
    pthread_mutex_unlock(&m);
    if (pthread_mutex_lock(&m))
        pthread_mutex_lock(&m);  /* the first failed: nothing held */
    pthread_mutex_unlock(&m);
}

void c11_try(void)
{
    if (mtx_trylock(&cm) == thrd_success) {
        mtx_unlock(&cm);
    }
    mtx_lock(&cm);
    mtx_unlock(&cm);
}

void waits(void)
{
    pthread_mutex_lock(&m);
    while (!ready)
        pthread_cond_wait(&cv, &m);
    pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);

    mtx_lock(&cm);
    while (!ready)
        cnd_wait(&ccv, &cm);
    mtx_unlock(&cm);
}

void flag_global(void)
{
    if (ready)
        pthread_mutex_lock(&m);
    if (ready)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}
