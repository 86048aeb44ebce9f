/* Index arguments: a callee's index parameter is bound to the caller's
 * argument -- a constant to that constant, a variable to that variable,
 * anything else to an index that equals nothing.  A pointer subscript
 * offsets the element the caller passed (`lock_at(marr, 1)` is marr[1]). */
#include <pthread.h>

struct table { pthread_mutex_t bucket[16]; };
struct slot { pthread_mutex_t mu; int v; };

pthread_mutex_t marr[4];

static void bucket_lock(struct table *t, int h) { pthread_mutex_lock(&t->bucket[h]); }
static void slot_lock(struct slot *s, int i) { pthread_mutex_lock(&s[i].mu); }
static void lock_at(pthread_mutex_t *a, int i) { pthread_mutex_lock(&a[i]); }
static void lock_p(pthread_mutex_t *a) { pthread_mutex_lock(a); }
static void glock_at(int i) { pthread_mutex_lock(&marr[i]); }
static void lock_two(struct slot *s, int i, int j)
{
    pthread_mutex_lock(&s[i].mu);
    pthread_mutex_lock(&s[j].mu);
}

void distinct_consts(struct table *t) { bucket_lock(t, 0); bucket_lock(t, 1); }
void distinct_vars(struct table *t, int i, int j) { bucket_lock(t, i); bucket_lock(t, j); }
void distinct_slots(struct slot *s, int i, int j) { slot_lock(s, i); slot_lock(s, j); }
void direct_vars(struct table *t, int i, int j)
{
    pthread_mutex_lock(&t->bucket[i]);
    pthread_mutex_lock(&t->bucket[j]);
}
void unknown_index(struct table *t, int i) { bucket_lock(t, i); bucket_lock(t, i + 1); }

void same_const(struct table *t)
{
    pthread_mutex_lock(&t->bucket[3]);
    bucket_lock(t, 3);  // want: recursive-lock "call to 'bucket_lock' acquires 't->bucket\[3\]', which is already held"
}

void same_var(struct table *t, int i)
{
    pthread_mutex_lock(&t->bucket[i]);
    bucket_lock(t, i);  // want: recursive-lock "acquires 't->bucket\[i\]'"
}

void array_arg(void)
{
    pthread_mutex_lock(&marr[1]);
    lock_at(marr, 1);  // want: recursive-lock "call to 'lock_at' acquires 'marr\[1\]', which is already held"
}

void array_arg_distinct(void) { lock_at(marr, 1); lock_at(marr, 2); }
void array_arg_twice(void)
{
    lock_at(marr, 1);
    lock_at(marr, 1);  // want: recursive-lock "acquires 'marr\[1\]'"
}
void array_arg_var(int i)
{
    pthread_mutex_lock(&marr[i]);
    lock_at(marr, i);  // want: recursive-lock "acquires 'marr\[i\]'"
}
void offset_arg(void)
{
    pthread_mutex_lock(&marr[3]);
    lock_at(&marr[1], 2);  // want: recursive-lock "acquires 'marr\[3\]'"
}
void offset_arg_distinct(void) { pthread_mutex_lock(&marr[3]); lock_at(&marr[1], 1); }
void elem_arg(int i)
{
    lock_p(&marr[i]);
    lock_p(&marr[i]);  // want: recursive-lock "acquires 'marr\[i\]'"
}
void global_index(void)
{
    glock_at(2);
    pthread_mutex_lock(&marr[2]);  // want: recursive-lock "relocking 'marr\[2\]'"
}
void global_index_distinct(void) { glock_at(2); glock_at(0); }

void same_pair(struct slot *s)
{
    lock_two(s, 1, 1);  // want: recursive-lock "call to 'lock_two' acquires 's\[1\].mu' twice"
}
void distinct_pair(struct slot *s) { lock_two(s, 1, 2); }

/* A pointer subscript is displayed as written. */
void shown(struct slot *arr, int i)
{
    pthread_mutex_lock(&arr[i].mu);
    pthread_mutex_lock(&arr[i].mu);  // want: recursive-lock "relocking 'arr\[i\].mu'"
}

/* p[0] is *p. */
void zero_is_deref(pthread_mutex_t *p)
{
    pthread_mutex_lock(&p[0]);
    pthread_mutex_lock(p);  // want: recursive-lock "relocking '\*p'"
}

/* The callee's own local index is unknown to its callers. */
int pick(void);
static void lock_picked(struct table *t) { int h = pick(); pthread_mutex_lock(&t->bucket[h]); }
void picked_twice(struct table *t) { lock_picked(t); lock_picked(t); }

/* An index parameter the callee changes is not the argument any more. */
static void lock_next(struct table *t, int h) { h++; pthread_mutex_lock(&t->bucket[h]); }
void next_of_held(struct table *t) { pthread_mutex_lock(&t->bucket[3]); lock_next(t, 3); }
