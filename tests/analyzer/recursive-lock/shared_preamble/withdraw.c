#define _GNU_SOURCE
#include "bank.h"        // the bank
#define TAKE(a) LOCK(&(a)->mu)
#ifdef BANK_DEBUG
#include <assert.h>
#endif
#include <stdlib.h>

void deposit(struct acct *a, long n);

long withdraw(struct acct *a, long n)
{
    LOCK(&a->mu);
    if (a->balance < n) {
        UNLOCK(&a->mu);
        return -1;
    }
    a->balance -= n;
    UNLOCK(&a->mu);
    return n;
}

void transfer_self(struct acct *a, long n)
{
    acct_lock(a);
    if (withdraw(a, n) >= 0)  // want: recursive-lock "call to 'withdraw' acquires 'a->mu'"
        deposit(a, n);  // want: recursive-lock "call to 'deposit' acquires 'a->mu'"
    acct_unlock(a);
}
