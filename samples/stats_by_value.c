/*
 * Request statistics guarded by a mutex -- but `record` takes the stats
 * struct by value.  Each call locks its own private copy of the mutex, which
 * protects nothing, while the shared histogram behind the pointer is updated
 * by every thread at once.
 * racecheck: copylock at the by-value parameter and at the call;
 * racecheck run: data-race on the histogram.
 */
#include <pthread.h>
#include <stdio.h>

struct stats {
    pthread_mutex_t lock;
    long *histogram;        /* shared: 10 buckets of latency */
};

static long buckets[10];
static struct stats stats = { PTHREAD_MUTEX_INITIALIZER, buckets };

static void record(struct stats s, int latency_ms)    // want: copylock "parameter 's' passes lock by value: 'struct stats' contains 'pthread_mutex_t' \(field 'lock'\)"
{
    pthread_mutex_lock(&s.lock);        /* locks the copy: no exclusion */
    s.histogram[latency_ms / 10 % 10]++;                // want-run: data-race
    pthread_mutex_unlock(&s.lock);
}

static void *serve(void *arg)
{
    int base = *(int *)arg;
    for (int i = 0; i < 5000; i++)
        record(stats, base + i % 7);    // want: copylock "call of 'record' copies lock value"
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    int fast = 3, slow = 5;
    pthread_create(&a, NULL, serve, &fast);
    pthread_create(&b, NULL, serve, &slow);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    long total = 0;
    for (int i = 0; i < 10; i++)
        total += buckets[i];
    printf("recorded %ld of 10000\n", total);
    return 0;
}
