/*
 * The rate limiter fixed with C11 atomics: a compare-and-swap loop claims
 * one unit of budget at a time.  racecheck finds nothing.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define WORKERS 4
#define REQUESTS 10000

struct limiter {
    long budget;
    atomic_long used;
};

static struct limiter limiter = { .budget = 25000, .used = 0 };

static int allow_request(struct limiter *l)
{
    long used = atomic_load(&l->used);
    do {
        if (used >= l->budget)
            return 0;
    } while (!atomic_compare_exchange_weak(&l->used, &used, used + 1));
    return 1;
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
