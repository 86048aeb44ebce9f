/* Inline functions in a header: every unit that includes this one has its
 * own copy of each body, and the analysis keeps one.  Whichever unit's copy
 * is kept, each unit's calls must see what the function locks -- under -j
 * too, and when the first unit to include the header stops including it
 * (tests/cli/cache_test.sh). */
#ifndef POOL_H
#define POOL_H
#include <pthread.h>

struct pool { pthread_mutex_t mu; int free; };

static inline void pool_lock(struct pool *p) { pthread_mutex_lock(&p->mu); }
static inline void pool_unlock(struct pool *p) { pthread_mutex_unlock(&p->mu); }

static inline int pool_take(struct pool *p)
{
    pool_lock(p);
    int got = p->free > 0 ? p->free-- : 0;
    pool_unlock(p);
    return got;
}

/* A leaf: nothing to lower in any unit. */
static inline int pool_size(const struct pool *p) { return p->free; }

/* Its bug is reported once, at its one place, however many units hold it. */
static inline void pool_reset(struct pool *p)
{
    pool_lock(p);
    pool_lock(p);  // want: recursive-lock "call to 'pool_lock' acquires 'p->mu'"
    p->free = 0;
    pool_unlock(p);
}
#endif
