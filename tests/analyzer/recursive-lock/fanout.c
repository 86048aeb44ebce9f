/* A recursion that fans out over fields: at every round of the fixpoint
 * its summary names the paths one level deeper, four times as many
 * (librdkafka's solve grew to gigabytes and did not end).  Paths are
 * k-limited (LP_MAX_OPS) and summaries capped (SUM_CAP): this file is
 * analysed at once, and the relock through the recursion is still found. */
#include <pthread.h>

struct node {
    pthread_mutex_t mu;
    struct node *l, *r, *a, *b;
};

void walk(struct node *x)
{
    if (!x)
        return;
    pthread_mutex_lock(&x->mu);
    pthread_mutex_unlock(&x->mu);
    walk(x->l);
    walk(x->r);
    walk(x->a);
    walk(x->b);
}

void walk_locked(struct node *x)
{
    pthread_mutex_lock(&x->mu);
    walk(x);  // want: recursive-lock "call to 'walk' acquires 'x->mu'"
    pthread_mutex_unlock(&x->mu);
}

void walk_children_locked(struct node *x)
{
    pthread_mutex_lock(&x->mu);
    walk(x->l->r);
    pthread_mutex_unlock(&x->mu);
}
