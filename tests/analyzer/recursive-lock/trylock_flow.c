/* A trylock's result through a variable, a negation, a comparison, a
 * switch, or a wrapper that returns it. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

void var_eq(void)
{
    bool ok = pthread_mutex_trylock(&m) == 0;
    if (ok)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void var_not(void)
{
    int ok = !pthread_mutex_trylock(&m);
    if (ok)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void var_ne(void)
{
    int busy = pthread_mutex_trylock(&m) != 0;
    if (!busy)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void var_copy_not(void)
{
    int rc = pthread_mutex_trylock(&m);
    int ok = !rc;
    if (ok)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void switched(void)
{
    switch (pthread_mutex_trylock(&m)) {
    case 0:
        pthread_mutex_unlock(&m);
        break;
    default:
        break;
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void switched_busy(void)
{
    switch (pthread_mutex_trylock(&m)) {
    case EBUSY:
        return;
    case 0:
        break;
    default:
        return;
    }
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm'"
}

void switched_no_default(void)
{
    int rc = pthread_mutex_trylock(&m);
    switch (rc) {
    case 0:
        pthread_mutex_unlock(&m);
        break;
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

static bool try_take(void) { return pthread_mutex_trylock(&m) == 0; }
static int try_take_rc(void) { return pthread_mutex_trylock(&m); }

void wrapped(void)
{
    if (try_take())
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void wrapped_success(void)
{
    if (try_take())
        pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm'"
}

void wrapped_rc(void)
{
    if (try_take_rc() == 0)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void wrong_test(void)
{
    bool ok = pthread_mutex_trylock(&m) == 0;
    if (!ok)
        return;
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm'"
}
