/* copylock: every lock type, at any depth, through typedef chains,
 * anonymous members, unions and arrays. */
#include <pthread.h>
#include <semaphore.h>
#include <threads.h>

void by_mutex(pthread_mutex_t m);          // want: copylock "'pthread_mutex_t'"
void by_rwlock(pthread_rwlock_t l);        // want: copylock "'pthread_rwlock_t'"
void by_spin(pthread_spinlock_t s);        // want: copylock "'pthread_spinlock_t'"
void by_cond(pthread_cond_t c);            // want: copylock "'pthread_cond_t'"
void by_barrier(pthread_barrier_t b);      // want: copylock "'pthread_barrier_t'"
void by_sem(sem_t s);                      // want: copylock "'sem_t'"
void by_mtx(mtx_t m);                      // want: copylock "'mtx_t'"
void by_cnd(cnd_t c);                      // want: copylock "'cnd_t'"
void by_const(const pthread_mutex_t m);    // want: copylock "'const pthread_mutex_t'"

/* Typedef chains keep the lock's name in the sugar. */
typedef pthread_mutex_t my_mutex;
typedef my_mutex my_mutex2;
void by_alias(my_mutex2 m);                // want: copylock "'my_mutex2' is 'pthread_mutex_t'"

/* Nested structs: the message gives the path to the lock. */
struct inner { int x; pthread_rwlock_t rw; };
struct middle { struct inner in; };
typedef struct outer { int y; struct middle mid; } outer_t;
void by_nested(outer_t o);                 // want: copylock "'outer_t' contains 'pthread_rwlock_t' \(field 'mid.in.rw'\)"

/* Anonymous members add nothing to the path. */
struct anon {
    int kind;
    union {
        struct { sem_t ready; int count; };
        double d;
    };
};
void by_anon(struct anon a);               // want: copylock "'struct anon' contains 'sem_t' \(field 'ready'\)"

/* Unions that hold a lock in any member. */
union either { pthread_spinlock_t spin; int n; };
void by_union(union either e);             // want: copylock "contains 'pthread_spinlock_t' \(field 'spin'\)"

/* Arrays of locks, and locks in arrays of structs. */
struct table { pthread_mutex_t stripes[8]; };
struct rows { struct inner rows[2]; };
void by_stripes(struct table t);           // want: copylock "\(field 'stripes\[\]'\)"
void by_rows(struct rows r);               // want: copylock "\(field 'rows\[\].rw'\)"

void arrays(struct table *t, pthread_mutex_t locks[4], int i)
{
    pthread_mutex_t one = t->stripes[i];   // want: copylock "initialisation of 'one'"
    t->stripes[0] = locks[i];              // want: copylock "assignment copies lock value: 'pthread_mutex_t'"
    struct table t2 = *t;                  // want: copylock "'struct table' contains"
    *t = t2;                               // want: copylock "assignment"
    (void)one;
}

/* C11 locks. */
typedef struct { mtx_t m; cnd_t c; int v; } channel;
channel chan_copy(channel *c) { return *c; }  // want: copylock "'channel' contains 'mtx_t' \(field 'm'\)"

/* Not locks: pointers, look-alikes, and structs without a lock. */
typedef volatile int not_a_spinlock;
struct no_lock { int a; pthread_mutex_t *p; pthread_cond_t *c[2]; sem_t *s; };
void by_ptr(pthread_mutex_t *m);
void by_lookalike(not_a_spinlock s);
void by_plain(struct no_lock n);
void by_attr(pthread_mutexattr_t a);
