/* Units that begin with the same directives (comments aside) share one
 * precompiled preamble under --pch=always; the #defines and the
 * conditional block are part of it.  Every finding below must sit on its
 * own line either way, those in TAKE's expansions too. */
#define _GNU_SOURCE
#include "bank.h"
#define TAKE(a) LOCK(&(a)->mu)
#ifdef BANK_DEBUG
#include <assert.h>
#endif

struct acct bank = { PTHREAD_MUTEX_INITIALIZER, 0 };

void deposit(struct acct *a, long n)
{
    acct_lock(a);
    a->balance += n;
    acct_unlock(a);
}

void deposit_twice(struct acct *a, long n)
{
    TAKE(a);
    deposit(a, n);  // want: recursive-lock "call to 'deposit' acquires 'a->mu'"
    UNLOCK(&a->mu);
}
