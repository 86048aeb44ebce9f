/* A lock leak is reported once.  libgit2's git_mwindow_get_pack takes a
 * global mutex and, on one error path, returns before the unlock: every
 * later acquisition of that mutex, in every caller the error reaches,
 * would deadlock.  One fix ends them all, so the first is reported (with a
 * note on where the leak began and how many more there are) and the
 * others are not.  A conditional lock wrapper, or a plain one, is no leak:
 * each caller that locks twice through it is a finding of its own. */
#include <pthread.h>

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static int cache[64];

static int cache_find(int key) { return cache[key & 63] == key ? 0 : key < 0 ? -2 : -3; }

/* Leaks cache_mu when the key is not found: -3 returns before the unlock. */
static int cache_get(int key, int *out)
{
    pthread_mutex_lock(&cache_mu);
    int error = cache_find(key);
    if (error == 0) {
        *out = cache[key & 63];
        pthread_mutex_unlock(&cache_mu);
        return 0;
    } else if (error != -2) {
        return error;
    }
    pthread_mutex_unlock(&cache_mu);
    return -1;
}

static void cache_put(int key)
{
    pthread_mutex_lock(&cache_mu);
    cache[key & 63] = key;
    pthread_mutex_unlock(&cache_mu);
}

/* The leak passed on: lookup returns whatever cache_get returned. */
static int lookup(int key)
{
    int v = 0;
    int error = cache_get(key, &v);
    if (error)
        return error;
    return v;
}

int first_user(int key)
{
    lookup(key);
    cache_put(key);  // want: recursive-lock "call to 'cache_put' acquires 'cache_mu'"
    return 0;
}

int second_user(int key)
{
    lookup(key);
    cache_put(key + 1);  /* the same leak: counted on first_user's finding */
    return 0;
}

int third_user(int key)
{
    int v;
    cache_get(key, &v);
    pthread_mutex_lock(&cache_mu);  /* the same leak, taken directly */
    pthread_mutex_unlock(&cache_mu);
    return v;
}

/* A relock of this function's own is reported, leak or not. */
int own_relock(void)
{
    pthread_mutex_lock(&cache_mu);
    pthread_mutex_lock(&cache_mu);  // want: recursive-lock "relocking 'cache_mu'"
    pthread_mutex_unlock(&cache_mu);
    return 0;
}

/* Conditional and plain wrappers: no leak, one finding per caller. */
typedef struct pool { pthread_mutex_t mu; int active; } pool;

static void pool_lock(pool *p)
{
    if (p->active)
        pthread_mutex_lock(&p->mu);
}

static void plain_lock(pool *p) { pthread_mutex_lock(&p->mu); }

void twice_a(pool *p)
{
    pool_lock(p);
    pool_lock(p);  // want: recursive-lock "call to 'pool_lock' acquires 'p->mu'"
}

void twice_b(pool *p)
{
    pool_lock(p);
    pool_lock(p);  // want: recursive-lock "call to 'pool_lock' acquires 'p->mu'"
}

void plain_a(pool *p)
{
    plain_lock(p);
    plain_lock(p);  // want: recursive-lock "call to 'plain_lock' acquires 'p->mu'"
}

void plain_b(pool *p)
{
    plain_lock(p);
    plain_lock(p);  // want: recursive-lock "call to 'plain_lock' acquires 'p->mu'"
}

/* A second leak, of a lock passed in: reported once more, on its own. */
typedef struct table { pthread_mutex_t mu; int n; } table;

static int table_grow(table *t)
{
    pthread_mutex_lock(&t->mu);
    if (t->n > 1000)
        return -1;
    t->n *= 2;
    pthread_mutex_unlock(&t->mu);
    return 0;
}

void table_users(table *a, table *b)
{
    table_grow(a);
    pthread_mutex_lock(&a->mu);  // want: recursive-lock "relocking 'a->mu'"
    pthread_mutex_unlock(&a->mu);
    table_grow(b);
    pthread_mutex_lock(&b->mu);  /* the same leak */
    pthread_mutex_unlock(&b->mu);
}
