/* Functions that return holding a lock only on success: the caller's test
 * of the result decides, as for trylock; and noreturn helpers. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct item { int key; struct item *next; pthread_mutex_t mu; };
struct table { pthread_mutex_t mu; struct item *head; };

/* returns with t->mu held when it found the key */
static struct item *lookup(struct table *t, int key)
{
    pthread_mutex_lock(&t->mu);
    for (struct item *i = t->head; i; i = i->next)
        if (i->key == key)
            return i;
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

static int lookup_rc(struct table *t, int key, struct item **out)
{
    pthread_mutex_lock(&t->mu);
    for (struct item *i = t->head; i; i = i->next)
        if (i->key == key) {
            *out = i;
            return 0;
        }
    pthread_mutex_unlock(&t->mu);
    return -1;
}

static bool try_enter(struct table *t)
{
    if (pthread_mutex_trylock(&t->mu) != 0)
        return false;
    return true;
}

static int enter_or_fail(struct table *t) { return pthread_mutex_trylock(&t->mu); }

void users(struct table *t)
{
    struct item *it = lookup(t, 3);
    if (!it) {
        pthread_mutex_lock(&t->mu);
        pthread_mutex_unlock(&t->mu);
        return;
    }
    pthread_mutex_unlock(&t->mu);

    struct item *x;
    if (lookup_rc(t, 4, &x) != 0) {
        pthread_mutex_lock(&t->mu);
        pthread_mutex_unlock(&t->mu);
        return;
    }
    pthread_mutex_unlock(&t->mu);

    if (try_enter(t))
        pthread_mutex_unlock(&t->mu);
    if (enter_or_fail(t) == 0)
        pthread_mutex_unlock(&t->mu);
    pthread_mutex_lock(&t->mu);
    pthread_mutex_unlock(&t->mu);
}

void found_then_lock(struct table *t)
{
    struct item *it = lookup(t, 3);
    if (it)
        pthread_mutex_lock(&t->mu);  // want: recursive-lock "relocking 't->mu'"
}

void hand_over_hand(struct table *t)
{
    pthread_mutex_lock(&t->mu);
    struct item *cur = t->head;
    if (!cur) {
        pthread_mutex_unlock(&t->mu);
        return;
    }
    pthread_mutex_lock(&cur->mu);
    pthread_mutex_unlock(&t->mu);
    while (cur->next) {
        struct item *next = cur->next;
        pthread_mutex_lock(&next->mu);
        pthread_mutex_unlock(&cur->mu);
        cur = next;
    }
    pthread_mutex_unlock(&cur->mu);
}

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static void log_msg(const char *m) { pthread_mutex_lock(&log_mu); (void)m; pthread_mutex_unlock(&log_mu); }

void fail(const char *m)
{
    pthread_mutex_lock(&log_mu);
    log_msg(m);  // want: recursive-lock "call to 'log_msg' acquires 'log_mu'"
    abort();
}
