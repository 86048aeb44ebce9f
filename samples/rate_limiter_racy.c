/*
 * A request rate limiter shared by worker threads.  The counter is read and
 * written without synchronisation: two workers read 42 and both write 43,
 * so the limiter lets through more requests than it should (a lost update).
 * racecheck run: data-race on `limiter.used`.
 */
#include <pthread.h>
#include <stdio.h>

#define WORKERS 4
#define REQUESTS 10000

struct limiter {
    long budget;
    long used;
};

static struct limiter limiter = { .budget = 25000, .used = 0 };

/* Check, then update: another worker can run between the two steps, and
 * `used++` itself is a read and a write. */
static int allow_request(struct limiter *l)
{
    return l->used < l->budget ? (l->used++, 1) : 0;  // want-run: data-race
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
    printf("allowed %ld of budget %ld (used counter says %ld)\n",
           total, limiter.budget, limiter.used);
    return 0;
}
