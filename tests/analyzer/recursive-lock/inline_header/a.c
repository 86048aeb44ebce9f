/* The first unit: the bodies of pool.h are lowered here. */
#include "pool.h"

int a_take_twice(struct pool *p)
{
    pool_lock(p);
    int n = pool_take(p);  // want: recursive-lock "call to 'pool_take' acquires 'p->mu'"
    pool_unlock(p);
    return n + pool_size(p);
}

int a_take(struct pool *p)
{
    return pool_take(p) + pool_take(p);
}
