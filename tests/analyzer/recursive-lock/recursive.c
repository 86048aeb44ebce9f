/* Recursive mutexes never deadlock on relock: made so by attributes, by
 * the GNU static initialiser, per variable or per struct field. */
#define _GNU_SOURCE
#include <pthread.h>

static pthread_mutex_t attr_rec;
static pthread_mutex_t static_rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t errorcheck;

struct node { pthread_mutex_t mu; int v; };
struct box { pthread_mutex_t mu; int v; };
static struct box boxed = { .mu = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, .v = 0 };

void setup(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&attr_rec, &a);
    pthread_mutexattr_destroy(&a);

    pthread_mutexattr_t e;
    pthread_mutexattr_init(&e);
    pthread_mutexattr_settype(&e, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&errorcheck, &e);
}

void node_init(struct node *n)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE_NP);
    pthread_mutex_init(&n->mu, &a);  /* every node's mu is recursive */
}

static void node_get(struct node *n) { pthread_mutex_lock(&n->mu); pthread_mutex_unlock(&n->mu); }

void use(struct node *n, struct box *b)
{
    pthread_mutex_lock(&attr_rec);
    pthread_mutex_lock(&attr_rec);
    pthread_mutex_lock(&static_rec);
    pthread_mutex_lock(&static_rec);
    pthread_mutex_lock(&n->mu);
    pthread_mutex_lock(&n->mu);
    node_get(n);
    pthread_mutex_lock(&b->mu);
    pthread_mutex_lock(&boxed.mu);
    pthread_mutex_lock(&b->mu);
}

void not_recursive(void)
{
    pthread_mutex_lock(&plain);
    pthread_mutex_lock(&plain);  // want: recursive-lock "relocking 'plain'"
    pthread_mutex_lock(&errorcheck);
    pthread_mutex_lock(&errorcheck);  // want: recursive-lock
}

/* Made recursive by a function that comes after its use, in the file and
 * in the call graph: whether a mutex is recursive is a whole-program fact,
 * known only once every function has been seen. */
static pthread_mutex_t made_later;

void use_made_later(void)
{
    pthread_mutex_lock(&made_later);
    pthread_mutex_lock(&made_later);
}

void make_later(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&made_later, &a);
}
