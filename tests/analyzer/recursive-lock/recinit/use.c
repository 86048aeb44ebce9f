/* Relocks of locks made recursive in init.c: silent.  small_lock is not. */
#include "shared.h"

static int rows(struct table *t)
{
    pthread_mutex_lock(&t->mu);
    int r = t->rows;
    pthread_mutex_unlock(&t->mu);
    return r;
}

int grow(struct table *t)
{
    pthread_mutex_lock(&t->mu);
    t->rows = rows(t) + 1;
    pthread_mutex_unlock(&t->mu);
    pthread_mutex_lock(&big_lock);
    pthread_mutex_lock(&big_lock);
    mtx_lock(&c11_lock);
    mtx_lock(&c11_lock);
    pthread_mutex_lock(&small_lock);
    pthread_mutex_lock(&small_lock);  // want: recursive-lock "relocking 'small_lock'"
    return 0;
}
