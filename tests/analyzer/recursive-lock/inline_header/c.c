/* Another later unit, which also calls through a.c. */
#include "pool.h"

int a_take(struct pool *p);

void c_take_all(struct pool *p)
{
    pool_lock(p);
    a_take(p);  // want: recursive-lock "call to 'a_take' acquires 'p->mu'"
    pool_unlock(p);
    pool_reset(p);
}
