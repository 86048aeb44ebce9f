/* Callers: hold c->mu and call into b.c. */
#include "counter.h"

void counter_inc(struct counter *c)
{
    pthread_mutex_lock(&c->mu);
    c->n = counter_get(c) + 1;  // want: recursive-lock "call to 'counter_get' acquires 'c->mu'"
    pthread_mutex_unlock(&c->mu);
}

void counter_inc_ok(struct counter *c)
{
    counter_lock(c);
    c->n = counter_get_locked(c) + 1;
    counter_unlock(c);
}

void counter_twice(struct counter *c)
{
    counter_lock(c);
    counter_lock(c);  // want: recursive-lock "call to 'counter_lock' acquires 'c->mu'"
    counter_unlock(c);
}
