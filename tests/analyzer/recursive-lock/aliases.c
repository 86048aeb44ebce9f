/* A local pointer that is a copy of another (and neither changes) names
 * the same locks. */
#include <pthread.h>

struct acct { pthread_mutex_t mu; int bal; };

void copied(struct acct *a)
{
    struct acct *b = a;
    pthread_mutex_lock(&a->mu);
    pthread_mutex_lock(&b->mu);  // want: recursive-lock "relocking 'a->mu'"
}

void copied_lock(struct acct *a)
{
    pthread_mutex_t *mu = &a->mu;
    pthread_mutex_lock(mu);
    pthread_mutex_lock(&a->mu);  // want: recursive-lock "relocking 'a->mu'"
}

static void lock_acct(struct acct *x) { pthread_mutex_lock(&x->mu); }

void copied_arg(struct acct *a)
{
    struct acct *b = (struct acct *)a;
    pthread_mutex_lock(&a->mu);
    lock_acct(b);  // want: recursive-lock "call to 'lock_acct' acquires 'a->mu'"
}

/* Reassigned: no longer a copy. */
void reassigned(struct acct *a, struct acct *c)
{
    struct acct *b = a;
    b = c;
    pthread_mutex_lock(&a->mu);
    pthread_mutex_lock(&b->mu);
}

void source_reassigned(struct acct *a, struct acct *c)
{
    struct acct *b = a;
    a = c;
    pthread_mutex_lock(&a->mu);
    pthread_mutex_lock(&b->mu);
}

struct acct *current;
void from_global(struct acct *a)
{
    struct acct *b = current;
    pthread_mutex_lock(&current->mu);
    lock_acct(a);
    pthread_mutex_lock(&b->mu);
}
