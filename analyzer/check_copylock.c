/*
 * check_copylock.c -- copylock: a lock object must never be copied.
 *
 * POSIX: "Only mutex itself may be used for performing synchronization.
 * The result of referring to copies of mutex ... is undefined."  The same
 * holds for every lock type locktype.h knows.  This check joins two facts:
 * the copy sites of the unit (copies.h) and whether the copied type is or
 * contains a lock (locktype.h).  Messages name what is copied and the path
 * to the lock, as go vet's copylock does.
 */
#include "checks.h"
#include "copies.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct copylock_ctx {
    rc_unit *u;
    rc_findings *out;
} copylock_ctx;

static int contains_lock(CXType t, void *ud)
{
    copylock_ctx *c = ud;
    lock_info info;
    return locktype_find(c->u->locktypes, t, &info);
}

static char *describe_site(const copy_site *s)
{
    switch (s->kind) {
    case COPY_PARAM:
        return xasprintf("parameter '%s' passes lock by value", s->name);
    case COPY_ARG:
        return *s->name ? xasprintf("call of '%s' copies lock value", s->name)
                        : xstrdup("call copies lock value");
    case COPY_RETURN:
        return xstrdup("return copies lock value");
    case COPY_INIT:
        return xasprintf("initialisation of '%s' copies lock value", s->name);
    case COPY_INIT_ELEM:
        return xstrdup("initialiser element copies lock value");
    case COPY_ASSIGN:
        return xstrdup("assignment copies lock value");
    case COPY_MEMCPY:
        return xasprintf("'%s' copies lock value (%s)", s->name,
                         s->memcpy_is_dest ? "destination" : "source");
    }
    return xstrdup("copies lock value");
}

static void on_copy(const copy_site *s, void *ud)
{
    copylock_ctx *c = ud;
    lock_info info;
    if (!locktype_find(c->u->locktypes, s->type, &info))
        return;
    char *what = describe_site(s);
    char *type = cx_type_spelling(s->type);
    rc_finding *f;
    if (!*info.path && !strcmp(type, info.lock_name))
        f = check_report(c->out, c->u->tu, "copylock", s->at, s->function,
                         "%s: '%s'", what, type);
    else if (!*info.path)
        f = check_report(c->out, c->u->tu, "copylock", s->at, s->function,
                         "%s: '%s' is '%s'", what, type, info.lock_name);
    else if (info.path[0] == '[' && info.path[1] == ']' && !info.path[2])
        f = check_report(c->out, c->u->tu, "copylock", s->at, s->function,
                         "%s: '%s' contains '%s' (element)", what, type, info.lock_name);
    else
        f = check_report(c->out, c->u->tu, "copylock", s->at, s->function,
                         "%s: '%s' contains '%s' (field '%s')", what, type,
                         info.lock_name, info.path);
    rc_loc loc;
    if (f && !cx_is_null(info.field) && tu_cursor_loc(c->u->tu, info.field, &loc))
        finding_note(f, loc.file, loc.line, loc.column, "lock '%s' declared here", info.path);
    free(type);
    free(what);
}

static void copylock_unit(void *state, rc_unit *u, rc_findings *out)
{
    (void)state;
    copylock_ctx c = {u, out};
    copies_collect(u->tu, contains_lock, on_copy, &c);
}

const rc_check check_copylock = {
    .name = "copylock",
    .summary = "a value containing a lock (pthread_mutex_t, sem_t, mtx_t, ...) is copied",
    .description =
        "POSIX leaves the use of a copy of a lock object undefined: a copied mutex, "
        "rwlock, spinlock, condition variable, barrier, semaphore or C11 mtx_t/cnd_t "
        "no longer synchronises with the original. Reported at every copy site: "
        "by-value parameters, call arguments, returns, initialisations, assignments "
        "and memcpy/memmove of a value that is or contains a lock.",
    .help =
        "Pass and store a pointer to the object that holds the lock instead of a copy; "
        "initialise new locks with pthread_mutex_init or a static initialiser.",
    .unit = copylock_unit,
};
