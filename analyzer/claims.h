/*
 * claims.h -- which unit of a run provides each shared definition.
 *
 * A static inline function in a header is compiled into every unit that
 * includes it, and the whole-program summary keeps the body of the first
 * unit (in input order) only.  Units record here the definitions they
 * provided, so that a later unit can leave its own copy out: "later" by
 * input index, not by time, so that under -j the program folded in input
 * order is the same whichever worker got there first.  Thread-safe.
 */
#ifndef RC_CLAIMS_H
#define RC_CLAIMS_H

#include <stddef.h>

typedef struct rc_claims rc_claims;

rc_claims *claims_new(void);
void claims_free(rc_claims *c);

/* Has a unit with a lower index than `unit` provided `key`? */
int claims_before(rc_claims *c, const char *key, size_t unit);

/* Unit `unit` provides `key`. */
void claims_record(rc_claims *c, const char *key, size_t unit);

#endif
