/* copylock: arrays that decay to pointers copy nothing; the lock's typedef
 * is found even where an expression's type has lost it; unevaluated and
 * statement expressions. */
#include <pthread.h>
#include <string.h>

struct s { pthread_mutex_t mu; long n; };
pthread_mutex_t marr[4];
struct s sarr[4], gs, a, b;
void use_s(struct s *p);
void take(struct s v);                          // want: copylock "parameter 'v'"
void take_spin(pthread_spinlock_t s);           // want: copylock "parameter 's' passes lock by value: 'pthread_spinlock_t'"

/* An array decays: only a pointer is passed, returned or stored. */
pthread_mutex_t *get_locks(void) { return marr; }
void decay(void)
{
    pthread_mutex_lock(marr);
    use_s(sarr);
    pthread_mutex_t *p = marr;
    struct s *q = sarr;
    memset(marr, 0, sizeof marr);
    memset(sarr, 0, sizeof sarr);
    (void)p; (void)q;
}

/* pthread_spinlock_t is volatile int: reading it drops the typedef, so the
 * declared type (or the parameter's, or the left operand's) names it. */
pthread_spinlock_t gsp;
struct sl { pthread_spinlock_t sp; };
void spin(int i, pthread_spinlock_t *p, struct sl *s)
{
    pthread_spinlock_t x;
    x = gsp;                                    // want: copylock "assignment copies lock value: 'pthread_spinlock_t'"
    *p = gsp;                                   // want: copylock "assignment"
    s->sp = *p;                                 // want: copylock "assignment"
    pthread_spinlock_t c = i ? gsp : *p;        // want: copylock "initialisation of 'c'"
    pthread_spinlock_t d = (0, gsp);            // want: copylock "initialisation of 'd'"
    take_spin(i ? gsp : *p);                    // want: copylock "call of 'take_spin'"
    take_spin((pthread_spinlock_t)gsp);         // want: copylock "call of 'take_spin'"
    int e = gsp;                                // want: copylock "initialisation of 'e'"
    __typeof__(gsp) f = gsp;                    // want: copylock "initialisation of 'f'"
    (void)x; (void)c; (void)d; (void)e; (void)f;
}

/* Unevaluated: _Generic's controlling expression, type traits. */
int unevaluated(void)
{
    int g = _Generic(a = b, struct s: 1, default: 0);
    int l = __builtin_types_compatible_p(__typeof__(a = b), struct s);
    int m = __builtin_types_compatible_p(__typeof__(a), struct s);
    return g + l + m;
}

/* A statement expression yields a copy of its last expression. */
struct s from_stmt_expr(void) { return ({ gs; }); }           // want: copylock "return copies"
void stmt_exprs(void)
{
    struct s c = ({ gs; });                                    // want: copylock "initialisation of 'c'"
    take(({ gs; }));                                           // want: copylock "call of 'take'"
    /* Even a local made from constants is copied out of the block. */
    struct s made = ({ struct s t = { PTHREAD_MUTEX_INITIALIZER, 0 }; t; });  // want: copylock "initialisation of 'made'"
    (void)c; (void)made;
}
