/*
 * lockpath.c -- access paths of lock objects, their interning, display,
 * class and rewriting into a caller's terms (see lockpath.h).
 *
 * Expressions are read iteratively from the outside in (member, subscript,
 * deref), collecting operations in reverse, so a long chain cannot
 * overflow the stack.  Anything we cannot name exactly -- a call result,
 * pointer arithmetic, a computed index -- gives no path: such a lock never
 * equals another, which keeps the check silent rather than wrong.
 */
#include "lockpath.h"
#include "ast.h"
#include "findings_json.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string interner: open addressing on FNV-1a ---------------------- */

typedef struct strtab {
    char **strs;          /* by id */
    size_t n, cap;
    int *slots;           /* id + 1, 0 = empty */
    size_t nslots;
} strtab;

/* lp_subst's answers: the solver substitutes the same summary paths at
 * the same call sites again and again (each state through a call, each
 * round of a cycle, the reporting pass), and each answer builds and
 * interns a key string. */
typedef struct subst_memo {
    int id, result;       /* id -1: an empty slot */
    unsigned nargs;
    int *args;
} subst_memo;

typedef struct memo_tab {
    subst_memo *slot;
    size_t n, nslots;
} memo_tab;

static void memo_free(memo_tab *m)
{
    for (size_t i = 0; i < m->nslots; i++)
        if (m->slot[i].id >= 0)
            free(m->slot[i].args);
    free(m->slot);
}

struct lp_table {
    strtab s;
    lp_path **paths;
    size_t npaths, cappaths;
    int *by_key;          /* string id -> path id + 1 (0: none) */
    size_t nby_key;
    memo_tab memo;
    /* Shared between threads (lp_share): see "sharing" below. */
    int shared;
    int owner;            /* a spin lock (see lock), recursive: */
    int locked;           /* interning nests; the owner's depth, 0: free */
    int param_key[64];    /* "P<i>"'s id + 1, once interned */
    unsigned generation;  /* of this sharing: see thread_memo */
    memo_tab **memos;     /* the threads' own memos while shared */
    size_t nmemos, capmemos;
    void **retired;       /* arrays replaced while shared */
    size_t nretired, capretired;
};

/* ---- sharing between threads -----------------------------------------
 * While the solver works on several threads (lp_share), whatever may add
 * to the table -- interning, lp_subst on a path it has not seen -- holds
 * the table's lock, and the readers (lp_str, lp_get, a path by its key)
 * hold nothing: they are most of the calls.  For them, entries never
 * change once published, counts and array pointers are stored with
 * release and read with acquire, and an array that must grow is copied,
 * not reallocated, the old copy kept until sharing ends (a reader may
 * still be reading it). */

/* This thread's number for the lock's owner (0: none yet). */
static int thread_token(void)
{
    static int tokens;
    static __thread int mine;
    if (!mine)
        mine = __atomic_add_fetch(&tokens, 1, __ATOMIC_RELAXED);
    return mine;
}

/* A spin lock: the sections are short, and under a mutex the solver's
 * threads spent more time in system calls than a lock saves. */
static void lock(lp_table *t)
{
    if (!t->shared)
        return;
    int self = thread_token();
    if (__atomic_load_n(&t->locked, __ATOMIC_RELAXED) &&
        __atomic_load_n(&t->owner, __ATOMIC_RELAXED) == self) {
        __atomic_fetch_add(&t->locked, 1, __ATOMIC_RELAXED);
        return;
    }
    for (unsigned spins = 0;; spins++) {
        int free_ = 0;
        if (!__atomic_load_n(&t->locked, __ATOMIC_RELAXED) &&
            __atomic_compare_exchange_n(&t->locked, &free_, 1, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            break;
        /* The owner may have lost its CPU: give it ours now and then. */
        if (spins % 4096 == 4095)
            sched_yield();
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    __atomic_store_n(&t->owner, self, __ATOMIC_RELAXED);
}

static void unlock(lp_table *t)
{
    if (!t->shared)
        return;
    if (__atomic_load_n(&t->locked, __ATOMIC_RELAXED) > 1)
        __atomic_fetch_sub(&t->locked, 1, __ATOMIC_RELAXED);
    else {
        __atomic_store_n(&t->owner, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&t->locked, 0, __ATOMIC_RELEASE);
    }
}

/* An array of n elements of `elem` bytes, with room for cap: grown in
 * place when not shared, else copied. */
static void *grow(lp_table *t, void *v, size_t n, size_t cap, size_t elem)
{
    if (!t->shared)
        return xrealloc(v, cap * elem);
    void *w = xmalloc(cap * elem);
    if (n)
        memcpy(w, v, n * elem);
    if (v)
        VEC_PUSH(t->retired, t->nretired, t->capretired, v);
    return w;
}

void lp_share(lp_table *t, int on)
{
    static unsigned generations;  /* one per sharing, by the thread sharing */
    if (on && !t->shared)
        t->generation = __atomic_add_fetch(&generations, 1, __ATOMIC_RELAXED);
    if (!on && t->shared) {
        for (size_t i = 0; i < t->nmemos; i++) {
            memo_free(t->memos[i]);
            free(t->memos[i]);
        }
        free(t->memos);
        t->memos = NULL;
        t->nmemos = t->capmemos = 0;
        for (size_t i = 0; i < t->nretired; i++)
            free(t->retired[i]);
        free(t->retired);
        t->retired = NULL;
        t->nretired = t->capretired = 0;
    }
    t->shared = on;
}

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define PUBLISH(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

static void strtab_grow(strtab *t)
{
    size_t ns = t->nslots ? t->nslots * 2 : 1024;
    int *slots = xcalloc(ns, sizeof *slots);
    for (size_t i = 0; i < t->n; i++) {
        size_t h = hash_str(HASH_INIT, t->strs[i]) & (ns - 1);
        while (slots[h])
            h = (h + 1) & (ns - 1);
        slots[h] = (int)i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = ns;
}

/* The slot that holds s, or the empty one where it would go (the table
 * has at least one empty slot). */
static size_t strtab_slot(const strtab *t, const char *s)
{
    size_t h = hash_str(HASH_INIT, s) & (t->nslots - 1);
    while (t->slots[h] && strcmp(t->strs[t->slots[h] - 1], s))
        h = (h + 1) & (t->nslots - 1);
    return h;
}

int lp_str_id(lp_table *lt, const char *s)
{
    strtab *t = &lt->s;
    lock(lt);
    if ((t->n + 1) * 2 > t->nslots)
        strtab_grow(t);
    size_t h = strtab_slot(t, s);
    int id = t->slots[h] - 1;
    if (id < 0) {
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 64;
            PUBLISH(t->strs, (char **)grow(lt, t->strs, t->n, cap, sizeof *t->strs));
            t->cap = cap;
        }
        t->strs[t->n] = xstrdup(s);
        id = (int)t->n;
        PUBLISH(t->n, t->n + 1);
        t->slots[h] = id + 1;
    }
    unlock(lt);
    return id;
}

int lp_str_find(const lp_table *lt, const char *s)
{
    const strtab *t = &lt->s;
    lock((lp_table *)lt);
    int id = t->nslots ? t->slots[strtab_slot(t, s)] - 1 : -1;
    unlock((lp_table *)lt);
    return id;
}

const char *lp_str(lp_table *t, int id)
{
    return id >= 0 && (size_t)id < LOAD(t->s.n) ? LOAD(t->s.strs)[id] : "";
}

lp_table *lp_new(void)
{
    return xcalloc(1, sizeof(lp_table));
}

void lp_free(lp_table *t)
{
    if (!t)
        return;
    lp_share(t, 0);
    for (size_t i = 0; i < t->s.n; i++)
        free(t->s.strs[i]);
    free(t->s.strs);
    free(t->s.slots);
    for (size_t i = 0; i < t->npaths; i++) {
        free(t->paths[i]->ops);
        free(t->paths[i]->deps);
        free(t->paths[i]);
    }
    free(t->paths);
    free(t->by_key);
    memo_free(&t->memo);
    free(t);
}

const lp_path *lp_get(lp_table *t, int id)
{
    return id >= 0 && (size_t)id < LOAD(t->npaths) ? LOAD(t->paths)[id] : NULL;
}

static const lp_path *path_of_key(const lp_table *t, int key)
{
    if (key < 0 || (size_t)key >= LOAD(t->nby_key))
        return NULL;
    int at = LOAD(LOAD(t->by_key)[key]);
    return at ? LOAD(t->paths)[at - 1] : NULL;
}

int lp_key_root(const lp_table *t, int key)
{
    const lp_path *p = path_of_key(t, key);
    return p ? p->base_key : key;
}

int lp_key_within(const lp_table *t, int key, int outer)
{
    if (key == outer)
        return 1;
    const lp_path *k = path_of_key(t, key), *o = path_of_key(t, outer);
    if (!k)
        return 0;  /* a variable is part of nothing else */
    if (!o)
        return k->base_key == outer;
    if (o->base != k->base || o->base_key != k->base_key || o->nops > k->nops)
        return 0;
    for (unsigned i = 0; i < o->nops; i++)
        if (o->ops[i].kind != k->ops[i].kind || o->ops[i].key != k->ops[i].key)
            return 0;
    return 1;
}

/* ---- building and interning paths ------------------------------------ */

/* The path's identity as a string, the canonical key: base key, then "*",
 * ".FIELDUSR", "[N]", "[?VAR]".  Built with buf_puts alone: a printf per
 * path part was the better part of interning's cost. */
static int make_key(lp_table *t, lp_base base, int base_key, int base_name, const lp_op *ops,
                    unsigned nops)
{
    rc_buf b = {0};
    buf_puts(&b, lp_str(t, base_key));
    /* "P0" means a different variable in every function: the name keeps
     * each function's paths displayed in its own words. */
    if (base == LP_PARAM) {
        buf_puts(&b, ":");
        buf_puts(&b, lp_str(t, base_name));
    } else if (base == LP_CONST)
        buf_puts(&b, "#");
    for (unsigned i = 0; i < nops; i++)
        switch (ops[i].kind) {
        case LP_DEREF: buf_puts(&b, "*"); break;
        case LP_FIELD:
            buf_puts(&b, ".{");
            buf_puts(&b, lp_str(t, ops[i].key));
            buf_puts(&b, "}");
            break;
        case LP_INDEX_CONST:
            buf_puts(&b, ops[i].ptr ? "[+" : "[");
            buf_puts(&b, lp_str(t, ops[i].key));
            buf_puts(&b, "]");
            break;
        case LP_INDEX_VAR:
            /* with the name: "P1" is another variable in every function */
            buf_puts(&b, ops[i].ptr ? "[+?" : "[?");
            buf_puts(&b, ops[i].local ? "L{" : "{");
            buf_puts(&b, lp_str(t, ops[i].key));
            buf_puts(&b, "}:");
            buf_puts(&b, lp_str(t, ops[i].name));
            buf_puts(&b, "]");
            break;
        }
    char *k = buf_take(&b);
    int id = lp_str_id(t, k);
    free(k);
    return id;
}

/* Parameter i's variable key is "P<i>": its index, or -1. */
int lp_param_key(lp_table *t, unsigned i, int add)
{
    /* Asked at every call the solver meets: remembered for the first 64. */
    if (i < 64 && LOAD(t->param_key[i]))
        return LOAD(t->param_key[i]) - 1;
    char buf[24];
    snprintf(buf, sizeof buf, "P%u", i);
    int id = add ? lp_str_id(t, buf) : lp_str_find(t, buf);
    if (i < 64 && id >= 0)
        PUBLISH(t->param_key[i], id + 1);
    return id;
}

int lp_param_of_key(lp_table *t, int key)
{
    const char *k = lp_str(t, key);
    if (k[0] != 'P' || k[1] < '0' || k[1] > '9')
        return -1;
    return atoi(k + 1);
}

int lp_int_id(lp_table *t, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return lp_str_id(t, buf);
}

/* Intern the path (base, ops); ops are copied. */
static int intern(lp_table *t, lp_base base, int base_key, int base_name, unsigned param,
                  const lp_op *ops, unsigned nops)
{
    int key = make_key(t, base, base_key, base_name, ops, nops);
    if ((size_t)key < t->nby_key && t->by_key[key])
        return t->by_key[key] - 1;
    lp_path *p = xcalloc(1, sizeof *p);
    p->key = key;
    p->base = base;
    p->base_key = base_key;
    p->base_name = base_name;
    p->param = param;
    p->nops = nops;
    p->ops = xmalloc((nops ? nops : 1) * sizeof *p->ops);
    if (nops)
        memcpy(p->ops, ops, nops * sizeof *ops);
    size_t cap = 0;
    if (base != LP_CONST)
        VEC_PUSH(p->deps, p->ndeps, cap, base_key);
    if (base == LP_PARAM && param < 64)
        p->param_deps |= (uint64_t)1 << param;
    for (unsigned i = 0; i < nops; i++)
        if (ops[i].kind == LP_INDEX_VAR) {
            VEC_PUSH(p->deps, p->ndeps, cap, ops[i].key);
            int pi = lp_param_of_key(t, ops[i].key);
            if (pi >= 0 && pi < 64)
                p->param_deps |= (uint64_t)1 << pi;
        }
    if (t->npaths == t->cappaths) {
        size_t cap = t->cappaths ? t->cappaths * 2 : 64;
        PUBLISH(t->paths, (lp_path **)grow(t, t->paths, t->npaths, cap, sizeof *t->paths));
        t->cappaths = cap;
    }
    t->paths[t->npaths] = p;
    PUBLISH(t->npaths, t->npaths + 1);
    if ((size_t)key >= t->nby_key) {
        size_t n = t->nby_key ? t->nby_key : 256;
        while (n <= (size_t)key)
            n *= 2;
        int *v = grow(t, t->by_key, t->nby_key, n, sizeof *v);
        memset(v + t->nby_key, 0, (n - t->nby_key) * sizeof *v);
        PUBLISH(t->by_key, v);
        PUBLISH(t->nby_key, n);
    }
    PUBLISH(t->by_key[key], (int)t->npaths);
    return (int)t->npaths - 1;
}

enum { KC_SLOTS = 512 };

struct lp_keycache {
    CXCursor decl[KC_SLOTS];
    int key[KC_SLOTS], global[KC_SLOTS];
    unsigned char used[KC_SLOTS];
    unsigned n;
};

/* Made for every function lowered: only the used flags need clearing. */
struct lp_keycache *lp_cache_new(void)
{
    struct lp_keycache *c = xmalloc(sizeof *c);
    memset(c->used, 0, sizeof c->used);
    c->n = 0;
    return c;
}
void lp_cache_free(struct lp_keycache *c) { free(c); }

static int var_key_uncached(lp_table *t, const lp_fn *fn, CXCursor decl, int *is_global);

int lp_var_key(lp_table *t, const lp_fn *fn, CXCursor decl, int *is_global)
{
    struct lp_keycache *c = fn ? fn->cache : NULL;
    if (!c)
        return var_key_uncached(t, fn, decl, is_global);
    unsigned h = clang_hashCursor(decl) & (KC_SLOTS - 1);
    for (unsigned i = 0; i < KC_SLOTS && c->used[h]; i++, h = (h + 1) & (KC_SLOTS - 1))
        if (clang_equalCursors(c->decl[h], decl)) {
            *is_global = c->global[h];
            return c->key[h];
        }
    int key = var_key_uncached(t, fn, decl, is_global);
    if (c->n < KC_SLOTS / 2 && !c->used[h]) {
        c->used[h] = 1;
        c->decl[h] = decl;
        c->key[h] = key;
        c->global[h] = *is_global;
        c->n++;
    }
    return key;
}

static int var_key_uncached(lp_table *t, const lp_fn *fn, CXCursor decl, int *is_global)
{
    enum CXCursorKind k = clang_getCursorKind(decl);
    *is_global = 0;
    if (k == CXCursor_ParmDecl && fn) {
        for (int i = 0; i < fn->nparams; i++)
            if (clang_equalCursors(fn->params ? fn->params[i]
                                              : clang_Cursor_getArgument(fn->decl, (unsigned)i),
                                   decl))
                return lp_param_key(t, (unsigned)i, 1);
        return -1;
    }
    if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
        return -1;
    char *usr = cx_take(clang_getCursorUSR(decl));
    if (!*usr) {
        /* No USR (rare): fall back on the declaration's place. */
        CXFile f;
        unsigned off;
        clang_getExpansionLocation(clang_getCursorLocation(decl), &f, NULL, NULL, &off);
        free(usr);
        char *fname = cx_take(clang_getFileName(f));
        usr = xasprintf("L@%s@%u", fname, off);
        free(fname);
    }
    /* A static local lives as long as the program: a global by another
     * name.  Everything else at function scope is per call. */
    *is_global = ast_has_static_storage(decl);
    int id = lp_str_id(t, usr);
    free(usr);
    return id;
}

/* The value of an index expression: a constant, or a plain variable. */
static int index_op(lp_table *t, const lp_fn *fn, CXCursor idx, lp_op *op)
{
    memset(op, 0, sizeof *op);
    idx = ast_strip_casts(idx);
    if (clang_getCursorKind(idx) == CXCursor_DeclRefExpr) {
        CXCursor d = clang_getCursorReferenced(idx);
        if (clang_getCursorKind(d) == CXCursor_EnumConstantDecl) {
            op->kind = LP_INDEX_CONST;
            op->key = op->name = lp_int_id(t, clang_getEnumConstantDeclValue(d));
            return 1;
        }
        int g;
        int key = lp_var_key(t, fn, d, &g);
        if (key < 0)
            return 0;
        char *name = cx_spelling(d);
        op->kind = LP_INDEX_VAR;
        op->key = key;
        op->name = lp_str_id(t, name);
        op->local = !g && clang_getCursorKind(d) != CXCursor_ParmDecl;
        free(name);
        return 1;
    }
    CXEvalResult r = clang_Cursor_Evaluate(idx);
    if (!r)
        return 0;
    int ok = clang_EvalResult_getKind(r) == CXEval_Int;
    if (ok) {
        op->kind = LP_INDEX_CONST;
        op->key = op->name = lp_int_id(t, clang_EvalResult_getAsLongLong(r));
    }
    clang_EvalResult_dispose(r);
    return ok;
}

static int is_pointer(CXCursor e)
{
    CXType ty = clang_getCanonicalType(clang_getCursorType(e));
    return ty.kind == CXType_Pointer;
}

static int is_array(CXCursor e)
{
    CXType ty = clang_getCanonicalType(clang_getCursorType(e));
    return ty.kind == CXType_ConstantArray || ty.kind == CXType_IncompleteArray ||
           ty.kind == CXType_VariableArray || ty.kind == CXType_DependentSizedArray;
}

/* Push op onto the reversed list. */
static void push_op(lp_op **rev, size_t *n, size_t *cap, lp_op op)
{
    VEC_PUSH(*rev, *n, *cap, op);
}

static const lp_op deref_op = {LP_DEREF, -1, -1, 0, 0};

static int alias_of(const lp_fn *fn, int key)
{
    for (unsigned i = 0; fn && i < fn->nalias; i++)
        if (fn->alias_key[i] == key)
            return fn->alias_val[i];
    return -1;
}

static int rebase(lp_table *t, int obj, const lp_op *ops, unsigned nops, const int *args,
                  unsigned nargs, int subst);

int lp_lvalue(lp_table *t, rc_tu *tu, const lp_fn *fn, CXCursor e)
{
    lp_op *rev = NULL;
    size_t n = 0, cap = 0;
    int result = -1;
    for (;;) {
        e = ast_strip_casts(e);
        enum CXCursorKind k = clang_getCursorKind(e);
        CXCursor kids[2];
        if (k == CXCursor_MemberRefExpr) {
            CXCursor field = clang_getCursorReferenced(e);
            if (clang_getCursorKind(field) != CXCursor_FieldDecl ||
                ast_children(e, kids, 1) < 1)
                break;
            char *usr = cx_take(clang_getCursorUSR(field));
            char *name = cx_spelling(field);
            lp_op op = {LP_FIELD, lp_str_id(t, usr), lp_str_id(t, name), 0, 0};
            free(usr);
            free(name);
            push_op(&rev, &n, &cap, op);
            CXCursor base = ast_strip(kids[0]);
            if (is_pointer(base))
                push_op(&rev, &n, &cap, deref_op);
            e = base;
        } else if (k == CXCursor_ArraySubscriptExpr) {
            if (ast_children(e, kids, 2) != 2)
                break;
            lp_op op;
            if (!index_op(t, fn, kids[1], &op))
                break;
            CXCursor base = ast_strip(kids[0]);
            if (is_pointer(base)) {
                /* p[i] is *(p + i); p[0] is *p */
                op.ptr = 1;
                if (!(op.kind == LP_INDEX_CONST && !strcmp(lp_str(t, op.key), "0")))
                    push_op(&rev, &n, &cap, op);
                push_op(&rev, &n, &cap, deref_op);
            } else {
                push_op(&rev, &n, &cap, op);
            }
            e = base;
        } else if (k == CXCursor_UnaryOperator) {
            ast_op op = ast_unop_quick(tu, e);
            if (ast_children(e, kids, 1) != 1)
                break;
            if (op == AST_OP_DEREF) {
                push_op(&rev, &n, &cap, deref_op);
                e = kids[0];
            } else if (op == AST_OP_ADDROF && n > 0 && rev[n - 1].kind == LP_DEREF) {
                n--;  /* (&x)->f, *&x: the address is dereferenced at once */
                e = kids[0];
            } else {
                break;
            }
        } else if (k == CXCursor_DeclRefExpr) {
            CXCursor d = clang_getCursorReferenced(e);
            int g;
            int key = lp_var_key(t, fn, d, &g);
            if (key < 0)
                break;
            char *name = cx_spelling(d);
            lp_base base = clang_getCursorKind(d) == CXCursor_ParmDecl ? LP_PARAM
                           : g ? LP_GLOBAL : LP_LOCAL;
            unsigned param = base == LP_PARAM ? (unsigned)atoi(lp_str(t, key) + 1) : 0;
            /* ops were collected outside-in: reverse them */
            for (size_t i = 0; i < n / 2; i++) {
                lp_op tmp = rev[i];
                rev[i] = rev[n - 1 - i];
                rev[n - 1 - i] = tmp;
            }
            int alias = n > 0 && rev[0].kind == LP_DEREF ? alias_of(fn, key) : -1;
            if (alias >= 0) {
                /* *b where b is a copy of a: *a */
                free(name);
                result = rebase(t, lp_deref_value(t, alias), rev + 1, (unsigned)n - 1, NULL, 0, 0);
                break;
            }
            result = intern(t, base, key, lp_str_id(t, name), param, rev, (unsigned)n);
            free(name);
            break;
        } else {
            break;
        }
    }
    free(rev);
    return result;
}

static int append_ops(lp_table *t, int id, const lp_op *ops, unsigned nops)
{
    const lp_path *p = lp_get(t, id);
    if (!p)
        return -1;
    lp_op *all = xmalloc((p->nops + nops + 1) * sizeof *all);
    memcpy(all, p->ops, p->nops * sizeof *all);
    if (nops)
        memcpy(all + p->nops, ops, nops * sizeof *all);
    int r = intern(t, p->base, p->base_key, p->base_name, p->param, all, p->nops + nops);
    free(all);
    return r;
}

static int is_integer(CXType t)
{
    t = clang_getCanonicalType(t);
    return (t.kind >= CXType_Bool && t.kind <= CXType_Int128) || t.kind == CXType_Enum;
}

static int const_path(lp_table *t, long long v)
{
    int s = lp_int_id(t, v);
    return intern(t, LP_CONST, s, s, 0, NULL, 0);
}

/* An integer constant expression's value. */
static int int_constant(CXCursor e, long long *out)
{
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_DeclRefExpr) {
        CXCursor d = clang_getCursorReferenced(e);
        if (clang_getCursorKind(d) != CXCursor_EnumConstantDecl)
            return 0;
        *out = clang_getEnumConstantDeclValue(d);
        return 1;
    }
    if (k != CXCursor_IntegerLiteral && k != CXCursor_CharacterLiteral &&
        k != CXCursor_UnaryOperator && k != CXCursor_BinaryOperator &&
        k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr &&
        k != CXCursor_CStyleCastExpr && k != CXCursor_ConditionalOperator)
        return 0;
    return ast_eval_int(e, out);
}

int lp_value(lp_table *t, rc_tu *tu, const lp_fn *fn, CXCursor e)
{
    e = ast_strip_casts(e);
    if (clang_getCursorKind(e) == CXCursor_UnaryOperator && ast_unop_quick(tu, e) == AST_OP_ADDROF) {
        CXCursor kid;
        if (ast_children(e, &kid, 1) != 1)
            return -1;
        int id = lp_lvalue(t, tu, fn, kid);
        return id < 0 ? -1 : (id << 1) | 1;
    }
    int id = lp_lvalue(t, tu, fn, e);
    if (id < 0) {
        long long v;
        if (is_integer(clang_getCursorType(e)) && int_constant(e, &v))
            return const_path(t, v) << 1;
        return -1;
    }
    if (is_array(e)) {
        /* An array used as a pointer is the address of its first element. */
        int zero = lp_str_id(t, "0");
        lp_op op = {LP_INDEX_CONST, zero, zero, 0, 0};
        id = append_ops(t, id, &op, 1);
        return id < 0 ? -1 : (id << 1) | 1;
    }
    if (fn && fn->nalias && t->paths[id]->nops == 0) {
        int alias = alias_of(fn, t->paths[id]->base_key);
        if (alias >= 0)
            return alias;
    }
    return id << 1;
}

int lp_deref_value(lp_table *t, int vpath)
{
    if (vpath < 0)
        return -1;
    if (vpath & 1)
        return vpath >> 1;
    const lp_path *p = lp_get(t, vpath >> 1);
    if (!p || p->base == LP_CONST)
        return -1;
    lock(t);
    int id = append_ops(t, vpath >> 1, &deref_op, 1);
    unlock(t);
    return id;
}

int lp_pointee(lp_table *t, rc_tu *tu, const lp_fn *fn, CXCursor e)
{
    return lp_deref_value(t, lp_value(t, tu, fn, e));
}

/* An index op in the caller's terms: a parameter index becomes the
 * argument (a constant, or a plain variable), a callee's local is
 * unknown (0), anything else stays. */
static int subst_index(lp_table *t, lp_op *op, const int *args, unsigned nargs)
{
    if (op->kind != LP_INDEX_VAR)
        return 1;
    if (op->local)
        return 0;
    int pi = lp_param_of_key(t, op->key);
    if (pi < 0)
        return 1;  /* a global */
    if ((unsigned)pi >= nargs || args[pi] < 0 || (args[pi] & 1))
        return 0;
    const lp_path *a = lp_get(t, args[pi] >> 1);
    if (!a || a->nops)
        return 0;
    if (a->base == LP_CONST) {
        op->kind = LP_INDEX_CONST;
        op->key = op->name = a->base_key;
        op->local = 0;
        return 1;
    }
    op->key = a->base_key;
    op->name = a->base_name;
    op->local = a->base == LP_LOCAL;
    return 1;
}

/* The sum of two index ops, into *x; 0 when it has no name. */
static int add_index(lp_table *t, lp_op *x, const lp_op *y)
{
    int xz = x->kind == LP_INDEX_CONST && !strcmp(lp_str(t, x->key), "0");
    int yz = y->kind == LP_INDEX_CONST && !strcmp(lp_str(t, y->key), "0");
    if (yz)
        return 1;
    if (xz) {
        unsigned char ptr = x->ptr;
        *x = *y;
        x->ptr = ptr;
        return 1;
    }
    if (x->kind != LP_INDEX_CONST || y->kind != LP_INDEX_CONST)
        return 0;
    x->key = x->name = lp_int_id(t, atoll(lp_str(t, x->key)) + atoll(lp_str(t, y->key)));
    return 1;
}

/* The object obj followed by ops (indices substituted when subst); a
 * leading pointer subscript offsets obj's own last index. */
static int rebase(lp_table *t, int obj, const lp_op *ops, unsigned nops, const int *args,
                  unsigned nargs, int subst)
{
    const lp_path *o = lp_get(t, obj);
    if (!o || o->base == LP_CONST)
        return -1;
    lp_op *all = xmalloc((o->nops + nops + 1) * sizeof *all);
    memcpy(all, o->ops, o->nops * sizeof *all);
    unsigned n = o->nops;
    for (unsigned i = 0; i < nops; i++) {
        lp_op op = ops[i];
        if (subst && !subst_index(t, &op, args, nargs))
            goto unknown;
        if (i == 0 && op.kind != LP_DEREF && op.kind != LP_FIELD && op.ptr) {
            if (n > 0 && (all[n - 1].kind == LP_INDEX_CONST || all[n - 1].kind == LP_INDEX_VAR)) {
                if (!add_index(t, &all[n - 1], &op))
                    goto unknown;
                continue;
            }
            if (n > 0 && all[n - 1].kind == LP_DEREF) {
                if (!(op.kind == LP_INDEX_CONST && !strcmp(lp_str(t, op.key), "0")))
                    all[n++] = op;
                continue;
            }
            if (op.kind == LP_INDEX_CONST && !strcmp(lp_str(t, op.key), "0"))
                continue;
            goto unknown;  /* past the end of a single object */
        }
        all[n++] = op;
    }
    /* k-limiting: a callee that recurses down a structure (`walk(x)
     * { lock(&x->mu); walk(x->next); }`) would name a longer path at every
     * round of the fixpoint, and one that follows two fields, twice as
     * many -- librdkafka's solve grew to gigabytes.  A path this deep
     * names nothing the caller can be told about. */
    if (n > LP_MAX_OPS)
        goto unknown;
    int r = intern(t, o->base, o->base_key, o->base_name, o->param, all, n);
    free(all);
    return r;
unknown:
    free(all);
    return -1;
}

/* A word at a time: hashing the arguments byte by byte was a twentieth of
 * git's solve. */
static uint64_t hash_ints(uint64_t h, const int *v, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        h = (h ^ (uint32_t)v[i]) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
    }
    return h;
}

static size_t memo_slot(const subst_memo *m, size_t nslots, int id, const int *args,
                        unsigned nargs)
{
    uint64_t h = hash_ints(hash_ints(HASH_INIT, &id, 1), args, nargs);
    size_t i = (size_t)h & (nslots - 1);
    while (m[i].id >= 0 && (m[i].id != id || m[i].nargs != nargs ||
                            (nargs && memcmp(m[i].args, args, nargs * sizeof *args))))
        i = (i + 1) & (nslots - 1);
    return i;
}

static void memo_grow(memo_tab *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 256;
    subst_memo *m = xmalloc(n * sizeof *m);
    for (size_t i = 0; i < n; i++)
        m[i].id = -1;
    for (size_t i = 0; i < t->nslots; i++)
        if (t->slot[i].id >= 0)
            m[memo_slot(m, n, t->slot[i].id, t->slot[i].args, t->slot[i].nargs)] = t->slot[i];
    free(t->slot);
    t->slot = m;
    t->nslots = n;
}

/* The answer for (id, args) in t, or NULL. */
static const subst_memo *memo_find(const memo_tab *t, int id, const int *args, unsigned nargs)
{
    if (!t->nslots)
        return NULL;
    const subst_memo *m = &t->slot[memo_slot(t->slot, t->nslots, id, args, nargs)];
    return m->id >= 0 ? m : NULL;
}

static void memo_add(memo_tab *t, int id, const int *args, unsigned nargs, int result)
{
    if ((t->n + 1) * 2 > t->nslots)
        memo_grow(t);
    int *copy = xmalloc((nargs ? nargs : 1) * sizeof *copy);
    if (nargs)
        memcpy(copy, args, nargs * sizeof *args);
    t->slot[memo_slot(t->slot, t->nslots, id, args, nargs)] = (subst_memo){id, result, nargs, copy};
    t->n++;
}

/* While shared, the table's own memo is only read, and each thread adds
 * to a memo of its own: the solver asks lp_subst more than anything, and
 * one memo for all would be one lock for all.  An answer is the same in
 * every memo: the path it names is interned once. */
static memo_tab *thread_memo(lp_table *t)
{
    static __thread unsigned generation;
    static __thread memo_tab *mine;
    if (generation != t->generation || !mine) {
        mine = xcalloc(1, sizeof *mine);
        generation = t->generation;
        lock(t);
        VEC_PUSH(t->memos, t->nmemos, t->capmemos, mine);
        unlock(t);
    }
    return mine;
}

static int subst_uncached(lp_table *t, int id, const int *args, unsigned nargs);

int lp_subst(lp_table *t, int id, const int *args, unsigned nargs)
{
    const subst_memo *m = memo_find(&t->memo, id, args, nargs);
    if (m)
        return m->result;
    memo_tab *own = t->shared ? thread_memo(t) : &t->memo;
    if (t->shared && (m = memo_find(own, id, args, nargs)) != NULL)
        return m->result;
    lock(t);
    int r = subst_uncached(t, id, args, nargs);
    unlock(t);
    memo_add(own, id, args, nargs, r);
    return r;
}

static int subst_uncached(lp_table *t, int id, const int *args, unsigned nargs)
{
    const lp_path *p = lp_get(t, id);
    if (!p)
        return -1;
    if (p->base == LP_GLOBAL) {
        int dynamic = 0;
        for (unsigned i = 0; i < p->nops && !dynamic; i++)
            dynamic = p->ops[i].kind == LP_INDEX_VAR;
        if (!dynamic)
            return id;
        int base = intern(t, p->base, p->base_key, p->base_name, p->param, NULL, 0);
        return rebase(t, base, p->ops, p->nops, args, nargs, 1);
    }
    if (p->base != LP_PARAM || p->param >= nargs || args[p->param] < 0)
        return -1;
    /* The callee reads its parameter's value: only a path that starts by
     * dereferencing it names an object the caller can see. */
    if (p->nops == 0 || p->ops[0].kind != LP_DEREF)
        return -1;
    int obj = lp_deref_value(t, args[p->param]);
    if (obj < 0)
        return -1;
    return rebase(t, obj, p->ops + 1, p->nops - 1, args, nargs, 1);
}

char *lp_display(lp_table *t, int id)
{
    const lp_path *p = lp_get(t, id);
    if (!p)
        return xstrdup("?");
    char *s = xstrdup(lp_str(t, p->base_name));
    for (unsigned i = 0; i < p->nops; i++) {
        char *next;
        const lp_op *op = &p->ops[i];
        if (op->kind == LP_DEREF && i + 1 < p->nops && p->ops[i + 1].kind == LP_FIELD) {
            next = xasprintf("%s->%s", s, lp_str(t, p->ops[i + 1].name));
            i++;
        } else if (op->kind == LP_DEREF && i + 1 < p->nops && p->ops[i + 1].ptr &&
                   (p->ops[i + 1].kind == LP_INDEX_CONST || p->ops[i + 1].kind == LP_INDEX_VAR)) {
            next = xasprintf("%s[%s]", s, lp_str(t, p->ops[i + 1].name));  /* p[i] */
            i++;
        } else if (op->kind == LP_DEREF) {
            next = i + 1 < p->nops ? xasprintf("(*%s)", s) : xasprintf("*%s", s);
        } else if (op->kind == LP_FIELD) {
            next = xasprintf("%s.%s", s, lp_str(t, op->name));
        } else {
            next = xasprintf("%s[%s]", s, lp_str(t, op->name));
        }
        free(s);
        s = next;
    }
    return s;
}

int lp_class(lp_table *t, int id)
{
    const lp_path *p = lp_get(t, id);
    if (!p)
        return -1;
    for (unsigned i = p->nops; i-- > 0;)
        if (p->ops[i].kind == LP_FIELD)
            return p->ops[i].key;
    if (p->base == LP_PARAM)
        return -1;
    /* Array elements share their array's class; a pointer's target is
     * classed by the whole path, which is all an initialiser can name. */
    for (unsigned i = 0; i < p->nops; i++)
        if (p->ops[i].kind == LP_DEREF)
            return p->key;
    return p->base_key;
}

int lp_depends_on(lp_table *t, int id, int var_key)
{
    const lp_path *p = lp_get(t, id);
    if (!p)
        return 0;
    for (unsigned i = 0; i < p->ndeps; i++)
        if (p->deps[i] == var_key)
            return 1;
    return 0;
}

/* ---- merging and persistence ----------------------------------------- */

size_t lp_nstrs(const lp_table *t) { return LOAD(t->s.n); }
size_t lp_npaths(const lp_table *t) { return LOAD(t->npaths); }

static int map_id(const int *map, size_t n, int id)
{
    return id >= 0 && (size_t)id < n ? map[id] : -1;
}

void lp_merge(lp_table *into, const lp_table *from, int **strmap, int **pathmap)
{
    int *sm = xmalloc((from->s.n ? from->s.n : 1) * sizeof *sm);
    int *pm = xmalloc((from->npaths ? from->npaths : 1) * sizeof *pm);
    /* Strings first, in from's order: a unit's new strings land after the
     * earlier units' in the order the unit met them, as in a shared table. */
    for (size_t i = 0; i < from->s.n; i++)
        sm[i] = lp_str_id(into, from->s.strs[i]);
    lp_op *ops = NULL;
    size_t capops = 0;
    for (size_t i = 0; i < from->npaths; i++) {
        const lp_path *p = from->paths[i];
        vec_reserve((void **)&ops, &capops, p->nops + 1, sizeof *ops);
        for (unsigned k = 0; k < p->nops; k++) {
            ops[k] = p->ops[k];
            ops[k].key = map_id(sm, from->s.n, p->ops[k].key);
            ops[k].name = map_id(sm, from->s.n, p->ops[k].name);
        }
        pm[i] = intern(into, p->base, map_id(sm, from->s.n, p->base_key),
                       map_id(sm, from->s.n, p->base_name), p->param, ops, p->nops);
    }
    free(ops);
    *strmap = sm;
    *pathmap = pm;
}

int lp_json_int(const cJSON *x, long long lo, long long hi, int *out)
{
    if (!cJSON_IsNumber(x))
        return 0;
    double d = x->valuedouble;
    if (!(d >= (double)lo && d <= (double)hi) || d != (double)(long long)d)
        return 0;
    *out = (int)(long long)d;
    return 1;
}

cJSON *lp_save(const lp_table *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *strs = cJSON_AddArrayToObject(o, "strings");
    for (size_t i = 0; i < t->s.n; i++)
        cJSON_AddItemToArray(strs, cJSON_CreateString(t->s.strs[i]));
    /* A path: [base, base_key, base_name, param, (kind, key, name)...]; its
     * key and deps are derived again on load. */
    cJSON *paths = cJSON_AddArrayToObject(o, "paths");
    for (size_t i = 0; i < t->npaths; i++) {
        const lp_path *p = t->paths[i];
        cJSON *a = cJSON_CreateArray();
        cJSON_AddItemToArray(a, json_int(p->base));
        cJSON_AddItemToArray(a, json_int(p->base_key));
        cJSON_AddItemToArray(a, json_int(p->base_name));
        cJSON_AddItemToArray(a, json_int(p->param));
        for (unsigned k = 0; k < p->nops; k++) {
            cJSON_AddItemToArray(a, json_int(p->ops[k].kind | p->ops[k].ptr << 3 |
                                                       p->ops[k].local << 4));
            cJSON_AddItemToArray(a, json_int(p->ops[k].key));
            cJSON_AddItemToArray(a, json_int(p->ops[k].name));
        }
        cJSON_AddItemToArray(paths, a);
    }
    return o;
}

lp_table *lp_load(const cJSON *j)
{
    const cJSON *strs = cJSON_GetObjectItemCaseSensitive(j, "strings");
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(j, "paths");
    if (!cJSON_IsArray(strs) || !cJSON_IsArray(paths))
        return NULL;
    lp_table *t = lp_new();
    lp_op *ops = NULL;
    size_t capops = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, strs) {
        /* Ids are positions: a duplicate would shift every later one. */
        size_t before = t->s.n;
        if (!cJSON_IsString(x) || !x->valuestring ||
            lp_str_id(t, x->valuestring) != (int)before || t->s.n != before + 1)
            goto bad;
    }
    size_t nstrs = t->s.n;
    long long smax = (long long)nstrs - 1;
    cJSON_ArrayForEach(x, paths) {
        int n = cJSON_GetArraySize(x);
        if (!cJSON_IsArray(x) || n < 4 || (n - 4) % 3)
            goto bad;
        int base, base_key, base_name, param;
        const cJSON *e = x->child;
        if (!lp_json_int(e, LP_GLOBAL, LP_CONST, &base) ||
            !lp_json_int(e = e->next, 0, smax, &base_key) ||
            !lp_json_int(e = e->next, 0, smax, &base_name) ||
            !lp_json_int(e = e->next, 0, 0x7fffffff, &param))
            goto bad;
        unsigned nops = (unsigned)(n - 4) / 3;
        vec_reserve((void **)&ops, &capops, nops + 1, sizeof *ops);
        for (unsigned k = 0; k < nops; k++) {
            int kind, key, name, flags;
            if (!lp_json_int(e = e->next, LP_DEREF, LP_INDEX_VAR | 8 | 16, &flags) ||
                (kind = flags & 7) > LP_INDEX_VAR ||
                ((flags & 24) && kind != LP_INDEX_CONST && kind != LP_INDEX_VAR) ||
                !lp_json_int(e = e->next, kind == LP_DEREF ? -1 : 0,
                             kind == LP_DEREF ? -1 : smax, &key) ||
                !lp_json_int(e = e->next, kind == LP_DEREF ? -1 : 0,
                             kind == LP_DEREF ? -1 : smax, &name))
                goto bad;
            ops[k] = (lp_op){(lp_opkind)kind, key, name, (unsigned char)(flags >> 3 & 1),
                             (unsigned char)(flags >> 4 & 1)};
        }
        /* Its key string was interned with it, so is in the table; a path
         * that needs a new string, or is already there, is not one we saved. */
        size_t before = t->npaths;
        int id = intern(t, (lp_base)base, base_key, base_name, (unsigned)param, ops, nops);
        if (t->s.n != nstrs || (size_t)id != before || t->npaths != before + 1)
            goto bad;
    }
    free(ops);
    return t;
bad:
    free(ops);
    lp_free(t);
    return NULL;
}
