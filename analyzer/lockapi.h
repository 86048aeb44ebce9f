/*
 * lockapi.h -- which library calls take, release or wait on a lock, which
 * initialise one, and which never return.
 *
 * This module owns the knowledge of the POSIX and C11 lock APIs (names,
 * argument positions, return conventions); it knows nothing of paths,
 * control flow or findings.
 */
#ifndef RC_LOCKAPI_H
#define RC_LOCKAPI_H

typedef enum {
    LOCKAPI_NONE,
    LOCKAPI_ACQUIRE,      /* blocks until acquired: relocking deadlocks */
    LOCKAPI_TRY,          /* trylock / timedlock: fails instead of deadlocking */
    LOCKAPI_RELEASE,
    LOCKAPI_WAIT,         /* cond wait: releases and retakes arg `lock_arg` */
    LOCKAPI_INIT,         /* pthread_mutex_init(m, attr) / mtx_init(m, type) */
    LOCKAPI_SETTYPE       /* pthread_mutexattr_settype(attr, type) */
} lockapi_kind;

typedef enum { LOCKAPI_EXCL, LOCKAPI_SHARED } lockapi_mode;

typedef struct lockapi_info {
    lockapi_kind kind;
    lockapi_mode mode;    /* rwlock read locks are SHARED */
    unsigned lock_arg;    /* which argument is the lock (or attr) */
    unsigned type_arg;    /* INIT/SETTYPE: argument carrying the type/attr */
    int c11;              /* mtx_init's second argument is a type, not an attr */
} lockapi_info;

/* Classify a call by the callee's name; 0 when it is no lock API. */
int lockapi_classify(const char *name, lockapi_info *out);

/* 1 when the library function `name` never returns (exit, abort, ...). */
int lockapi_is_noreturn_name(const char *name);

/* 1 when an identifier names a recursive mutex type or initialiser:
 * PTHREAD_MUTEX_RECURSIVE(_NP), mtx_recursive,
 * PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP. */
int lockapi_is_recursive_name(const char *ident);

#endif
