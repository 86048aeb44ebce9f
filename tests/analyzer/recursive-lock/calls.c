/* Calls: a callee that takes a lock the caller holds, at any depth;
 * wrappers need no configuration; releasing callees; unknown callees. */
#include <pthread.h>

struct cache { pthread_mutex_t lock; int n; };
struct counter { pthread_mutex_t mu; long n; };

static pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;

/* the case */
long get(struct counter *c)
{
    pthread_mutex_lock(&c->mu);
    long n = c->n;
    pthread_mutex_unlock(&c->mu);
    return n;
}

void inc(struct counter *c)
{
    pthread_mutex_lock(&c->mu);
    c->n = get(c) + 1;  // want: recursive-lock "call to 'get' acquires 'c->mu', which is already held here"
    pthread_mutex_unlock(&c->mu);
}

static long get2(struct counter *c) { return get(c); }
static long get3(struct counter *c) { return get2(c) * 2; }

void two_deep(struct counter *c)
{
    pthread_mutex_lock(&c->mu);
    get2(c);  // want: recursive-lock "call to 'get2' acquires 'c->mu' \(via 'get'\)"
    pthread_mutex_unlock(&c->mu);
}

void three_deep(struct counter *x)
{
    pthread_mutex_lock(&x->mu);
    get3(x);  // want: recursive-lock "'get3' acquires 'x->mu' \(via 'get2', 'get'\)"
    pthread_mutex_unlock(&x->mu);
}

void other_object(struct counter *a, struct counter *b)
{
    pthread_mutex_lock(&a->mu);
    get(b);
    pthread_mutex_unlock(&a->mu);
}

/* wrappers */
static void cache_lock(struct cache *c) { pthread_mutex_lock(&c->lock); }
static void cache_unlock(struct cache *c) { pthread_mutex_unlock(&c->lock); }

void wrapped(struct cache *c)
{
    cache_lock(c);
    c->n++;
    cache_lock(c);  // want: recursive-lock "call to 'cache_lock' acquires 'c->lock'"
}

void wrapped_ok(struct cache *c)
{
    cache_lock(c);
    c->n++;
    cache_unlock(c);
    cache_lock(c);
    cache_unlock(c);
}

void wrapper_then_direct(struct cache *c)
{
    cache_lock(c);
    pthread_mutex_lock(&c->lock);  // want: recursive-lock "relocking 'c->lock'"
}

/* a callee that releases the caller's lock and takes it back */
static void wait_a_bit(struct cache *c)
{
    pthread_mutex_unlock(&c->lock);
    pthread_mutex_lock(&c->lock);
}

void releasing_callee(struct cache *c)
{
    cache_lock(c);
    wait_a_bit(c);
    cache_unlock(c);
}

/* a callee that releases for good */
static void finish(struct cache *c) { c->n = 0; pthread_mutex_unlock(&c->lock); }

void handed_off(struct cache *c)
{
    pthread_mutex_lock(&c->lock);
    finish(c);
    pthread_mutex_lock(&c->lock);
    pthread_mutex_unlock(&c->lock);
}

/* globals through calls */
static void bump(void) { pthread_mutex_lock(&g); pthread_mutex_unlock(&g); }
static void bump_twice(void) { bump(); bump(); }

void global_call(void)
{
    pthread_mutex_lock(&g);
    bump_twice();  // want: recursive-lock "call to 'bump_twice' acquires 'g' \(via 'bump'\)"
    pthread_mutex_unlock(&g);
    bump_twice();
}

/* unknown callees are neutral */
void external(struct counter *c);
void through_pointers(struct counter *c, void (*fp)(struct counter *))
{
    pthread_mutex_lock(&c->mu);
    fp(c);
    external(c);
    pthread_mutex_unlock(&c->mu);
}

/* recursion in the call graph terminates */
static int ping(struct counter *c, int n);
static int pong(struct counter *c, int n) { return n ? ping(c, n - 1) : 0; }
static int ping(struct counter *c, int n)
{
    if (n == 0) {
        pthread_mutex_lock(&c->mu);
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    return pong(c, n - 1);
}

void recursive_calls(struct counter *c)
{
    pthread_mutex_lock(&c->mu);
    ping(c, 3);  // want: recursive-lock "call to 'ping' acquires 'c->mu'"
    pthread_mutex_unlock(&c->mu);
}

/* A cycle whose members learn each other's acquisitions only on a later
 * round: the report must wait until the cycle's summaries are settled. */
static void walk_b(struct counter *c, int n);
static void walk_a(struct counter *c, int n)
{
    if (n > 0) {
        pthread_mutex_lock(&c->mu);
        walk_b(c, n - 1);  // want: recursive-lock "call to 'walk_b' acquires 'c->mu' .via 'walk_a'."
        pthread_mutex_unlock(&c->mu);
    }
}
static void walk_b(struct counter *c, int n) { if (n > 0) walk_a(c, n - 1); }

/* ... and one that releases before going round again is silent */
static void hop_b(struct counter *c, int n);
static void hop_a(struct counter *c, int n)
{
    pthread_mutex_lock(&c->mu);
    c->n++;
    pthread_mutex_unlock(&c->mu);
    if (n > 0)
        hop_b(c, n - 1);
}
static void hop_b(struct counter *c, int n) { if (n > 0) hop_a(c, n - 1); }
void hops(struct counter *c) { hop_a(c, 2); walk_a(c, 2); }

static int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
void self_recursive(void)
{
    pthread_mutex_lock(&g);
    fact(5);
    pthread_mutex_unlock(&g);
}

/* the lock taken in a callee, retaken by the caller */
void callee_holds(struct cache *c)
{
    cache_lock(c);
    c->n++;
    pthread_mutex_unlock(&c->lock);
}
