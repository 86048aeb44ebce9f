/*
 * lockapi.c -- the table of lock API functions (POSIX threads and C11
 * <threads.h>) and of library functions that never return.
 *
 * Every acquire and release in pthreads and C11 returns 0 on success, so
 * callers can treat "result == 0" as "now held" for all of them; that
 * convention is what lets the dataflow follow `if (trylock(&m) == 0)`.
 */
#include "lockapi.h"

#include <string.h>

typedef struct api_entry {
    const char *name;
    lockapi_kind kind;
    lockapi_mode mode;
    unsigned lock_arg, type_arg;
    int c11;
} api_entry;

static const api_entry api[] = {
    {"pthread_mutex_lock", LOCKAPI_ACQUIRE, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_mutex_trylock", LOCKAPI_TRY, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_mutex_timedlock", LOCKAPI_TRY, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_mutex_clocklock", LOCKAPI_TRY, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_mutex_unlock", LOCKAPI_RELEASE, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_rwlock_rdlock", LOCKAPI_ACQUIRE, LOCKAPI_SHARED, 0, 0, 0},
    {"pthread_rwlock_wrlock", LOCKAPI_ACQUIRE, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_rwlock_tryrdlock", LOCKAPI_TRY, LOCKAPI_SHARED, 0, 0, 0},
    {"pthread_rwlock_trywrlock", LOCKAPI_TRY, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_rwlock_timedrdlock", LOCKAPI_TRY, LOCKAPI_SHARED, 0, 0, 0},
    {"pthread_rwlock_timedwrlock", LOCKAPI_TRY, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_rwlock_clockrdlock", LOCKAPI_TRY, LOCKAPI_SHARED, 0, 0, 0},
    {"pthread_rwlock_clockwrlock", LOCKAPI_TRY, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_rwlock_unlock", LOCKAPI_RELEASE, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_spin_lock", LOCKAPI_ACQUIRE, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_spin_trylock", LOCKAPI_TRY, LOCKAPI_EXCL, 0, 0, 0},
    {"pthread_spin_unlock", LOCKAPI_RELEASE, LOCKAPI_EXCL, 0, 0, 0},
    {"mtx_lock", LOCKAPI_ACQUIRE, LOCKAPI_EXCL, 0, 0, 1},
    {"mtx_trylock", LOCKAPI_TRY, LOCKAPI_EXCL, 0, 0, 1},
    {"mtx_timedlock", LOCKAPI_TRY, LOCKAPI_EXCL, 0, 0, 1},
    {"mtx_unlock", LOCKAPI_RELEASE, LOCKAPI_EXCL, 0, 0, 1},
    /* A wait releases the mutex and retakes it before returning: for the
     * thread's lockset it is no acquisition at all. */
    {"pthread_cond_wait", LOCKAPI_WAIT, LOCKAPI_EXCL, 1, 0, 0},
    {"pthread_cond_timedwait", LOCKAPI_WAIT, LOCKAPI_EXCL, 1, 0, 0},
    {"pthread_cond_clockwait", LOCKAPI_WAIT, LOCKAPI_EXCL, 1, 0, 0},
    {"cnd_wait", LOCKAPI_WAIT, LOCKAPI_EXCL, 1, 0, 1},
    {"cnd_timedwait", LOCKAPI_WAIT, LOCKAPI_EXCL, 1, 0, 1},
    {"pthread_mutex_init", LOCKAPI_INIT, LOCKAPI_EXCL, 0, 1, 0},
    {"mtx_init", LOCKAPI_INIT, LOCKAPI_EXCL, 0, 1, 1},
    {"pthread_mutexattr_settype", LOCKAPI_SETTYPE, LOCKAPI_EXCL, 0, 1, 0},
};

int lockapi_classify(const char *name, lockapi_info *out)
{
    /* Cheap reject: every entry starts with "pthread_", "mtx_" or "cnd_". */
    if (strncmp(name, "pthread_", 8) && strncmp(name, "mtx_", 4) && strncmp(name, "cnd_", 4))
        return 0;
    for (size_t i = 0; i < sizeof api / sizeof *api; i++)
        if (!strcmp(api[i].name, name)) {
            out->kind = api[i].kind;
            out->mode = api[i].mode;
            out->lock_arg = api[i].lock_arg;
            out->type_arg = api[i].type_arg;
            out->c11 = api[i].c11;
            return 1;
        }
    return 0;
}

int lockapi_is_noreturn_name(const char *name)
{
    static const char *const names[] = {
        "exit", "_exit", "_Exit", "abort", "quick_exit", "pthread_exit", "thrd_exit",
        "longjmp", "siglongjmp", "_longjmp", "__longjmp_chk", "__assert_fail",
        "__assert_perror_fail", "__assert", "__builtin_unreachable", "__builtin_trap",
        "err", "errx", "verr", "verrx", "__stack_chk_fail",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(names[i], name))
            return 1;
    return 0;
}

int lockapi_is_recursive_name(const char *ident)
{
    return !strcmp(ident, "PTHREAD_MUTEX_RECURSIVE") ||
           !strcmp(ident, "PTHREAD_MUTEX_RECURSIVE_NP") ||
           !strcmp(ident, "mtx_recursive") ||
           !strcmp(ident, "PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP") ||
           !strcmp(ident, "PTHREAD_RECURSIVE_MUTEX_INITIALIZER");
}
