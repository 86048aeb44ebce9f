/* copylock: what is not a copy of a lock stays silent. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>

typedef struct queue {
    pthread_mutex_t lock;
    int n;
} queue_t;

/* A pointer to a lock is not a lock. */
struct holder {
    pthread_mutex_t *lock;
    queue_t *q;
    int n;
};

queue_t make(void);
queue_t *find(int key);
void use(queue_t *q);
void use_holder(struct holder h);

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static queue_t q0 = { PTHREAD_MUTEX_INITIALIZER, 0 };
static queue_t q1 = { .lock = PTHREAD_MUTEX_INITIALIZER, .n = 1 };

queue_t fresh_return(void) { return (queue_t){ .n = 2 }; }
queue_t call_return(void) { return make(); }

void silent(queue_t *p, queue_t *q, struct holder h1)
{
    /* Fresh values: call results, compound literals, constant lists. */
    queue_t a = make();
    queue_t b = (queue_t){ PTHREAD_MUTEX_INITIALIZER, 0 };
    queue_t c = { PTHREAD_MUTEX_INITIALIZER, 3 };
    *p = make();
    *q = (queue_t){ .n = 4 };
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;

    /* Pointers, and structs of pointers, copy freely. */
    queue_t *pp = p;
    struct holder h2 = h1;
    struct holder h3 = { &m, p, 0 };
    h2 = h3;
    use_holder(h2);
    use(p);
    use(&a);
    pthread_mutex_t *mp = &m;
    pp = find(1);

    /* Unevaluated operands. */
    size_t s1 = sizeof *p;
    size_t s2 = sizeof(queue_t) + sizeof(m) + _Alignof(queue_t);
    size_t s3 = offsetof(queue_t, n);
    __typeof__(*p) *tp = p;
    int g = _Generic(*p, queue_t: 1, default: 0);

    /* memset and memcpy of non-lock memory. */
    memset(p, 0, sizeof *p);
    int x[4], y[4];
    memcpy(x, y, sizeof x);

    /* Copying non-lock members of a lock-holding struct. */
    int n = p->n;
    p->n = q->n;

    (void)a; (void)b; (void)c; (void)fresh; (void)pp; (void)mp; (void)s1; (void)s2;
    (void)s3; (void)tp; (void)g; (void)n; (void)cv; (void)rw; (void)q0; (void)q1;
}

/* A plain volatile int is not a spinlock, whatever it looks like. */
volatile int flag;
volatile int copy_flag(volatile int v) { int f = flag; return v + f; }

/* Members of a fresh struct are fresh; through a pointer they are not. */
struct wrap { queue_t q; };
struct wrap make_wrap(void);
struct wrap *find_wrap(void);
void members_of_results(void)
{
    queue_t a = make_wrap().q;
    int n = make_wrap().q.n;
    queue_t b = find_wrap()->q;         // want: copylock "initialisation of 'b'"
    queue_t c = *find(2);               // want: copylock "initialisation of 'c'"
    (void)a; (void)n; (void)b; (void)c;
}

/* Intrusive lists walked with offsetof(typeof(*pos), member), as ccan's
 * list_for_each_safe (lwan) and the kernel-style list_for_each_entry do:
 * `*pos` is a struct holding a lock, but only named, never copied.  The
 * macros nest as ccan's do: before LLVM 17 an operator in a nested
 * macro's body can read as an assignment, whose operand must then still
 * not be the struct. */
struct node { struct node *next; };
struct waiter { pthread_mutex_t lock; struct node link; int n; };
#define same_type(e, t) ((__typeof__(e) *)0 != (t *)0)
#define member_off(t, m) offsetof(t, m)
#define member_off_of(v, m) member_off(__typeof__(*v), m)
#define link_off(v, m) (member_off_of(v, m) + same_type(v->m, struct node))
static inline void *entry_at(struct node *n, size_t off) { return (char *)n - off; }
static inline struct node *node_at(void *p, size_t off) { return (struct node *)((char *)p + off); }
#define walk_safe_off(head, pos, nxt, off)                                      \
    for (pos = entry_at((head)->next, (off)),                                  \
        nxt = entry_at(node_at(pos, (off))->next, (off));                      \
         node_at(pos, (off)) != (head);                                        \
         pos = nxt, nxt = entry_at(node_at(pos, (off))->next, (off)))
#define walk_safe(head, pos, nxt, m) walk_safe_off(head, pos, nxt, link_off(pos, m))

int count_waiters(struct node *head)
{
    struct waiter *w, *next;
    int n = 0;
    walk_safe (head, w, next, link) {
        pthread_mutex_lock(&w->lock);
        n += w->n;
        pthread_mutex_unlock(&w->lock);
    }
    return n;
}
