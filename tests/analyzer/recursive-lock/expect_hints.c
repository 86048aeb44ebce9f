/* Branch hints: likely(x) and unlikely(x) are __builtin_expect(!!(x), 1)
 * and (..., 0) wherever they are defined (Linux, DPDK, lwan's LIKELY).
 * The test of a lock's result inside one decides, as without it -- also
 * before LLVM 17, where libclang cannot read the `!!` in the macro's body
 * (taken to be the pair it always is) and reads a `!` in its argument from
 * where the argument is written. */
#include <pthread.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define LIKELY(x) __builtin_expect_with_probability(!!(x), 1, 0.9)

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
int done;

/* lwan's job thread: a failed lock is not held on the next round. */
void job_loop(void)
{
    while (!done) {
        if (likely(!pthread_mutex_lock(&m))) {
            done++;
            pthread_mutex_unlock(&m);
        }
    }
}

/* lwan's cache pruning: `continue` when the write lock fails. */
void prune(int n)
{
    for (int i = 0; i < n; i++) {
        if (unlikely(pthread_rwlock_wrlock(&rw)))
            continue;
        done--;
        pthread_rwlock_unlock(&rw);
    }
}

void probability(void)
{
    while (!done)
        if (LIKELY(pthread_mutex_trylock(&m) == 0)) {
            done = 1;
            pthread_mutex_unlock(&m);
        }
}

void direct_hint(void)
{
    while (!done)
        if (__builtin_expect(pthread_mutex_lock(&m) == 0, 1)) {
            done = 1;
            pthread_mutex_unlock(&m);
        }
}

/* Still a relock where the hint's test says the lock is held. */
void relock_when_taken(void)
{
    if (likely(pthread_mutex_trylock(&m) == 0))
        pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm'"
}

void relock_after_unlikely_failure(void)
{
    if (unlikely(pthread_mutex_lock(&m) != 0))
        return;
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm'"
}
