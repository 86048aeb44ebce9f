/* The "already locked" flag idiom: a constant argument that a callee's
 * acquisition depends on. */
#include <pthread.h>

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void work(void);

static void maybe_lock(int locked)
{
    if (!locked)
        pthread_mutex_lock(&m);
    work();
    if (!locked)
        pthread_mutex_unlock(&m);
}

void held_says_so(void)
{
    pthread_mutex_lock(&m);
    maybe_lock(1);
    pthread_mutex_unlock(&m);
}

void held_says_not(void)
{
    pthread_mutex_lock(&m);
    maybe_lock(0);  // want: recursive-lock "call to 'maybe_lock' acquires 'm'"
    pthread_mutex_unlock(&m);
}

void not_held(void) { maybe_lock(0); }

void held_unknown(int f)
{
    pthread_mutex_lock(&m);
    maybe_lock(f);  // want: recursive-lock "call to 'maybe_lock' acquires 'm'"
    pthread_mutex_unlock(&m);
}
