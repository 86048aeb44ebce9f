/* A later unit: it may leave pool.h's bodies to a.c. */
#include "pool.h"

int b_take_locked(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    int n = pool_take(p);  // want: recursive-lock "call to 'pool_take' acquires 'p->mu'"
    pthread_mutex_unlock(&p->mu);
    return n;
}

int b_size_locked(struct pool *p)
{
    pool_lock(p);
    int n = pool_size(p);
    pool_unlock(p);
    return n;
}
