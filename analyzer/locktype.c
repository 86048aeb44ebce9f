/*
 * locktype.c -- which types are, or contain, lock objects.
 */
#include "locktype.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* POSIX and C11 lock objects: copying any of them is undefined. */
static const char *const lock_names[] = {
    "pthread_mutex_t", "pthread_rwlock_t", "pthread_spinlock_t",
    "pthread_cond_t", "pthread_barrier_t", "sem_t", "mtx_t", "cnd_t",
};

/* Struct nesting is bounded by what a person writes; the bound keeps a
 * generated pathological type from exhausting the stack. */
#define MAX_DEPTH 64

/* An answer by identity: a record by its definition's Decl (the cursor's
 * data[0]), a type as libclang hands it out by its QualType (CXType's
 * data[0], the same for every use of the same sugared type). */
typedef struct fact {
    const void *key;         /* NULL: empty slot */
    int has_lock;
    lock_info info;
} fact;

typedef struct fact_map {
    fact *v;                 /* open addressing on the key */
    size_t cap, n;
} fact_map;

struct locktype_cache {
    fact_map records, types;
    char **paths;            /* owned path strings */
    size_t npaths, cappaths;
};

locktype_cache *locktype_new(void)
{
    locktype_cache *c = xcalloc(1, sizeof *c);
    c->records.cap = 64;
    c->records.v = xcalloc(c->records.cap, sizeof *c->records.v);
    c->types.cap = 256;
    c->types.v = xcalloc(c->types.cap, sizeof *c->types.v);
    return c;
}

void locktype_free(locktype_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->npaths; i++)
        free(c->paths[i]);
    free(c->paths);
    free(c->records.v);
    free(c->types.v);
    free(c);
}

int locktype_is_lock_name(const char *name)
{
    for (size_t i = 0; i < sizeof lock_names / sizeof *lock_names; i++)
        if (!strcmp(name, lock_names[i]))
            return 1;
    return 0;
}

static const char *lock_name_of(CXType t)
{
    char *name = cx_take(clang_getTypedefName(t));
    const char *found = NULL;
    for (size_t i = 0; i < sizeof lock_names / sizeof *lock_names; i++)
        if (!strcmp(name, lock_names[i]))
            found = lock_names[i];
    free(name);
    return found;
}

static const char *keep_path(locktype_cache *c, char *s)
{
    VEC_PUSH(c->paths, c->npaths, c->cappaths, s);
    return s;
}

static fact *map_slot(const fact_map *m, const void *key)
{
    size_t i = (size_t)(hash_ptr(key) >> 24) & (m->cap - 1);
    while (m->v[i].key && m->v[i].key != key)
        i = (i + 1) & (m->cap - 1);
    return &m->v[i];
}

/* Record the answer for key (not yet in m); returns where it is kept. */
static fact *map_put(fact_map *m, const void *key, int has_lock, lock_info info)
{
    if (++m->n * 2 > m->cap) {
        fact *old = m->v;
        size_t oldcap = m->cap;
        m->cap *= 2;
        m->v = xcalloc(m->cap, sizeof *m->v);
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].key)
                *map_slot(m, old[i].key) = old[i];
        free(old);
    }
    fact *f = map_slot(m, key);
    f->key = key;
    f->has_lock = has_lock;
    f->info = info;
    return f;
}

static int find(locktype_cache *c, CXType t, lock_info *out, int depth);

typedef struct field_walk {
    locktype_cache *c;
    int depth, found;
    lock_info info;
} field_walk;

static enum CXVisitorResult visit_field(CXCursor field, CXClientData d)
{
    field_walk *w = d;
    lock_info inner;
    if (!find(w->c, clang_getCursorType(field), &inner, w->depth + 1))
        return CXVisit_Continue;
    char *name = cx_spelling(field);
    /* Anonymous struct and union members add no name to the path. */
    int anon = clang_Cursor_isAnonymousRecordDecl(clang_getTypeDeclaration(
                   clang_getCanonicalType(clang_getCursorType(field)))) || !*name;
    const char *sep = *inner.path && inner.path[0] != '[' ? "." : "";
    w->info.lock_name = inner.lock_name;
    if (anon)
        w->info.path = inner.path;
    else
        w->info.path = keep_path(w->c, xasprintf("%s%s%s", name, sep, inner.path));
    w->info.field = cx_is_null(inner.field) ? field : inner.field;
    w->found = 1;
    free(name);
    return CXVisit_Break;
}

static int record_has_lock(locktype_cache *c, CXType t, lock_info *out, int depth)
{
    CXCursor decl = clang_getCursorDefinition(clang_getTypeDeclaration(t));
    if (cx_is_null(decl))
        return 0;  /* incomplete: cannot be copied anyway */
    fact *f = map_slot(&c->records, decl.data[0]);
    if (!f->key) {
        field_walk w = {c, depth, 0, {0}};
        clang_Type_visitFields(clang_getCursorType(decl), visit_field, &w);
        /* (the walk may have grown the table: f is stale) */
        f = map_put(&c->records, decl.data[0], w.found, w.info);
    }
    if (f->has_lock)
        *out = f->info;
    return f->has_lock;
}

static int find(locktype_cache *c, CXType t, lock_info *out, int depth)
{
    if (depth > MAX_DEPTH)
        return 0;
    /* Walk the sugar: each typedef may be a lock's name. */
    for (int steps = 0; steps < 256; steps++) {
        switch (t.kind) {
        case CXType_Typedef: {
            const char *lock = lock_name_of(t);
            if (lock) {
                out->lock_name = lock;
                out->path = "";
                out->field = clang_getNullCursor();
                return 1;
            }
            t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
            continue;
        }
        case CXType_Elaborated:
            t = clang_Type_getNamedType(t);
            continue;
        case CXType_Attributed:
            t = clang_Type_getModifiedType(t);
            continue;
        case CXType_Atomic:
            t = clang_Type_getValueType(t);
            continue;
        case CXType_ConstantArray:
        case CXType_IncompleteArray:
        case CXType_VariableArray:
        case CXType_DependentSizedArray: {
            lock_info inner;
            if (!find(c, clang_getArrayElementType(t), &inner, depth + 1))
                return 0;
            *out = inner;
            out->path = keep_path(c, xasprintf("[]%s%s", *inner.path && inner.path[0] != '[' ? "." : "", inner.path));
            return 1;
        }
        case CXType_Record:
            return record_has_lock(c, t, out, depth);
        case CXType_Unexposed: {
            /* typeof and friends: fall back to the canonical type. */
            CXType canon = clang_getCanonicalType(t);
            if (canon.kind == CXType_Unexposed || clang_equalTypes(canon, t))
                return 0;
            t = canon;
            continue;
        }
        default:
            return 0;
        }
    }
    return 0;
}

/* Every expression of a unit asks about its type, a few hundred distinct
 * types among hundreds of thousands of questions; the walk through the
 * sugar (a typedef name fetched and compared per level) is done once per
 * type. */
int locktype_find(locktype_cache *c, CXType t, lock_info *out)
{
    if (!t.data[0])
        return find(c, t, out, 0);
    fact *f = map_slot(&c->types, t.data[0]);
    if (!f->key) {
        lock_info info = {0};
        int has = find(c, t, &info, 0);
        f = map_put(&c->types, t.data[0], has, info);
    }
    if (f->has_lock)
        *out = f->info;
    return f->has_lock;
}
