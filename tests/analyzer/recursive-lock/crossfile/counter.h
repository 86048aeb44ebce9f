/* Shared prototypes: the lock is taken in a.c and again in b.c. */
#ifndef COUNTER_H
#define COUNTER_H
#include <pthread.h>

struct counter { pthread_mutex_t mu; long n; };

long counter_get(struct counter *c);
void counter_lock(struct counter *c);
void counter_unlock(struct counter *c);
long counter_get_locked(struct counter *c);
#endif
