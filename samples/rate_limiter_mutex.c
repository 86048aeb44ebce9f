/*
 * The rate limiter fixed with a mutex: the check and the update happen
 * under one lock, so no update is lost.  racecheck finds nothing.
 */
#include <pthread.h>
#include <stdio.h>

#define WORKERS 4
#define REQUESTS 10000

struct limiter {
    pthread_mutex_t lock;
    long budget;
    long used;
};

static struct limiter limiter = { PTHREAD_MUTEX_INITIALIZER, 25000, 0 };

static int allow_request(struct limiter *l)
{
    int ok = 0;
    pthread_mutex_lock(&l->lock);
    if (l->used < l->budget) {
        l->used++;
        ok = 1;
    }
    pthread_mutex_unlock(&l->lock);
    return ok;
}

static void *worker(void *arg)
{
    long *allowed = arg;
    for (int i = 0; i < REQUESTS; i++)
        *allowed += allow_request(&limiter);
    return NULL;
}

int main(void)
{
    pthread_t t[WORKERS];
    long allowed[WORKERS] = {0};
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, &allowed[i]);
    long total = 0;
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(t[i], NULL);
        total += allowed[i];
    }
    printf("allowed %ld of budget %ld\n", total, limiter.budget);
    return total == limiter.budget ? 0 : 1;
}
