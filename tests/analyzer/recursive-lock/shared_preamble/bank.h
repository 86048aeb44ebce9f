/* No include guard, on purpose: every unit includes this once, first, and
 * a unit parsed from a shared preamble must not read it a second time (its
 * struct would be defined twice).  The macros come from the preamble too;
 * a finding in their expansion is placed where they are used. */
#include <pthread.h>
#include <stdio.h>

#define LOCK(m) pthread_mutex_lock(m)
#define UNLOCK(m) pthread_mutex_unlock(m)

struct acct { pthread_mutex_t mu; long balance; };
extern struct acct bank;

static inline void acct_lock(struct acct *a) { LOCK(&a->mu); }
static inline void acct_unlock(struct acct *a) { UNLOCK(&a->mu); }

/* Its bug is reported here once, whichever units parse this header. */
static inline void acct_audit(struct acct *a)
{
    acct_lock(a);
    LOCK(&a->mu);  // want: recursive-lock "relocking 'a->mu'"
    printf("%ld\n", a->balance);
    UNLOCK(&a->mu);
}
