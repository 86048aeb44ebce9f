/* A callee that releases its caller's lock on some paths only, and says by
 * its result whether it did (curl's thrdpool_unlink: the last reference
 * frees the pool, releasing the lock first when the caller holds it, and
 * returns TRUE).  The caller's test of the result decides where it still
 * holds the lock; without a test, or without such a result, a lock surely
 * taken stays held. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct slot { struct slot *next; int thread; };
struct pool { pthread_mutex_t lock; int refcount; int aborted; struct slot *zombies; };
void thread_join(int thread);

static bool pool_unlink(struct pool *p, bool locked)
{
    if (--p->refcount)
        return false;
    if (locked)
        pthread_mutex_unlock(&p->lock);
    pthread_mutex_destroy(&p->lock);
    free(p);
    return true;
}

/* The result tells once the constant argument is known. */
void pool_destroy(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->aborted = 1;
    if (!pool_unlink(p, true))
        pthread_mutex_unlock(&p->lock);
}

static int put_locked(struct pool *p)
{
    if (--p->refcount)
        return 0;
    pthread_mutex_unlock(&p->lock);
    free(p);
    return 1;
}

void pool_put(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    if (put_locked(p))
        return;
    pthread_mutex_unlock(&p->lock);
}

/* Neither leaves the lock held: these relock nothing. */
void users(struct pool *p, struct pool *q)
{
    pool_destroy(p);
    pthread_mutex_lock(&p->lock);
    pthread_mutex_unlock(&p->lock);
    pool_put(q);
    pthread_mutex_lock(&q->lock);
    pthread_mutex_unlock(&q->lock);
}

/* The result says "not released": still held. */
void put_then_relock(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    if (!put_locked(p))
        pthread_mutex_lock(&p->lock);  // want: recursive-lock "relocking 'p->lock'"
}

/* The result is not tested: held where it was not the last reference. */
void put_ignored(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    put_locked(p);
    pthread_mutex_lock(&p->lock);  // want: recursive-lock "relocking 'p->lock'"
}

/* Whether it releases depends on an argument not known here, so its result
 * tells nothing: the lock surely taken stays held where it returns true. */
void destroy_maybe(struct pool *p, bool locked)
{
    pthread_mutex_lock(&p->lock);
    if (!pool_unlink(p, locked))
        pthread_mutex_unlock(&p->lock);
    pthread_mutex_lock(&p->lock);  // want: recursive-lock "relocking 'p->lock'"
    pthread_mutex_unlock(&p->lock);
}

/* curl's thrdpool_join_zombies: it releases its caller's lock around each
 * join and takes it again.  A caller that then releases the lock has
 * released its own caller's lock, on every path. */
static void join_zombies(struct pool *p)
{
    struct slot *e;
    for (e = p->zombies; e; e = p->zombies) {
        p->zombies = e->next;
        if (e->thread) {
            pthread_mutex_unlock(&p->lock);
            thread_join(e->thread);
            pthread_mutex_lock(&p->lock);
        }
        free(e);
    }
}

static bool pool_unlink_joined(struct pool *p, bool locked)
{
    if (p->refcount)
        p->refcount--;
    if (p->refcount)
        return false;
    join_zombies(p);
    if (locked)
        pthread_mutex_unlock(&p->lock);
    free(p);
    return true;
}

static void join_and_unlock(struct pool *p)
{
    join_zombies(p);
    pthread_mutex_unlock(&p->lock);
}

void pool_destroy_joined(struct pool *p)
{
    pthread_mutex_lock(&p->lock);
    join_zombies(p);
    if (!pool_unlink_joined(p, true))
        pthread_mutex_unlock(&p->lock);
}

void joined_users(struct pool *p, struct pool *q)
{
    pool_destroy_joined(p);
    pthread_mutex_lock(&p->lock);
    pthread_mutex_unlock(&p->lock);
    pthread_mutex_lock(&q->lock);
    join_and_unlock(q);
    pthread_mutex_lock(&q->lock);
    pthread_mutex_unlock(&q->lock);
}
