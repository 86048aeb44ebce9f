#define _GNU_SOURCE
#include "bank.h"
#define  TAKE(a)  LOCK(&(a)->mu)
#ifdef BANK_DEBUG
#include <assert.h>
#endif

long withdraw(struct acct *a, long n);

/* True negatives: each lock is released before the next call takes it. */
void audit_all(void)
{
    acct_lock(&bank);
    long b = bank.balance;
    acct_unlock(&bank);
    if (b > 0)
        withdraw(&bank, b);
    acct_audit(&bank);
}

void audit_locked(void)
{
    LOCK(&bank.mu);
    TAKE(&bank);  // want: recursive-lock "relocking 'bank.mu'"
    UNLOCK(&bank.mu);
    UNLOCK(&bank.mu);
}
