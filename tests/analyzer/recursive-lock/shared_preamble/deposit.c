/* Units that begin with the same #include lines (comments aside) share
 * one precompiled preamble under --pch=always; the conditional block is
 * part of it.  Every finding below must sit on its own line either way. */
#include "bank.h"
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
    LOCK(&a->mu);
    deposit(a, n);  // want: recursive-lock "call to 'deposit' acquires 'a->mu'"
    UNLOCK(&a->mu);
}
