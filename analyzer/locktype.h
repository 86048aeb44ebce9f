/*
 * locktype.h -- facts about types: is this a lock, or does it contain one?
 *
 * Lock types are recognised by typedef name anywhere in a type's sugar
 * (pthread_spinlock_t is volatile int underneath; a plain volatile int is
 * no lock), and a struct, union or array contains a lock if any member or
 * element does, at any depth.  Answers are cached per type and per record
 * declaration, so each type is examined once per translation unit.
 */
#ifndef RC_LOCKTYPE_H
#define RC_LOCKTYPE_H

#include "tu.h"

typedef struct locktype_cache locktype_cache;

typedef struct lock_info {
    const char *lock_name;   /* "pthread_mutex_t", ... (static storage) */
    const char *path;        /* "" when the type is the lock itself, else
                              * "lock", "inner.mu", "locks[]", "[]" ...
                              * (owned by the cache) */
    CXCursor field;          /* the field declaration holding the lock, or a
                              * null cursor when the type is the lock */
} lock_info;

locktype_cache *locktype_new(void);
void locktype_free(locktype_cache *c);

/* 1 and *out filled when t is, or contains, a lock; 0 otherwise. */
int locktype_find(locktype_cache *c, CXType t, lock_info *out);

/* 1 when `name` is one of the lock typedef names. */
int locktype_is_lock_name(const char *name);

#endif
