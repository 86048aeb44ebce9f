/* Direct relocks within one function, and the identity of locks: access
 * paths tell objects apart; reassigned variables name new locks. */
#include <pthread.h>

struct inner { pthread_mutex_t mu; };
struct outer { struct inner inner; pthread_mutex_t mu; };
struct counter { pthread_mutex_t mu; long n; struct counter *next; };

static pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t h = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t locks[8];

void relock_global(void)
{
    pthread_mutex_lock(&g);
    pthread_mutex_lock(&g);  // want: recursive-lock "relocking 'g' which is already held"
}

void relock_field(struct counter *c)
{
    pthread_mutex_lock(&c->mu);
    c->n++;
    pthread_mutex_lock(&c->mu);  // want: recursive-lock "relocking 'c->mu'"
}

void relock_nested(struct outer *o)
{
    struct outer s;
    pthread_mutex_lock(&s.inner.mu);
    pthread_mutex_lock(&s.mu);  /* another field: fine */
    pthread_mutex_lock(&s.inner.mu);  // want: recursive-lock "'s.inner.mu'"
    pthread_mutex_lock(&o->inner.mu);  /* another object */
}

void relock_pointer(pthread_mutex_t *p)
{
    pthread_mutex_lock(p);
    pthread_mutex_lock(p);  // want: recursive-lock "'\*p'"
}

void relock_element(void)
{
    pthread_mutex_lock(&locks[3]);
    pthread_mutex_lock(&locks[4]);
    pthread_mutex_lock(&locks[3]);  // want: recursive-lock "'locks\[3\]'"
}

void unknown_indices(int i, int j)
{
    pthread_mutex_lock(&locks[i]);
    pthread_mutex_lock(&locks[j]);  /* may differ: not provably the same */
    pthread_mutex_unlock(&locks[j]);
    pthread_mutex_unlock(&locks[i]);
}

void same_index(int i)
{
    pthread_mutex_lock(&locks[i]);
    pthread_mutex_lock(&locks[i]);  // want: recursive-lock "'locks\[i\]'"
}

void index_changes(int i)
{
    pthread_mutex_lock(&locks[i]);
    i++;
    pthread_mutex_lock(&locks[i]);  /* another element now */
}

void lock_unlock_lock(void)
{
    pthread_mutex_lock(&g);
    pthread_mutex_unlock(&g);
    pthread_mutex_lock(&g);
    pthread_mutex_unlock(&g);
}

void two_objects(struct counter *a, struct counter *b)
{
    pthread_mutex_lock(&a->mu);
    pthread_mutex_lock(&b->mu);
    pthread_mutex_lock(&h);
    pthread_mutex_unlock(&h);
    pthread_mutex_unlock(&b->mu);
    pthread_mutex_unlock(&a->mu);
}

void walk(struct counter *c)
{
    pthread_mutex_lock(&c->mu);
    c = c->next;               /* another node: another lock */
    pthread_mutex_lock(&c->mu);
}

void conditional(int c)
{
    if (c)
        pthread_mutex_lock(&g);
    pthread_mutex_lock(&g);  // want: recursive-lock "relocking 'g'"
    pthread_mutex_unlock(&g);
}

void ternary(int c)
{
    c ? pthread_mutex_lock(&g) : 0;
    pthread_mutex_lock(&g);  // want: recursive-lock
}

void short_circuit(int c)
{
    if (c && pthread_mutex_lock(&h) == 0)
        pthread_mutex_lock(&h);  // want: recursive-lock
}

void casts(void)
{
    pthread_mutex_lock((pthread_mutex_t *)&g);
    pthread_mutex_lock(&(g));  // want: recursive-lock
}
