/*
 * The mission's bug: `counter_inc` locks the counter and calls
 * `counter_get`, which locks the same mutex again.  A default pthread mutex
 * is not recursive, so the thread waits for itself forever; ThreadSanitizer
 * prints nothing, the program just hangs.
 * racecheck: recursive-lock at the call; racecheck run: deadlock where the
 * thread blocks.
 */
#include <pthread.h>
#include <stdio.h>

struct counter {
    pthread_mutex_t mu;
    long value;
};

static long counter_get(struct counter *c)
{
    pthread_mutex_lock(&c->mu);                         // want-run: deadlock
    long v = c->value;
    pthread_mutex_unlock(&c->mu);
    return v;
}

static void counter_inc(struct counter *c, long limit)
{
    pthread_mutex_lock(&c->mu);
    if (counter_get(c) < limit)                         // want: recursive-lock "call to .counter_get. acquires .c->mu."
        c->value++;
    pthread_mutex_unlock(&c->mu);
}

static struct counter hits = { PTHREAD_MUTEX_INITIALIZER, 0 };

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++)
        counter_inc(&hits, 1000);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("hits=%ld\n", counter_get(&hits));
    return 0;
}
