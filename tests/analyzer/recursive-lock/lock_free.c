/* Functions that take, release or mark no lock are not run through the
 * dataflow (summary.c, classify): their summaries are empty.  What they
 * call, and whether they return, must still count.  Leaves (no call, no
 * loop or jump, no lock variable) are not even lowered (check_relock.c,
 * needs_lowering): a leaf that never returns, or that makes a mutex
 * recursive by its initialiser, must still be seen. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void ext(void);

static int twice(int x) { return x * 2; }
static void lock_it(void) { pthread_mutex_lock(&m); }
/* Takes no lock itself, but calls one that does. */
static void middle(int x)
{
    if (x > twice(x))
        ext();
    lock_it();
}
static void die(const char *why) { (void)why; exit(1); }
static void stop(void) { die("stop"); }
static void fail_if(int bad)
{
    if (bad)
        die("bad");
}

void through_middle(int x)
{
    pthread_mutex_lock(&m);
    middle(x);  // want: recursive-lock "call to 'middle' acquires 'm'"
    pthread_mutex_unlock(&m);
}

void held_across_lock_free(int x)
{
    pthread_mutex_lock(&m);
    ext();
    x = twice(x);
    fail_if(x);
    pthread_mutex_unlock(&m);
}

void stop_ends_the_path(int c)
{
    if (c) {
        pthread_mutex_lock(&m);
        stop();
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void fail_if_returns(int c)
{
    if (c) {
        pthread_mutex_lock(&m);
        fail_if(0);
    }
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}

/* A leaf that spins forever: the path through it ends. */
static void spin(void) { for (;;) { } }

void spin_ends_the_path(int c)
{
    if (c) {
        pthread_mutex_lock(&m);
        spin();
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

/* A leaf whose local initialiser makes every rbox's mu recursive. */
struct rbox { pthread_mutex_t mu; int v; };
int rbox_default(void)
{
    struct rbox b = { .mu = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, .v = 1 };
    return b.v;
}

void rbox_relock(struct rbox *b)
{
    pthread_mutex_lock(&b->mu);
    pthread_mutex_lock(&b->mu);
    pthread_mutex_unlock(&b->mu);
    pthread_mutex_unlock(&b->mu);
}

/* A leaf between a lock and its relock changes nothing. */
static int leaf_add(int a, int b) { return a + b; }
void relock_around_leaf(int c)
{
    pthread_mutex_lock(&m);
    c = leaf_add(c, 1);
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}
