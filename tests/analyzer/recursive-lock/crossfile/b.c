/* Callees: take c->mu, or expect it held. */
#include "counter.h"

void counter_lock(struct counter *c) { pthread_mutex_lock(&c->mu); }
void counter_unlock(struct counter *c) { pthread_mutex_unlock(&c->mu); }

long counter_get_locked(struct counter *c) { return c->n; }

long counter_get(struct counter *c)
{
    counter_lock(c);
    long n = counter_get_locked(c);
    counter_unlock(c);
    return n;
}
