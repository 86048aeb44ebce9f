/* Conditional lock wrappers (zstd's programs/fileio_asyncio.c): a wrapper
 * that locks only when a pool is active, paired with one that unlocks
 * under the same test.  The caller's lock/unlock pairs cancel out; taking
 * the lock twice through the wrapper is still a relock.  Also: a function
 * that tests hundreds of variables stays fast (facts are kept only for
 * tested variables, sorted). */
#include <pthread.h>

typedef struct pool {
    pthread_mutex_t mu;
    void *threads;
    int active;
    int avail;
} pool;

static int pool_active(pool *p) { return p->threads && p->active; }

static void pool_lock(pool *p)
{
    if (pool_active(p))
        pthread_mutex_lock(&p->mu);
}

static void pool_unlock(pool *p)
{
    if (pool_active(p))
        pthread_mutex_unlock(&p->mu);
}

static int take_job(pool *p)
{
    pool_lock(p);
    int j = --p->avail;
    pool_unlock(p);
    return j;
}

static void release_job(pool *p)
{
    pool_lock(p);
    p->avail++;
    pool_unlock(p);
}

/* zstd's FIO_compressZstdFrame shape: wrappers of wrappers, in sequence. */
int roundtrip(pool *p)
{
    int j = take_job(p);
    release_job(p);
    pool_lock(p);
    int n = p->avail;
    pool_unlock(p);
    return j + n + take_job(p);
}

/* A wrapper of the conditional lock passes on its partial hold. */
static void pool_lock2(pool *p) { pool_lock(p); }

void paired_through_wrapper(pool *p)
{
    pool_lock2(p);
    p->avail = 0;
    pool_unlock(p);
    pool_lock(p);
    pool_unlock(p);
}

/* Still relocks: the same condition holds at both calls. */
void twice(pool *p)
{
    pool_lock(p);
    pool_lock(p);  // want: recursive-lock "call to 'pool_lock' acquires 'p->mu'"
    pool_unlock(p);
    pool_unlock(p);
}

/* A lock certainly taken is not undone by a maybe-unlock. */
void direct_then_maybe(pool *p)
{
    pthread_mutex_lock(&p->mu);
    pool_unlock(p);
    pthread_mutex_lock(&p->mu);  // want: recursive-lock "relocking 'p->mu'"
    pthread_mutex_unlock(&p->mu);
}

/* Plain lock and unlock wrappers still relock as before. */
static void plain_lock(pool *p) { pthread_mutex_lock(&p->mu); }

void plain_twice(pool *p)
{
    plain_lock(p);
    plain_lock(p);  // want: recursive-lock "call to 'plain_lock' acquires 'p->mu'"
    pthread_mutex_unlock(&p->mu);
}

#define V(n) int v##n = n;
#define T(n) if (v##n) v##n++;
#define V10(a) V(a##0) V(a##1) V(a##2) V(a##3) V(a##4) V(a##5) V(a##6) V(a##7) V(a##8) V(a##9)
#define T10(a) T(a##0) T(a##1) T(a##2) T(a##3) T(a##4) T(a##5) T(a##6) T(a##7) T(a##8) T(a##9)

/* 300 tracked variables over 600 blocks, with a relock at the end. */
int many_facts(pool *p)
{
    V10(1) V10(2) V10(3) V10(4) V10(5) V10(6) V10(7) V10(8) V10(9)
    V10(10) V10(11) V10(12) V10(13) V10(14) V10(15) V10(16) V10(17) V10(18) V10(19)
    V10(20) V10(21) V10(22) V10(23) V10(24) V10(25) V10(26) V10(27) V10(28) V10(29)
    pthread_mutex_lock(&p->mu);
    T10(1) T10(2) T10(3) T10(4) T10(5) T10(6) T10(7) T10(8) T10(9)
    T10(10) T10(11) T10(12) T10(13) T10(14) T10(15) T10(16) T10(17) T10(18) T10(19)
    T10(20) T10(21) T10(22) T10(23) T10(24) T10(25) T10(26) T10(27) T10(28) T10(29)
    T10(1) T10(2) T10(3) T10(4) T10(5) T10(6) T10(7) T10(8) T10(9)
    T10(10) T10(11) T10(12) T10(13) T10(14) T10(15) T10(16) T10(17) T10(18) T10(19)
    T10(20) T10(21) T10(22) T10(23) T10(24) T10(25) T10(26) T10(27) T10(28) T10(29)
    pthread_mutex_lock(&p->mu);  // want: recursive-lock "relocking 'p->mu'"
    pthread_mutex_unlock(&p->mu);
    return v10 + v290;
}
