/*
 * summary.c -- lock dataflow over the IR, function summaries and the
 * whole-program fixed point (see summary.h).
 *
 * Per function, a forward "may be held" analysis: each block carries a
 * small set of states, a state being (locks held, locks released that the
 * function did not take itself, simple facts about variables).  Facts --
 * "x is zero", "rc holds the result of that trylock" -- let edges drop
 * infeasible paths, so correlated branches and trylock results decide
 * what is held; past STATE_CAP states at a block, states holding the same
 * locks are joined, and only when none do, all of them.
 *
 * A summary says, relative to parameters and globals, which locks the
 * function acquires before releasing them (with the locks it holds at
 * that moment, for transfer(a, a)), which it surely releases, which it
 * may still hold at return, and whether it can return at all.  The call
 * graph's strongly connected components are solved callees first (the
 * independent ones at once, on several threads): a function outside a
 * cycle once, a cycle's functions until their summaries stop changing;
 * each reports once its summary and its callees' are final.  When the
 * program makes some mutex recursive, a finding about a mutex that turns
 * out recursive is dropped once the solve is over; so is every finding
 * but the first that follows from one lock leak (a function returning
 * still holding a lock it releases on other paths).
 */
#include "summary.h"
#include "findings_json.h"
#include "lockapi.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    STATE_CAP = 8,          /* states per block before joining */
    ALSO_CAP = 8,           /* locks remembered as held at an acquisition */
    MAX_ROUNDS = 24,        /* re-analyses of one function in the fixpoint */
    CHAIN_MAX = 16,         /* call-chain notes */
    GUARD_CAP = 4,          /* parameter facts remembered per acquisition */
    SUM_CAP = 256,          /* acquisitions, and locks held at exit, per
                             * summary: a recursion fanning out over fields
                             * names ever more paths (LP_MAX_OPS bounds
                             * their length, not their number) */
    SPEC_CAP = 4096         /* summaries for constant arguments, per component
                             * of the call graph */
};

typedef struct held {
    int lock;
    unsigned char mode;
    int tent;               /* uid of the call whose result decides it, or -1 */
    unsigned char pol;      /* tent: held iff that result is 0 (0) / non-0 (1) */
    unsigned char weak;     /* a try (or a callee's): unknown until tested */
    ri_site at;             /* where taken: for notes, not for equality */
    int via;                /* name of the function that took it, or -1 */
    int leak;               /* cond: where the leak it comes from began
                             * (leak_key), or -1 */
    unsigned char cond;     /* taken by a callee that returns holding it only
                             * on some paths: a callee that releases it only
                             * on some paths is taken to release it */
} held;

/* No padding, rneg 0 whenever res is -1 and val -1 whenever vrel is:
 * equal facts are equal bytes, so that identical fact lists compare with
 * one memcmp (see subsumes). */
typedef struct fact {
    int var;
    int res;                /* uid of the result it holds, or -1 */
    int val;                /* vrel: string id of a constant's text, or -1 */
    signed char zn;         /* -1 unknown, 0 zero, 1 non-zero */
    unsigned char glob;
    unsigned char rneg;     /* res: it holds !result */
    signed char vrel;       /* -1 none, 1 it equals val, 0 it does not */
} fact;

typedef struct state {
    held *h;
    unsigned nh;
    int *rel;
    unsigned nrel;
    int *mrel;              /* released on some path to here (rel: on all) */
    unsigned nmrel;
    fact *f;
    unsigned nf;
} state;

typedef struct lockmode {
    int lock;
    unsigned char mode;
} lockmode;

/* Taken only when parameter `param` is zero or not (zn), equal to a
 * constant or not (vrel, val), as on every path that takes it: `if
 * (!locked) lock(&m);`, `if (fd != -42) accept_new(...)` -- a caller
 * passing a constant that says otherwise does not take it. */
typedef struct guard {
    int param;
    int val;                /* vrel: string id of the constant's text */
    signed char zn, vrel;   /* -1: nothing known */
} guard;

typedef struct sum_acq {
    int lock;
    unsigned char mode;
    ri_site at;
    int via_fn;             /* function index of the callee, -1: direct */
    int via_lock;
    unsigned char via_mode;
    lockmode *also;
    unsigned nalso;
    guard guard[GUARD_CAP];
    unsigned nguard;
} sum_acq;

typedef struct sum_held {
    int lock;
    unsigned char mode;
    unsigned char tent;     /* held iff the result is zero (pol 0) / not (1) */
    unsigned char pol;
    unsigned char partial;  /* not held on every path that returns */
    int leak;               /* partial: where a lock the function took and
                             * released on other paths is left held, or
                             * where a callee's such leak began; else -1 */
} sum_held;

typedef struct sum_mayrel {
    int lock;
    signed char pol;        /* released iff the result is zero (0) / not (1);
                             * -1: no such link */
} sum_mayrel;

typedef struct summary {
    sum_acq *acq;
    unsigned nacq;
    size_t capacq;
    sum_held *held;
    unsigned nheld;
    size_t capheld;
    int *rel;
    unsigned nrel;
    size_t caprel;
    sum_mayrel *mayrel;     /* released on some paths only (not in rel) */
    unsigned nmayrel;
    size_t capmayrel;
    int *initrec;
    unsigned ninitrec;
    size_t capinitrec;
    int noreturn;
} summary;

/* A sorted set of string ids. */
typedef struct varset {
    int *v;
    unsigned n;
} varset;

struct sum_program {
    lp_table *lt;
    ri_func **fns;
    size_t nfns, capfns;
    int *fn_by_usr;         /* string id -> function index + 1 */
    size_t nfn_by_usr;
    summary *sums;
    varset *tested;         /* per function, while solving: see tested_vars */
    varset *mods;           /* per function, while solving: see call_effects */
    unsigned char *rec_class, *rec_attr, *reported;  /* by string id */
    size_t nrec_class, nrec_attr, nreported;
    unsigned char *borrowed;  /* by string id: USRs left to an earlier unit */
    size_t nborrowed;
    unsigned char *addr;    /* by string id: functions whose address is taken */
    size_t naddr;
    varset indirect;        /* while solving: what a call through a pointer
                             * may change (see call_effects) */
    struct spec **specs;    /* while solving: see specialised */
    size_t nspecs, capspecs;
    pthread_mutex_t spec_mu;  /* while solving: guards specs */
    const unsigned *comp_of;  /* while solving: each function's component of
                               * the call graph */
    const unsigned char *lock_free;  /* while solving: see classify */
    int defer;              /* while solving: which mutexes are recursive
                             * is known only afterwards (see sum_solve) */
    int any_rec;            /* while solving: some mutex may be recursive */
    int ret_key;            /* while solving: "$ret"'s string id */
};

/* ---- small helpers ---------------------------------------------------- */

static void flag_set(unsigned char **v, size_t *n, int id)
{
    if (id < 0)
        return;
    if ((size_t)id >= *n) {
        size_t nn = *n ? *n : 256;
        while (nn <= (size_t)id)
            nn *= 2;
        *v = xrealloc(*v, nn);
        memset(*v + *n, 0, nn - *n);
        *n = nn;
    }
    (*v)[id] = 1;
}

static int flag_get(const unsigned char *v, size_t n, int id)
{
    return id >= 0 && (size_t)id < n && v[id];
}

int ri_assumes_var(ri_assume a)
{
    return a == RA_VAR_ZERO || a == RA_VAR_NONZERO || a == RA_VAR_EQ || a == RA_VAR_NE;
}

sum_program *sum_new(void)
{
    sum_program *p = xcalloc(1, sizeof *p);
    p->lt = lp_new();
    return p;
}

lp_table *sum_paths(sum_program *p) { return p->lt; }

static void func_free(ri_func *f)
{
    for (unsigned i = 0; i < f->nblocks; i++) {
        for (unsigned j = 0; j < f->blocks[i].nev; j++)
            free(f->blocks[i].ev[j].args);
        free(f->blocks[i].ev);
        free(f->blocks[i].succ);
    }
    free(f->blocks);
    free(f);
}

static void summary_clear(summary *s)
{
    for (unsigned i = 0; i < s->nacq; i++)
        free(s->acq[i].also);
    free(s->acq);
    free(s->held);
    free(s->rel);
    free(s->mayrel);
    free(s->initrec);
    memset(s, 0, sizeof *s);
}

void sum_free(sum_program *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nfns; i++) {
        func_free(p->fns[i]);
        if (p->sums)
            summary_clear(&p->sums[i]);
    }
    free(p->fns);
    free(p->sums);
    free(p->fn_by_usr);
    free(p->rec_class);
    free(p->rec_attr);
    free(p->reported);
    free(p->borrowed);
    free(p->addr);
    lp_free(p->lt);
    free(p);
}

void sum_add_function(sum_program *p, ri_func *f)
{
    if ((size_t)f->usr < p->nfn_by_usr && p->fn_by_usr[f->usr]) {
        func_free(f);
        return;
    }
    if ((size_t)f->usr >= p->nfn_by_usr) {
        size_t n = p->nfn_by_usr ? p->nfn_by_usr : 256;
        while (n <= (size_t)f->usr)
            n *= 2;
        p->fn_by_usr = xrealloc(p->fn_by_usr, n * sizeof *p->fn_by_usr);
        memset(p->fn_by_usr + p->nfn_by_usr, 0, (n - p->nfn_by_usr) * sizeof *p->fn_by_usr);
        p->nfn_by_usr = n;
    }
    VEC_PUSH(p->fns, p->nfns, p->capfns, f);
    p->fn_by_usr[f->usr] = (int)p->nfns;
}

static void add_borrowed_id(sum_program *p, int id)
{
    flag_set(&p->borrowed, &p->nborrowed, id);
}

static void add_addr_id(sum_program *p, int id)
{
    flag_set(&p->addr, &p->naddr, id);
}

void sum_add_address_taken(sum_program *p, const char *usr)
{
    add_addr_id(p, lp_str_id(p->lt, usr));
}

void sum_add_borrowed(sum_program *p, const char *usr)
{
    add_borrowed_id(p, lp_str_id(p->lt, usr));
}

int sum_has_borrowed(const sum_program *before, const sum_program *unit)
{
    for (size_t id = 0; id < unit->nborrowed; id++) {
        if (!unit->borrowed[id])
            continue;
        int at = before ? lp_str_find(before->lt, lp_str(unit->lt, (int)id)) : -1;
        if (at < 0 || (size_t)at >= before->nfn_by_usr || !before->fn_by_usr[at])
            return 0;
    }
    return 1;
}

void sum_add_recursive_class(sum_program *p, int class_id)
{
    flag_set(&p->rec_class, &p->nrec_class, class_id);
}

void sum_add_recursive_attr(sum_program *p, int attr_key)
{
    flag_set(&p->rec_attr, &p->nrec_attr, attr_key);
}

static int fn_index(sum_program *p, int usr)
{
    if (usr < 0 || (size_t)usr >= p->nfn_by_usr)
        return -1;
    return p->fn_by_usr[usr] - 1;
}

static int is_recursive(sum_program *p, int lock)
{
    int cls = lp_class(p->lt, lock);
    if (cls < 0 && p->any_rec) {
        /* `*m` for a parameter m: no class of its own.  When the program
         * makes any mutex recursive, this may be it (a thread function
         * handed `&rec_mutex` through pthread_create's void *). */
        const lp_path *x = lp_get(p->lt, lock);
        return x && x->base == LP_PARAM;
    }
    return flag_get(p->rec_class, p->nrec_class, cls);
}

/* Relocking deadlocks unless both holds are shared (read locks). */
static int conflicts(unsigned char m1, unsigned char m2)
{
    return m1 == LOCKAPI_EXCL || m2 == LOCKAPI_EXCL;
}

/* ---- states ------------------------------------------------------------ */

static state st_copy(const state *s)
{
    state c = {0};
    c.nh = s->nh, c.nrel = s->nrel, c.nf = s->nf, c.nmrel = s->nmrel;
    if (s->nmrel) {
        c.mrel = xmalloc(s->nmrel * sizeof *c.mrel);
        memcpy(c.mrel, s->mrel, s->nmrel * sizeof *c.mrel);
    }
    if (s->nh) {
        c.h = xmalloc(s->nh * sizeof *c.h);
        memcpy(c.h, s->h, s->nh * sizeof *c.h);
    }
    if (s->nrel) {
        c.rel = xmalloc(s->nrel * sizeof *c.rel);
        memcpy(c.rel, s->rel, s->nrel * sizeof *c.rel);
    }
    if (s->nf) {
        c.f = xmalloc(s->nf * sizeof *c.f);
        memcpy(c.f, s->f, s->nf * sizeof *c.f);
    }
    return c;
}

static void st_free(state *s)
{
    free(s->h);
    free(s->rel);
    free(s->mrel);
    free(s->f);
    memset(s, 0, sizeof *s);
}

static int same_held(const held *a, const held *b)
{
    return a->lock == b->lock && a->mode == b->mode && a->tent == b->tent &&
           (a->tent < 0 || a->pol == b->pol);
}

static int has_held(const state *s, const held *x)
{
    for (unsigned i = 0; i < s->nh; i++)
        if (same_held(&s->h[i], x))
            return 1;
    return 0;
}

static void add_held(state *s, held x)
{
    if (has_held(s, &x))
        return;
    s->h = xrealloc(s->h, (s->nh + 1) * sizeof *s->h);
    s->h[s->nh++] = x;
}

static int has_int(const int *v, unsigned n, int x)
{
    for (unsigned i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

static void add_int(int **v, unsigned *n, int x)
{
    if (has_int(*v, *n, x))
        return;
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = x;
}

static void add_rel(state *s, int lock)
{
    add_int(&s->rel, &s->nrel, lock);
    add_int(&s->mrel, &s->nmrel, lock);
}

/* Facts are kept sorted by variable: a function that tests hundreds of
 * variables must not make every state comparison quadratic. */
static unsigned fact_pos(const state *s, int var)
{
    unsigned lo = 0, hi = s->nf;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (s->f[mid].var < var)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static fact *find_fact(const state *s, int var)
{
    unsigned i = fact_pos(s, var);
    return i < s->nf && s->f[i].var == var ? &s->f[i] : NULL;
}

static void drop_fact(state *s, int var)
{
    unsigned i = fact_pos(s, var);
    if (i < s->nf && s->f[i].var == var) {
        memmove(&s->f[i], &s->f[i + 1], (s->nf - i - 1) * sizeof *s->f);
        s->nf--;
    }
}

static fact *get_fact(state *s, int var, int glob)
{
    unsigned i = fact_pos(s, var);
    if (i < s->nf && s->f[i].var == var)
        return &s->f[i];
    s->f = xrealloc(s->f, (s->nf + 1) * sizeof *s->f);
    memmove(&s->f[i + 1], &s->f[i], (s->nf - i) * sizeof *s->f);
    s->nf++;
    fact *f = &s->f[i];
    f->var = var, f->zn = -1, f->glob = (unsigned char)glob, f->res = -1, f->rneg = 0;
    f->val = -1, f->vrel = -1;
    return f;
}

static int fact_eq(const fact *a, const fact *b)
{
    return a->var == b->var && a->zn == b->zn && a->res == b->res &&
           (a->res < 0 || a->rneg == b->rneg) && a->vrel == b->vrel && a->val == b->val;
}

/* t may hold whatever s holds, and s surely released what t did. */
static int locks_cover(const state *t, const state *s)
{
    for (unsigned i = 0; i < s->nh; i++)
        if (!has_held(t, &s->h[i]))
            return 0;
    for (unsigned i = 0; i < t->nrel; i++)
        if (!has_int(s->rel, s->nrel, t->rel[i]))
            return 0;
    return 1;
}

/* t covers s: every path s stands for, t stands for too. */
static int subsumes(const state *t, const state *s)
{
    /* t's facts must all hold in s: impossible with more of them. */
    if (t->nf > s->nf || !locks_cover(t, s))
        return 0;
    for (unsigned i = 0; i < s->nmrel; i++)
        if (!has_int(t->mrel, t->nmrel, s->mrel[i]))
            return 0;
    /* Most often both carry the same facts. */
    if (t->nf == s->nf && (!t->nf || !memcmp(t->f, s->f, t->nf * sizeof *t->f)))
        return 1;
    /* Both fact lists are sorted by variable: one merge walk. */
    for (unsigned i = 0, j = 0; i < t->nf; i++) {
        while (j < s->nf && s->f[j].var < t->f[i].var)
            j++;
        if (j == s->nf || !fact_eq(&t->f[i], &s->f[j]))
            return 0;
    }
    return 1;
}

/* Join b into a: held union, released intersection, facts kept where
 * both agree. */
static void st_join(state *a, const state *b)
{
    for (unsigned i = 0; i < b->nh; i++)
        add_held(a, b->h[i]);
    for (unsigned i = 0; i < b->nmrel; i++)
        add_int(&a->mrel, &a->nmrel, b->mrel[i]);
    unsigned n = 0;
    for (unsigned i = 0; i < a->nrel; i++)
        if (has_int(b->rel, b->nrel, a->rel[i]))
            a->rel[n++] = a->rel[i];
    a->nrel = n;
    n = 0;
    for (unsigned i = 0; i < a->nf; i++) {
        fact *x = &a->f[i];
        const fact *y = find_fact(b, x->var);
        if (!y)
            continue;
        if (x->zn != y->zn)
            x->zn = -1;
        if (x->res != y->res || x->rneg != y->rneg)
            x->res = -1, x->rneg = 0;
        if (x->vrel != y->vrel || x->val != y->val)
            x->vrel = -1, x->val = -1;
        if (x->zn >= 0 || x->res >= 0 || x->vrel >= 0)
            a->f[n++] = *x;
    }
    a->nf = n;
}

/* A block's entry states.  Only states not yet sent through the block
 * need sending: an old one would give what it gave before, which its
 * successors already hold (or a join of theirs subsumes). */
typedef struct stlist {
    state *v;
    unsigned n, cap;
    unsigned done;          /* v[0..done) have been sent through */
} stlist;

/* Do a and b hold and surely release the same locks? */
static int same_locks(const state *a, const state *b)
{
    return a->nh == b->nh && a->nrel == b->nrel && locks_cover(a, b);
}

/* Take v[i] out, the others keeping their order: v[0..done) are still
 * the ones sent through. */
static state stlist_take(stlist *l, unsigned i)
{
    state s = l->v[i];
    memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
    l->n--;
    if (i < l->done)
        l->done--;
    return s;
}

/* Add s (taken over) to a block's states; 1 if they changed. */
static int stlist_add(stlist *l, state s)
{
    for (unsigned i = 0; i < l->n; i++)
        if (subsumes(&l->v[i], &s)) {
            st_free(&s);
            return 0;
        }
    /* Full: join s into a state holding and releasing the same locks, or
     * else join the states that agree on that among themselves, so that
     * what is held stays tied to the facts that decide it (`if (!busy) {
     * lock(&m); locked = 1; } ... if (locked) unlock(&m);` across loops
     * that make many states).  A joined state is sent through again.
     * Only when every state differs is everything joined. */
    if (l->n == STATE_CAP) {
        unsigned i = 0;
        while (i < l->n && !same_locks(&l->v[i], &s))
            i++;
        if (i < l->n) {
            state t = stlist_take(l, i);
            st_join(&s, &t);
            st_free(&t);
        } else {
            /* A state that others join is taken out and goes last. */
            for (i = 0; i < l->n;) {
                int joined = 0;
                for (unsigned j = l->n; j-- > i + 1;)
                    if (same_locks(&l->v[i], &l->v[j])) {
                        state u = stlist_take(l, j);
                        st_join(&l->v[i], &u);
                        st_free(&u);
                        joined = 1;
                    }
                if (joined) {
                    state t = stlist_take(l, i);
                    l->v[l->n++] = t;
                } else {
                    i++;
                }
            }
        }
    }
    if (l->n < STATE_CAP) {
        if (l->n == l->cap) {
            l->cap = l->cap ? l->cap * 2 : 2;
            l->v = xrealloc(l->v, l->cap * sizeof *l->v);
        }
        l->v[l->n++] = s;
        return 1;
    }
    for (unsigned i = 1; i < l->n; i++) {
        st_join(&l->v[0], &l->v[i]);
        st_free(&l->v[i]);
    }
    st_join(&l->v[0], &s);
    st_free(&s);
    l->n = 1;
    l->done = 0;             /* the joined state is new */
    return 1;
}

/* ---- analysis of one function ----------------------------------------- */

/* A finding a component made: what gather needs to keep it or not. */
typedef struct found_at {
    int site;               /* its place and lock, as a string id */
    int lock;
    int leak;               /* the leak it follows from (held.leak), or -1 */
    size_t note;            /* leak: its note on where the leak began */
} found_at;

/* One component of the call graph being solved, and what it made.
 * Components may be solved on several threads at once (sum_solve): each
 * keeps its findings, and what it must decide alone, here. */
typedef struct comp_run {
    size_t comp;
    rc_findings found;      /* in the order it reported them */
    found_at *at;           /* per finding */
    size_t nat, capat;
    const struct spec **used;  /* the summaries for constant arguments it used */
    size_t nused, capused;
    struct spec **making;   /* ...and those it is making, innermost last */
    size_t nmaking, capmaking;
} comp_run;

typedef struct actx {
    sum_program *p;
    int fidx;
    ri_func *f;
    summary *sum;           /* being built */
    int report;
    comp_run *cr;           /* the component being solved */
    const char *check;
    const varset *tested;   /* the variables whose facts can matter */
    int *own_rel;           /* locks released here while held: what tells a
                             * leak from a conditional lock (summarise_exit) */
    unsigned nown_rel;
} actx;

/* Can a summary of this function talk about `lock`?  Not about its locals,
 * nor about a parameter it reassigns. */
static int expressible(actx *c, int lock)
{
    const lp_path *p = lp_get(c->p->lt, lock);
    if (!p || p->base == LP_LOCAL)
        return 0;
    if (p->base == LP_PARAM && (p->param >= 64 || (c->f->assigned_params >> p->param) & 1))
        return 0;
    return !(p->param_deps & c->f->assigned_params);  /* an index it changes */
}

/* Parameter i's index, when var is the key of a parameter that f never
 * assigns (so facts about it are facts about the caller's argument). */
static int fixed_param(actx *c, int var)
{
    int i = lp_param_of_key(c->p->lt, var);
    if (i < 0 || i >= 64 || (unsigned)i >= c->f->nparams || ((c->f->assigned_params >> i) & 1))
        return -1;
    return i;
}

static void sum_add_acq(actx *c, const state *s, int lock, unsigned char mode, ri_site at,
                        int via_fn, int via_lock, unsigned char via_mode,
                        const lockmode *extra, unsigned nextra)
{
    summary *sum = c->sum;
    sum_acq *a = NULL;
    for (unsigned i = 0; i < sum->nacq && !a; i++)
        if (sum->acq[i].lock == lock && sum->acq[i].mode == mode)
            a = &sum->acq[i];
    if (!a) {
        if (sum->nacq >= SUM_CAP)
            return;
        sum_acq n;
        memset(&n, 0, sizeof n);
        n.lock = lock, n.mode = mode, n.at = at;
        n.via_fn = via_fn, n.via_lock = via_lock, n.via_mode = via_mode;
        for (unsigned i = 0; i < s->nf && n.nguard < GUARD_CAP; i++) {
            const fact *f = &s->f[i];
            int pi = f->zn >= 0 || f->vrel >= 0 ? fixed_param(c, f->var) : -1;
            if (pi >= 0)
                n.guard[n.nguard++] = (guard){pi, f->val, f->zn, f->vrel};
        }
        VEC_PUSH(sum->acq, sum->nacq, sum->capacq, n);
        a = &sum->acq[sum->nacq - 1];
    } else {
        /* Guards hold on every path that takes it: keep what s agrees on. */
        unsigned k = 0;
        for (unsigned i = 0; i < a->nguard; i++) {
            guard g = a->guard[i];
            const fact *f = find_fact(s, lp_param_key(c->p->lt, (unsigned)g.param, 1));
            if (!f)
                continue;
            if (f->zn != g.zn)
                g.zn = -1;
            if (f->vrel != g.vrel || f->val != g.val)
                g.vrel = -1, g.val = -1;
            if (g.zn >= 0 || g.vrel >= 0)
                a->guard[k++] = g;
        }
        a->nguard = k;
    }
    /* Remember what was held alongside, for callers passing aliases. */
    for (unsigned i = 0; i < s->nh + nextra && a->nalso < ALSO_CAP; i++) {
        lockmode lm = i < s->nh ? (lockmode){s->h[i].lock, s->h[i].mode} : extra[i - s->nh];
        if (lm.lock == lock || !expressible(c, lm.lock))
            continue;
        int dup = 0;
        for (unsigned j = 0; j < a->nalso && !dup; j++)
            dup = a->also[j].lock == lm.lock && a->also[j].mode == lm.mode;
        if (dup)
            continue;
        a->also = xrealloc(a->also, (a->nalso + 1) * sizeof *a->also);
        a->also[a->nalso++] = lm;
    }
}

static const sum_acq *find_acq(const summary *s, int lock, unsigned char mode)
{
    for (unsigned i = 0; i < s->nacq; i++)
        if (s->acq[i].lock == lock && s->acq[i].mode == mode)
            return &s->acq[i];
    return NULL;
}

/* One finding per (place, lock): here within the component, and across
 * components when sum_solve gathers their findings in order.  A 1 must be
 * followed by report(), then note_held() with the same h. */
static int first_report(actx *c, ri_site at, int lock, const held *h)
{
    /* The place is the file's string id and the lock a path id: each
     * could be another number in another run, but not within one. */
    char *k = xasprintf("%d:%u:%u:%d", at.file, at.line, at.col, lock);
    int id = lp_str_id(c->p->lt, k);
    free(k);
    comp_run *cr = c->cr;
    for (size_t i = 0; i < cr->nat; i++)
        if (cr->at[i].site == id)
            return 0;
    int leak = h && h->cond ? h->leak : -1;
    VEC_PUSH(cr->at, cr->nat, cr->capat, ((found_at){id, lock, leak, (size_t)-1}));
    return 1;
}

static rc_finding *report(actx *c, ri_site at, const char *msg)
{
    lp_table *lt = c->p->lt;
    comp_run *cr = c->cr;
    return findings_add(&cr->found, c->check, "static", lp_str(lt, at.file), at.line, at.col,
                        lp_str(lt, c->f->name), "%s", msg);
}

/* Where a lock leak began -- the place a function took a lock it can
 * return still holding, though it releases it on other paths, and that
 * function -- as one string id: the findings that follow from one leak
 * are reported once (gather). */
static int leak_key(actx *c, ri_site at)
{
    char *k = xasprintf("leak %d:%u:%u:%d", at.file, at.line, at.col, c->f->name);
    int id = lp_str_id(c->p->lt, k);
    free(k);
    return id;
}

static void leak_site(lp_table *lt, int leak, ri_site *at, int *fn)
{
    if (sscanf(lp_str(lt, leak), "leak %d:%u:%u:%d", &at->file, &at->line, &at->col, fn) != 4)
        at->file = -1;
}

static void note_held(actx *c, rc_finding *f, const held *h)
{
    if (!f || h->at.file < 0)
        return;
    lp_table *lt = c->p->lt;
    char *d = lp_display(lt, h->lock);
    if (h->via >= 0)
        finding_note(f, lp_str(lt, h->at.file), h->at.line, h->at.col,
                     "'%s' acquired here (by '%s')", d, lp_str(lt, h->via));
    else
        finding_note(f, lp_str(lt, h->at.file), h->at.line, h->at.col, "'%s' acquired here", d);
    free(d);
    ri_site o;
    int fn;
    if (!h->cond || h->leak < 0 || (leak_site(lt, h->leak, &o, &fn), o.file < 0))
        return;
    c->cr->at[c->cr->nat - 1].note = f->nnotes;
    finding_note(f, lp_str(lt, o.file), o.line, o.col,
                 "'%s' takes the lock here and can return without releasing it", lp_str(lt, fn));
}

/* Notes down the call chain from callee `fn`'s acquisition of lock/mode;
 * also the names of the functions passed through, for the message. */
static void note_chain(actx *c, rc_finding *f, int fn, int lock, unsigned char mode,
                       rc_buf *via)
{
    lp_table *lt = c->p->lt;
    for (int depth = 0; depth < CHAIN_MAX && fn >= 0; depth++) {
        const sum_acq *a = find_acq(&c->p->sums[fn], lock, mode);
        if (!a)
            return;
        const char *name = lp_str(lt, c->p->fns[fn]->name);
        if (depth > 0 && via)
            buf_printf(via, "%s'%s'", via->len ? ", " : "", name);
        if (a->via_fn < 0) {
            char *d = lp_display(lt, a->lock);
            if (f && a->at.file >= 0)
                finding_note(f, lp_str(lt, a->at.file), a->at.line, a->at.col,
                             "'%s' acquires '%s' here", name, d);
            free(d);
            return;
        }
        if (f && a->at.file >= 0)
            finding_note(f, lp_str(lt, a->at.file), a->at.line, a->at.col, "'%s' calls '%s' here",
                         name, lp_str(lt, c->p->fns[a->via_fn]->name));
        fn = a->via_fn, lock = a->via_lock, mode = a->via_mode;
    }
}

static void report_call(actx *c, const ri_event *ev, int fn, const sum_acq *a, int lock,
                        const held *h)
{
    if (!c->report || ev->at.file < 0 || !first_report(c, ev->at, lock, h))
        return;
    lp_table *lt = c->p->lt;
    char *d = lp_display(lt, lock);
    rc_buf via = {0};
    note_chain(c, NULL, fn, a->lock, a->mode, &via);
    char *vias = via.len ? xasprintf(" (via %s)", via.s) : xstrdup("");
    char *msg = h ? xasprintf("call to '%s' acquires '%s'%s, which is already held here; "
                              "this thread will deadlock",
                              lp_str(lt, ev->callee_name), d, vias)
                  : xasprintf("call to '%s' acquires '%s'%s twice: its arguments name the "
                              "same lock; this thread will deadlock",
                              lp_str(lt, ev->callee_name), d, vias);
    rc_finding *f = report(c, ev->at, msg);
    if (h)
        note_held(c, f, h);
    note_chain(c, f, fn, a->lock, a->mode, NULL);
    free(msg);
    free(vias);
    free(buf_take(&via));
    free(d);
}

static void remove_lock(state *s, int lock)
{
    unsigned n = 0;
    for (unsigned i = 0; i < s->nh; i++)
        if (s->h[i].lock != lock)
            s->h[n++] = s->h[i];
    s->nh = n;
}

static int holds(const state *s, int lock)
{
    for (unsigned i = 0; i < s->nh; i++)
        if (s->h[i].lock == lock)
            return 1;
    return 0;
}

static void do_release(actx *c, state *s, int lock)
{
    /* Releasing a lock this function took is bookkeeping; releasing one it
     * did not take is what callers must learn from the summary -- also
     * when a callee released it and took it again (curl's
     * thrdpool_join_zombies unlocks around a join): the hold is the
     * callee's, the lock the caller's. */
    if (holds(s, lock)) {
        remove_lock(s, lock);
        add_int(&c->own_rel, &c->nown_rel, lock);
        if (has_int(s->mrel, s->nmrel, lock))
            add_rel(s, lock);
    } else {
        add_rel(s, lock);
    }
}

static void do_acquire(actx *c, state *s, const ri_event *ev)
{
    int lock = ev->lock;
    if (!ev->is_try) {
        for (unsigned i = 0; i < s->nh; i++) {
            const held *h = &s->h[i];
            if (h->lock != lock || !conflicts(h->mode, ev->mode) || is_recursive(c->p, lock))
                continue;
            if (c->report && ev->at.file >= 0 && first_report(c, ev->at, lock, h)) {
                char *d = lp_display(c->p->lt, lock);
                char *msg = xasprintf("relocking '%s' which is already held; this thread "
                                      "will deadlock", d);
                rc_finding *f = report(c, ev->at, msg);
                note_held(c, f, h);
                free(msg);
                free(d);
            }
            break;
        }
        if (!has_int(s->rel, s->nrel, lock) && expressible(c, lock))
            sum_add_acq(c, s, lock, ev->mode, ev->at, -1, -1, 0, NULL, 0);
    }
    /* A blocking lock is held unless its result is tested and says no
     * (`if (pthread_mutex_lock(&m) != 0) return`); a try is weak: held
     * or not, only a test of its result tells. */
    held h = {lock, ev->mode, ev->uid, 0, ev->is_try, ev->at, -1, -1, 0};
    add_held(s, h);
}

/* The integer constant an argument's value path is, into *v. */
static int const_arg(lp_table *lt, int vpath, long long *v)
{
    if (vpath < 0 || (vpath & 1))
        return 0;
    const lp_path *x = lp_get(lt, vpath >> 1);
    if (!x || x->base != LP_CONST)
        return 0;
    *v = atoll(lp_str(lt, x->base_key));
    return 1;
}

/* Does a constant argument say the callee does not take a? */
static int guard_fails(lp_table *lt, const sum_acq *a, const ri_event *ev)
{
    for (unsigned i = 0; i < a->nguard; i++) {
        const guard *g = &a->guard[i];
        unsigned pi = (unsigned)g->param;
        long long v;
        if (pi >= ev->nargs || !const_arg(lt, ev->args[pi], &v))
            continue;
        if ((g->zn >= 0 && (v != 0) != g->zn) ||
            (g->vrel >= 0 && (v == atoll(lp_str(lt, g->val))) != g->vrel))
            return 1;
    }
    return 0;
}

static int varset_has(const varset *vs, int x)
{
    unsigned lo = 0, hi = vs->n;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (vs->v[mid] < x)
            lo = mid + 1;
        else if (vs->v[mid] > x)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void varset_sort(varset *vs)
{
    qsort(vs->v, vs->n, sizeof *vs->v, cmp_int);
    unsigned n = 0;
    for (unsigned i = 0; i < vs->n; i++)
        if (!n || vs->v[n - 1] != vs->v[i])
            vs->v[n++] = vs->v[i];
    vs->n = n;
}

/* Add x to the sorted set; 1 if it was not there. */
static int varset_add(varset *vs, int x)
{
    if (varset_has(vs, x))
        return 0;
    unsigned i = vs->n;
    vs->v = xrealloc(vs->v, (vs->n + 1) * sizeof *vs->v);
    while (i > 0 && vs->v[i - 1] > x) {
        vs->v[i] = vs->v[i - 1];
        i--;
    }
    vs->v[i] = x;
    vs->n++;
    return 1;
}

/* Add the sorted set `from` to `into`; 1 if it grew.  One merge walk:
 * adding element by element cost a search and a shift each, which on git
 * was a quarter of the whole solve. */
static int varset_union(varset *into, const varset *from)
{
    unsigned extra = 0, i = 0, j = 0;
    while (j < from->n) {
        if (i < into->n && into->v[i] < from->v[j])
            i++;
        else {
            extra += i == into->n || into->v[i] != from->v[j];
            i += i < into->n && into->v[i] == from->v[j];
            j++;
        }
    }
    if (!extra)
        return 0;
    int *v = xmalloc((into->n + extra) * sizeof *v);
    unsigned n = 0;
    for (i = 0, j = 0; i < into->n || j < from->n;) {
        if (j == from->n || (i < into->n && into->v[i] < from->v[j]))
            v[n++] = into->v[i++];
        else if (i == into->n || from->v[j] < into->v[i])
            v[n++] = from->v[j++];
        else
            v[n++] = into->v[i++], j++;
    }
    free(into->v);
    into->v = v;
    into->n = n;
    return 1;
}

/* The global a call argument points into (`&cfg`, `&cfg.opts`, an array
 * `tab`), or -1. */
static int arg_points_into_global(lp_table *lt, int vpath)
{
    if (vpath < 0 || !(vpath & 1))
        return -1;
    const lp_path *x = lp_get(lt, vpath >> 1);
    return x && x->base == LP_GLOBAL ? x->base_key : -1;
}

static int passes_address_of(lp_table *lt, const ri_event *ev, int global)
{
    for (unsigned i = 0; i < ev->nargs; i++)
        if (arg_points_into_global(lt, ev->args[i]) == global)
            return 1;
    return 0;
}

/* Facts about the globals the call may change are gone (call_effects
 * says which: `if (threaded) lock(); log(x); if (threaded) unlock();`
 * keeps its correlation when log changes no `threaded`).  A function the
 * program does not define changes none but those it is given the address
 * of: a library cannot name the program's globals (Infer's Pulse assumes
 * as much of unknown code; clang's static analyzer of system functions),
 * and a file left out of the run should not make its callers' flags
 * unknown, or a pre-commit run over the changed files alone would report
 * what the full run does not. */
static void forget_globals(actx *c, state *s, const ri_event *ev, int fn)
{
    sum_program *p = c->p;
    const varset *mods = ev->callee < 0 ? &p->indirect : fn >= 0 ? &p->mods[fn] : NULL;
    unsigned n = 0;
    for (unsigned i = 0; i < s->nf; i++) {
        const fact *f = &s->f[i];
        if (f->glob) {
            int root = lp_key_root(p->lt, f->var);
            if (passes_address_of(p->lt, ev, root) ||
                (mods && (varset_has(mods, f->var) || varset_has(mods, root))))
                continue;
        }
        s->f[n++] = *f;
    }
    s->nf = n;
}

/* ---- summaries for constant arguments ------------------------------------
 * One summary per function cannot say "pause_threads(PAUSE) returns
 * holding the locks, pause_threads(RESUME) releases them": a guard says
 * when an acquisition happens, not what is held or released on return.
 * A call that passes constants for parameters its callee tests (and never
 * assigns) uses the callee analysed anew with those values known: its
 * callees' summaries are final (callees are solved first), and the result
 * is kept per callee and values.  Not inside a cycle of calls, whose
 * summaries are still moving.
 *
 * The cache is shared by the components solved at once: a summary made by
 * one serves the others, and is the same whichever makes it.  What could
 * differ is whether the cap stops one from being made; so the cap counts
 * the summaries each component uses, which depends on it alone. */
typedef struct spec {
    int fn;
    unsigned n;
    unsigned param[GUARD_CAP];
    long long value[GUARD_CAP];
    summary sum;
} spec;

static void analyse(actx *c, const state *init);

static const spec *find_spec(spec *const *v, size_t n, const spec *k)
{
    for (size_t i = 0; i < n; i++) {
        const spec *x = v[i];
        if (x->fn == k->fn && x->n == k->n &&
            !memcmp(x->param, k->param, k->n * sizeof *k->param) &&
            !memcmp(x->value, k->value, k->n * sizeof *k->value))
            return x;
    }
    return NULL;
}

/* The component uses summary x, unless that would take it over the cap. */
static const summary *use_spec(comp_run *cr, const spec *x)
{
    for (size_t i = 0; i < cr->nused; i++)
        if (cr->used[i] == x)
            return &x->sum;
    if (cr->nused >= SPEC_CAP)
        return NULL;
    VEC_PUSH(cr->used, cr->nused, cr->capused, x);
    return &x->sum;
}

static const summary *specialised(actx *c, int fn, const ri_event *ev)
{
    sum_program *p = c->p;
    if (!p->comp_of || p->comp_of[fn] == c->cr->comp || p->lock_free[fn])
        return NULL;
    const ri_func *f = p->fns[fn];
    spec k = {fn, 0, {0}, {0}, {0}};
    for (unsigned i = 0; i < ev->nargs && i < f->nparams && i < 64 && k.n < GUARD_CAP; i++) {
        /* Cheapest test first: most arguments are not constants, and a
         * parameter's key costs a formatted string and a lookup. */
        long long v;
        if (!const_arg(p->lt, ev->args[i], &v) || (f->assigned_params >> i & 1))
            continue;
        int key = lp_param_key(p->lt, i, 0);
        if (key >= 0 && varset_has(&p->tested[fn], key))
            k.param[k.n] = i, k.value[k.n++] = v;
    }
    if (!k.n)
        return NULL;
    /* A recursive function's summary being made, when it calls itself with
     * the same constants: the summary so far. */
    comp_run *cr = c->cr;
    const spec *x = find_spec(cr->making, cr->nmaking, &k);
    if (x)
        return &x->sum;
    pthread_mutex_lock(&p->spec_mu);
    x = find_spec(p->specs, p->nspecs, &k);
    pthread_mutex_unlock(&p->spec_mu);
    if (x)
        return use_spec(cr, x);
    if (cr->nused >= SPEC_CAP)
        return NULL;
    state init = {0};
    for (unsigned i = 0; i < k.n; i++) {
        fact *f0 = get_fact(&init, lp_param_key(p->lt, k.param[i], 1), 0);
        f0->zn = k.value[i] != 0;
        if (k.value[i])
            f0->vrel = 1, f0->val = lp_int_id(p->lt, k.value[i]);
    }
    /* Made without the lock (the run asks for summaries of its own
     * callees), and shared once complete; if another component shared the
     * same meanwhile, that one serves, and this one, equal, goes. */
    spec *sp = xmalloc(sizeof *sp);
    *sp = k;
    VEC_PUSH(cr->used, cr->nused, cr->capused, sp);
    size_t used_at = cr->nused - 1;
    VEC_PUSH(cr->making, cr->nmaking, cr->capmaking, sp);
    actx sc = {p, fn, p->fns[fn], &sp->sum, 0, cr, c->check, &p->tested[fn], NULL, 0};
    analyse(&sc, &init);
    st_free(&init);
    cr->nmaking--;
    pthread_mutex_lock(&p->spec_mu);
    x = find_spec(p->specs, p->nspecs, &k);
    if (!x) {
        VEC_PUSH(p->specs, p->nspecs, p->capspecs, sp);
        x = sp;
        sp = NULL;
    }
    pthread_mutex_unlock(&p->spec_mu);
    if (sp) {
        summary_clear(&sp->sum);
        free(sp);
    }
    cr->used[used_at] = x;
    return &x->sum;
}

static int do_call(actx *c, state *s, const ri_event *ev)
{
    int fn = fn_index(c->p, ev->callee);
    forget_globals(c, s, ev, fn);
    if (fn < 0)
        return 1;  /* unknown callee: neutral */
    const summary *g = specialised(c, fn, ev);
    if (!g)
        g = &c->p->sums[fn];
    lp_table *lt = c->p->lt;
    for (unsigned i = 0; i < g->nacq; i++) {
        const sum_acq *a = &g->acq[i];
        if (guard_fails(lt, a, ev))
            continue;
        int lock = lp_subst(lt, a->lock, ev->args, ev->nargs);
        if (lock < 0)
            continue;
        if (!is_recursive(c->p, lock)) {
            int reported = 0;
            for (unsigned j = 0; j < s->nh && !reported; j++)
                if (s->h[j].lock == lock && conflicts(s->h[j].mode, a->mode)) {
                    report_call(c, ev, fn, a, lock, &s->h[j]);
                    reported = 1;
                }
            for (unsigned j = 0; j < a->nalso && !reported; j++)
                if (conflicts(a->also[j].mode, a->mode) &&
                    lp_subst(lt, a->also[j].lock, ev->args, ev->nargs) == lock) {
                    report_call(c, ev, fn, a, lock, NULL);
                    reported = 1;
                }
        }
        if (!has_int(s->rel, s->nrel, lock) && expressible(c, lock)) {
            lockmode extra[ALSO_CAP];
            unsigned nextra = 0;
            for (unsigned j = 0; j < a->nalso && nextra < ALSO_CAP; j++) {
                int l = lp_subst(lt, a->also[j].lock, ev->args, ev->nargs);
                if (l >= 0)
                    extra[nextra++] = (lockmode){l, a->also[j].mode};
            }
            sum_add_acq(c, s, lock, a->mode, ev->at, fn, a->lock, a->mode, extra, nextra);
        }
    }
    for (unsigned i = 0; i < g->nrel; i++) {
        int lock = lp_subst(lt, g->rel[i], ev->args, ev->nargs);
        if (lock >= 0)
            do_release(c, s, lock);
    }
    for (unsigned i = 0; i < g->nmayrel; i++) {
        int lock = lp_subst(lt, g->mayrel[i].lock, ev->args, ev->nargs);
        if (lock < 0)
            continue;
        /* Undo a partial hold; keep a lock surely taken (or taken unless
         * its lock call failed) -- held now only where the result says the
         * callee did not release it, when it says; pass it on to our
         * callers as a maybe-release when we do not hold it at all. */
        unsigned k = 0, had = s->nh;
        for (unsigned j = 0; j < s->nh; j++) {
            held *h = &s->h[j];
            if (h->lock == lock && h->cond)
                continue;
            if (h->lock == lock && (h->tent < 0 || !h->weak) && g->mayrel[i].pol >= 0)
                h->tent = ev->uid, h->pol = (unsigned char)!g->mayrel[i].pol;
            s->h[k++] = *h;
        }
        s->nh = k;
        if (k == had && !holds(s, lock))
            add_int(&s->mrel, &s->nmrel, lock);
    }
    for (unsigned i = 0; i < g->nheld; i++) {
        int lock = lp_subst(lt, g->held[i].lock, ev->args, ev->nargs);
        if (lock < 0)
            continue;
        held h = {lock, g->held[i].mode, g->held[i].tent ? ev->uid : -1, g->held[i].pol,
                  g->held[i].tent, ev->at, ev->callee_name,
                  g->held[i].partial ? g->held[i].leak : -1, g->held[i].partial};
        add_held(s, h);
    }
    for (unsigned i = 0; i < g->ninitrec; i++) {
        int lock = lp_subst(lt, g->initrec[i], ev->args, ev->nargs);
        int cls = lp_class(lt, lock);
        if (cls >= 0)
            sum_add_recursive_class(c->p, cls);
        else if (lock >= 0 && expressible(c, lock) && !has_int(c->sum->initrec, c->sum->ninitrec, lock))
            VEC_PUSH(c->sum->initrec, c->sum->ninitrec, c->sum->capinitrec, lock);
    }
    return !g->noreturn;
}

/* Assigning a global struct, or a struct field of one, changes the
 * fields within it: facts about those go too (the assigned key's own fact
 * is do_set's). */
static void drop_fields(actx *c, state *s, const ri_event *ev)
{
    if (!ev->glob || !ev->agg || !s->nf)
        return;
    unsigned n = 0;
    for (unsigned i = 0; i < s->nf; i++) {
        const fact *f = &s->f[i];
        if (f->glob && f->var != ev->var && lp_key_within(c->p->lt, f->var, ev->var))
            continue;
        s->f[n++] = *f;
    }
    s->nf = n;
}

static void do_set(actx *c, state *s, const ri_event *ev)
{
    /* The same expression may now name another lock: forget the old one. */
    unsigned n = 0;
    for (unsigned i = 0; i < s->nh; i++)
        if (!lp_depends_on(c->p->lt, s->h[i].lock, ev->var))
            s->h[n++] = s->h[i];
    s->nh = n;
    drop_fields(c, s, ev);
    /* A fact about a variable no branch reads (directly or through
     * copies) can decide nothing; keeping it would only tell otherwise
     * equal states apart.  No such fact is ever made, so none to drop. */
    if (!varset_has(c->tested, ev->var))
        return;
    fact copy = {.var = -1, .res = -1, .val = -1, .zn = -1, .glob = 0, .rneg = 0, .vrel = -1};
    int is_copy = ev->how == RI_SET_COPY || ev->how == RI_SET_NOT_COPY;
    if (is_copy && find_fact(s, ev->uid)) {
        copy = *find_fact(s, ev->uid);
        if (ev->how == RI_SET_NOT_COPY) {
            if (copy.zn >= 0)
                copy.zn = (signed char)!copy.zn;
            copy.rneg ^= 1;
            copy.vrel = -1, copy.val = -1;  /* !x is 0 or 1 */
        }
    }
    drop_fact(s, ev->var);
    if (!ev->track || ev->how == RI_SET_UNKNOWN)
        return;
    if (is_copy) {
        if (copy.zn >= 0 || copy.res >= 0 || copy.vrel >= 0) {
            fact *f = get_fact(s, ev->var, ev->glob);
            f->zn = copy.zn;
            f->res = copy.res;
            f->rneg = copy.res >= 0 ? copy.rneg : 0;
            f->vrel = copy.vrel;
            f->val = copy.val;
        }
        return;
    }
    fact *f = get_fact(s, ev->var, ev->glob);
    if (ev->how == RI_SET_ZERO)
        f->zn = 0;
    else if (ev->how == RI_SET_NONZERO)
        f->zn = 1;
    else
        f->res = ev->uid, f->rneg = ev->how == RI_SET_NOT_RESULT;
}

/* Apply one event; 0 when the path ends (a call that never returns). */
static int transfer(actx *c, state *s, const ri_event *ev)
{
    switch (ev->kind) {
    case RI_ACQ:
        do_acquire(c, s, ev);
        return 1;
    case RI_REL:
        do_release(c, s, ev->lock);
        return 1;
    case RI_CALL:
        return do_call(c, s, ev);
    case RI_SET:
        do_set(c, s, ev);
        return 1;
    case RI_NORETURN:
        return 0;
    case RI_INITREC:
        if (ev->var < 0 || flag_get(c->p->rec_attr, c->p->nrec_attr, ev->var)) {
            int cls = lp_class(c->p->lt, ev->lock);
            if (cls >= 0)
                sum_add_recursive_class(c->p, cls);
            else if (expressible(c, ev->lock) &&
                     !has_int(c->sum->initrec, c->sum->ninitrec, ev->lock))
                VEC_PUSH(c->sum->initrec, c->sum->ninitrec, c->sum->capinitrec, ev->lock);
        }
        return 1;
    }
    return 1;
}

/* The result of event uid is known zero (nonzero = 0) or not: what is
 * held only for the other outcome is not held. */
static void undo_result(state *s, int uid, int nonzero)
{
    unsigned n = 0;
    for (unsigned i = 0; i < s->nh; i++)
        if (s->h[i].tent != uid || s->h[i].pol == nonzero)
            s->h[n++] = s->h[i];
    s->nh = n;
}

/* Take edge e from state s; 0 when the edge is infeasible for it. */
static int assume(state *s, const ri_edge *e)
{
    fact *f;
    switch (e->assume) {
    case RA_NONE:
        return 1;
    case RA_FALSE:
        return 0;
    case RA_VAR_ZERO:
    case RA_VAR_NONZERO: {
        int nz = e->assume == RA_VAR_NONZERO;
        f = find_fact(s, e->arg);
        if (f && f->zn >= 0 && f->zn != nz)
            return 0;
        if (f && f->res >= 0)
            undo_result(s, f->res, nz ^ f->rneg);  /* lock calls return 0 on success */
        /* Lowering only assumes things of variables it may track (not
         * address-taken, not volatile), so the fact can be kept. */
        if (!f)
            f = get_fact(s, e->arg, e->glob);
        f->zn = (signed char)nz;
        return 1;
    }
    case RA_RES_ZERO:
    case RA_RES_NONZERO:
        undo_result(s, e->arg, e->assume == RA_RES_NONZERO);
        return 1;
    case RA_VAR_EQ:
        /* x == K (K non-zero): no other value, not a value it is not. */
        f = find_fact(s, e->arg);
        if (f && (f->zn == 0 || (f->vrel == 1 && f->val != e->val) ||
                  (f->vrel == 0 && f->val == e->val)))
            return 0;
        if (f && f->res >= 0)
            undo_result(s, f->res, 1 ^ f->rneg);
        if (!f)
            f = get_fact(s, e->arg, e->glob);
        f->zn = 1, f->vrel = 1, f->val = e->val;
        return 1;
    case RA_VAR_NE:
        f = find_fact(s, e->arg);
        if (f && f->vrel == 1)
            return f->val != e->val;  /* another value: nothing new */
        if (!f)
            f = get_fact(s, e->arg, e->glob);
        f->vrel = 0, f->val = e->val;
        return 1;
    }
    return 1;
}

static const sum_mayrel *find_mayrel(const summary *s, int lock)
{
    for (unsigned i = 0; i < s->nmayrel; i++)
        if (s->mayrel[i].lock == lock)
            return &s->mayrel[i];
    return NULL;
}

static int sum_equal(const summary *a, const summary *b)
{
    if (a->nacq != b->nacq || a->nheld != b->nheld || a->nrel != b->nrel ||
        a->nmayrel != b->nmayrel || a->noreturn != b->noreturn || a->ninitrec != b->ninitrec)
        return 0;
    for (unsigned i = 0; i < a->nacq; i++) {
        const sum_acq *x = &a->acq[i], *y = find_acq(b, a->acq[i].lock, a->acq[i].mode);
        if (!y || x->nalso != y->nalso || x->nguard != y->nguard)
            return 0;
        for (unsigned j = 0; j < x->nguard; j++)
            if (x->guard[j].param != y->guard[j].param || x->guard[j].zn != y->guard[j].zn ||
                x->guard[j].vrel != y->guard[j].vrel || x->guard[j].val != y->guard[j].val)
                return 0;
        for (unsigned j = 0; j < x->nalso; j++) {
            int found = 0;
            for (unsigned k = 0; k < y->nalso && !found; k++)
                found = x->also[j].lock == y->also[k].lock && x->also[j].mode == y->also[k].mode;
            if (!found)
                return 0;
        }
    }
    for (unsigned i = 0; i < a->nheld; i++) {
        int found = 0;
        for (unsigned j = 0; j < b->nheld && !found; j++)
            found = a->held[i].lock == b->held[j].lock && a->held[i].mode == b->held[j].mode &&
                    a->held[i].tent == b->held[j].tent && a->held[i].pol == b->held[j].pol &&
                    a->held[i].partial == b->held[j].partial &&
                    a->held[i].leak == b->held[j].leak;
        if (!found)
            return 0;
    }
    for (unsigned i = 0; i < a->nrel; i++)
        if (!has_int(b->rel, b->nrel, a->rel[i]))
            return 0;
    for (unsigned i = 0; i < a->nmayrel; i++) {
        const sum_mayrel *y = find_mayrel(b, a->mayrel[i].lock);
        if (!y || y->pol != a->mayrel[i].pol)
            return 0;
    }
    for (unsigned i = 0; i < a->ninitrec; i++)
        if (!has_int(b->initrec, b->ninitrec, a->initrec[i]))
            return 0;
    return 1;
}

/* How exit states that hold `lock` (and those that do not) agree on the
 * returned value: 0 "held only if $ret == 0", 1 "held only if $ret != 0",
 * -1 no such correlation.  Where it is not held the value may be either
 * (libgit2's `return error;` with the lock still held, next to error
 * returns that released it): the caller's test of the result then clears
 * the lock on the other branch, and leaves it maybe-held (partial) on this
 * one.  Also clears *tent_only unless every holding entry is the undecided
 * result of a try. */
static int held_by_result(actx *c, const stlist *ex, int lock, unsigned char mode,
                          int *tent_only)
{
    int ret = c->p->ret_key;
    int zn_held = -2, held_ok = 1, free_zero = 0, free_nonzero = 0;
    /* `return trylock(&m) == 0;`: where it is held, the returned value is
     * that result (or its negation), which tells. */
    int linked = -2;
    for (unsigned i = 0; i < ex->n && linked != -1; i++) {
        state *s = &ex->v[i];
        fact *f = find_fact(s, ret);
        for (unsigned j = 0; j < s->nh && linked != -1; j++) {
            const held *h = &s->h[j];
            if (h->lock != lock || h->mode != mode)
                continue;
            int pol = f && f->res >= 0 && f->res == h->tent ? h->pol ^ f->rneg : -1;
            linked = linked == -2 || linked == pol ? pol : -1;
        }
    }
    *tent_only = 1;
    if (linked >= 0)
        return linked;
    for (unsigned i = 0; i < ex->n; i++) {
        state *s = &ex->v[i];
        int has = 0;
        for (unsigned j = 0; j < s->nh; j++)
            if (s->h[j].lock == lock && s->h[j].mode == mode) {
                has = 1;
                if (s->h[j].tent < 0 || s->h[j].pol != 0 || !s->h[j].weak)
                    *tent_only = 0;
            }
        fact *f = find_fact(s, ret);
        int zn = f ? f->zn : -1;
        if (has) {
            if (zn < 0 || (zn_held != -2 && zn_held != zn))
                held_ok = 0;
            zn_held = zn;
        } else {
            free_zero |= zn == 0;
            free_nonzero |= zn == 1;
        }
    }
    if (!held_ok || zn_held < 0 || !(zn_held ? free_zero : free_nonzero))
        return -1;
    return zn_held == 0 ? 0 : 1;
}

/* How exit states agree on the returned value where a lock the function
 * did not take was released and where it was not: 0 "released only if $ret
 * == 0", 1 "only if != 0", -1 no such link.  curl's thrdpool_unlink(pool,
 * TRUE) returns TRUE once it has released its caller's lock and freed the
 * pool, and its caller releases the lock only when it returns FALSE. */
static int released_by_result(actx *c, const stlist *ex, int lock)
{
    int zn_rel = -2, zn_kept = -2;
    for (unsigned k = 0; k < ex->n; k++) {
        const state *s = &ex->v[k];
        const fact *f = find_fact(s, c->p->ret_key);
        int zn = f ? f->zn : -1;
        int rel = has_int(s->rel, s->nrel, lock) && !holds(s, lock);
        int kept = holds(s, lock) || !has_int(s->mrel, s->nmrel, lock);
        int *seen = rel ? &zn_rel : &zn_kept;
        if (zn < 0 || (!rel && !kept) || (*seen != -2 && *seen != zn))
            return -1;
        *seen = zn;
    }
    return zn_rel >= 0 && zn_kept >= 0 && zn_rel != zn_kept ? zn_rel : -1;
}

/* The leak that a partial hold of h's lock at exit is part of: a callee's,
 * passed on, or one that begins here, where the function took the lock and
 * released it on other paths (`lock; if (err) return err; ... unlock`).  A
 * conditional lock (`if (active(c)) lock(&c->mu);`) is no leak: each of its
 * callers decides what it does with it.  -1: none. */
static int leak_origin(actx *c, const stlist *ex, const held *h)
{
    for (unsigned k = 0; k < ex->n; k++)
        for (unsigned m = 0; m < ex->v[k].nh; m++) {
            const held *x = &ex->v[k].h[m];
            if (x->lock == h->lock && x->cond && x->leak >= 0)
                return x->leak;
        }
    if (h->at.file >= 0 && has_int(c->own_rel, c->nown_rel, h->lock))
        return leak_key(c, h->at);
    return -1;
}

/* What the function's exit states say about held and released locks. */
static void summarise_exit(actx *c, const stlist *ex, int complete)
{
    summary *sum = c->sum;
    sum->noreturn = complete && ex->n == 0;
    for (unsigned i = 0; i < ex->n; i++)
        for (unsigned j = 0; j < ex->v[i].nh; j++) {
            const held *h = &ex->v[i].h[j];
            if (!expressible(c, h->lock))
                continue;
            int dup = 0;
            for (unsigned k = 0; k < sum->nheld && !dup; k++)
                dup = sum->held[k].lock == h->lock && sum->held[k].mode == h->mode;
            if (dup || sum->nheld >= SUM_CAP)
                continue;
            /* Held only when the result says so (a trylock wrapper, a
             * lookup that returns locked on success): the caller's branch
             * on the result decides, as for trylock itself. */
            int tent_only;
            int pol = held_by_result(c, ex, h->lock, h->mode, &tent_only);
            sum_held x = {h->lock, h->mode, 0, 0, 0, -1};
            if (pol >= 0)
                x.tent = 1, x.pol = (unsigned char)pol;
            else if (tent_only)
                x.tent = 1, x.pol = 0;
            /* `if (active(c)) lock(&c->mu);`: held on some returns only,
             * or taken from such a callee and passed on. */
            for (unsigned k = 0; k < ex->n && !x.partial; k++) {
                int has = 0;
                for (unsigned m = 0; m < ex->v[k].nh; m++)
                    if (ex->v[k].h[m].lock == h->lock) {
                        has = 1;
                        x.partial |= ex->v[k].h[m].cond;
                    }
                x.partial |= !has;
            }
            if (x.partial)
                x.leak = leak_origin(c, ex, h);
            VEC_PUSH(sum->held, sum->nheld, sum->capheld, x);
        }
    if (ex->n == 0)
        return;
    /* Surely released: released on every path and held on none at exit. */
    for (unsigned i = 0; i < ex->v[0].nrel; i++) {
        int lock = ex->v[0].rel[i], all = expressible(c, lock);
        for (unsigned k = 1; k < ex->n && all; k++)
            all = has_int(ex->v[k].rel, ex->v[k].nrel, lock);
        for (unsigned k = 0; k < ex->n && all; k++)
            all = !holds(&ex->v[k], lock);
        if (all)
            VEC_PUSH(sum->rel, sum->nrel, sum->caprel, lock);
    }
    /* Released on some paths only (`if (active(c)) unlock(&c->mu);`): it
     * undoes a partial hold of the same lock in the caller (see held.cond),
     * and makes a sure one depend on the result when that tells. */
    for (unsigned i = 0; i < ex->n; i++)
        for (unsigned j = 0; j < ex->v[i].nmrel; j++) {
            int lock = ex->v[i].mrel[j];
            if (expressible(c, lock) && !has_int(sum->rel, sum->nrel, lock) &&
                !find_mayrel(sum, lock)) {
                sum_mayrel m = {lock, (signed char)released_by_result(c, ex, lock)};
                VEC_PUSH(sum->mayrel, sum->nmayrel, sum->capmayrel, m);
            }
        }
}

/* Analyse function fidx with the current summaries; build its new summary
 * into *out.  Reports when c->report. */
static void analyse(actx *c, const state *init)
{
    ri_func *f = c->f;
    stlist *in = xcalloc(f->nblocks, sizeof *in);
    unsigned char *queued = xcalloc(f->nblocks, 1);
    unsigned *work = xmalloc((f->nblocks + 1) * sizeof *work);
    size_t nwork = 0;
    state first = {0};
    if (init)
        first = st_copy(init);
    stlist_add(&in[f->entry], first);
    work[nwork++] = f->entry;
    queued[f->entry] = 1;
    /* Each block's states only grow and are bounded, so this ends; the
     * budget is a guard for pathological inputs. */
    size_t budget = (size_t)f->nblocks * 64 + 1024;
    while (nwork > 0 && budget > 0) {
        budget--;
        unsigned b = work[--nwork];
        queued[b] = 0;
        const ri_block *blk = &f->blocks[b];
        unsigned first = in[b].done, nst = in[b].n - first;
        state *snap = xmalloc((nst ? nst : 1) * sizeof *snap);
        for (unsigned i = 0; i < nst; i++)
            snap[i] = st_copy(&in[b].v[first + i]);
        in[b].done = in[b].n;
        for (unsigned i = 0; i < nst; i++) {
            state *s = &snap[i];
            int alive = 1;
            for (unsigned j = 0; j < blk->nev && alive; j++)
                alive = transfer(c, s, &blk->ev[j]);
            for (unsigned j = 0; j < blk->nsucc && alive; j++) {
                /* The last edge takes s over: one copy fewer per state. */
                int last = j + 1 == blk->nsucc;
                state e = last ? *s : st_copy(s);
                if (last)
                    memset(s, 0, sizeof *s);
                if (!assume(&e, &blk->succ[j])) {
                    st_free(&e);
                    continue;
                }
                unsigned to = blk->succ[j].to;
                if (stlist_add(&in[to], e) && !queued[to]) {
                    queued[to] = 1;
                    work[nwork++] = to;
                }
            }
            st_free(s);
        }
        free(snap);
    }
    summarise_exit(c, &in[f->exit], nwork == 0);
    free(c->own_rel);
    c->own_rel = NULL;
    c->nown_rel = 0;
    for (unsigned i = 0; i < f->nblocks; i++) {
        for (unsigned j = 0; j < in[i].n; j++)
            st_free(&in[i].v[j]);
        free(in[i].v);
    }
    free(in);
    free(queued);
    free(work);
}

/* The variables whose values can decide something in f: those its
 * branches test, the returned value, and what is copied into them. */
static void tested_vars(sum_program *p, const ri_func *f, varset *out)
{
    size_t n = 0, cap = 0;
    int *v = NULL;
    VEC_PUSH(v, n, cap, p->ret_key);
    for (unsigned b = 0; b < f->nblocks; b++)
        for (unsigned i = 0; i < f->blocks[b].nsucc; i++) {
            const ri_edge *e = &f->blocks[b].succ[i];
            if (ri_assumes_var(e->assume))
                VEC_PUSH(v, n, cap, e->arg);
        }
    out->v = v;
    out->n = (unsigned)n;
    varset_sort(out);
    for (int changed = 1; changed;) {
        changed = 0;
        n = out->n;
        for (unsigned b = 0; b < f->nblocks; b++)
            for (unsigned i = 0; i < f->blocks[b].nev; i++) {
                const ri_event *ev = &f->blocks[b].ev[i];
                if (ev->kind == RI_SET &&
                    (ev->how == RI_SET_COPY || ev->how == RI_SET_NOT_COPY) && ev->uid >= 0 &&
                    varset_has(out, ev->var) && !varset_has(out, ev->uid)) {
                    VEC_PUSH(out->v, n, cap, ev->uid);
                    changed = 1;
                }
            }
        out->n = (unsigned)n;
        varset_sort(out);
    }
}

/* What each function's calls may change, for forget_globals: mods[f],
 * the globals f or its callees assign, or point a callee at (memset(&cfg,
 * ...), reset(&cfg): what is done through a pointer is not in the IR) --
 * a scalar assigned by its key (`cfg.verbose = 1` leaves facts about
 * `cfg.threads`), a struct by the global's (its root: a struct field
 * assigned in a callee is rare enough to take the whole global).  A call
 * through a pointer may reach any function whose address is taken: what
 * they may change is `indirect`.  Only the globals some function tests
 * are collected: facts exist about no other.
 *
 * The components of the call graph (comp, start: see call_sccs) are
 * visited callees first, so each call edge adds its callee's set once per
 * pass; a pass that grows `indirect` is followed by another.  (A worklist
 * that re-added a changed callee's whole set to every caller, element by
 * element, cost half of git's solve.) */
static void call_effects(sum_program *p, int *const *callers, const size_t *ncallers,
                         const unsigned *comp, const size_t *start, size_t ncomp,
                         const unsigned *comp_of)
{
    size_t n = p->nfns, ns = lp_nstrs(p->lt);
    unsigned char *wanted = xcalloc(ns ? ns : 1, 1);  /* keys and their roots */
    for (size_t i = 0; i < n; i++)
        for (unsigned k = 0; k < p->tested[i].n; k++) {
            int v = p->tested[i].v[k], r = lp_key_root(p->lt, v);
            if (v >= 0 && (size_t)v < ns)
                wanted[v] = 1;
            if (r >= 0 && (size_t)r < ns)
                wanted[r] = 1;
        }
    p->mods = xcalloc(n ? n : 1, sizeof *p->mods);
    unsigned char *indirect = xcalloc(n ? n : 1, 1);
    for (size_t i = 0; i < n; i++) {
        const ri_func *f = p->fns[i];
        for (unsigned b = 0; b < f->nblocks; b++)
            for (unsigned e = 0; e < f->blocks[b].nev; e++) {
                const ri_event *ev = &f->blocks[b].ev[e];
                int r = -1;
                if (ev->kind == RI_SET && ev->glob)
                    r = ev->agg ? lp_key_root(p->lt, ev->var) : ev->var;
                if (r >= 0 && (size_t)r < ns && wanted[r])
                    varset_add(&p->mods[i], r);
                if (ev->kind != RI_CALL)
                    continue;
                if (ev->callee < 0)
                    indirect[i] = 1;
                for (unsigned a = 0; a < ev->nargs; a++) {
                    r = arg_points_into_global(p->lt, ev->args[a]);
                    if (r >= 0 && (size_t)r < ns && wanted[r])
                        varset_add(&p->mods[i], r);
                }
            }
    }
    /* Each function's distinct callees outside its own component. */
    size_t *ncallees = xcalloc(n ? n : 1, sizeof *ncallees);
    size_t *capcallees = xcalloc(n ? n : 1, sizeof *capcallees);
    unsigned **callees = xcalloc(n ? n : 1, sizeof *callees);
    for (size_t g = 0; g < n; g++)
        for (size_t k = 0; k < ncallers[g]; k++) {
            unsigned c = (unsigned)callers[g][k];
            if (comp_of[c] != comp_of[g])
                VEC_PUSH(callees[c], ncallees[c], capcallees[c], (unsigned)g);
        }
    for (int grew = 1; grew;) {
        for (size_t k = 0; k < ncomp; k++) {
            varset u = {0};
            int via_pointer = 0;
            for (size_t m = start[k]; m < start[k + 1]; m++) {
                unsigned f = comp[m];
                varset_union(&u, &p->mods[f]);
                via_pointer |= indirect[f];
                for (size_t j = 0; j < ncallees[f]; j++)
                    varset_union(&u, &p->mods[callees[f][j]]);
            }
            if (via_pointer)
                varset_union(&u, &p->indirect);
            /* Every member reaches every other: they share one set (the
             * first takes u itself, the others a copy). */
            for (size_t m = start[k] + 1; m < start[k + 1]; m++) {
                unsigned f = comp[m];
                free(p->mods[f].v);
                p->mods[f].n = u.n;
                p->mods[f].v = xmalloc((u.n ? u.n : 1) * sizeof *u.v);
                if (u.n)
                    memcpy(p->mods[f].v, u.v, u.n * sizeof *u.v);
            }
            free(p->mods[comp[start[k]]].v);
            p->mods[comp[start[k]]] = u;
        }
        grew = 0;
        for (size_t id = 0; id < p->naddr; id++) {
            int g = p->addr[id] ? fn_index(p, (int)id) : -1;
            if (g >= 0)
                grew |= varset_union(&p->indirect, &p->mods[g]);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(callees[i]);
    free(callees);
    free(ncallees);
    free(capcallees);
    free(wanted);
    free(indirect);
}

static void run(sum_program *p, int fidx, summary *out, int reporting, comp_run *cr,
                const char *check)
{
    actx c = {p, fidx, p->fns[fidx], out, reporting, cr, check, &p->tested[fidx], NULL, 0};
    analyse(&c, NULL);
}

/* ---- the whole program ------------------------------------------------ */

/* Can f's exit be reached from its entry at all, taking every edge? */
static int exit_reachable(const ri_func *f)
{
    unsigned char *seen = xcalloc(f->nblocks, 1);
    unsigned *work = xmalloc(f->nblocks * sizeof *work);
    size_t n = 0;
    work[n++] = f->entry;
    seen[f->entry] = 1;
    while (n > 0 && !seen[f->exit]) {
        const ri_block *b = &f->blocks[work[--n]];
        for (unsigned j = 0; j < b->nsucc; j++)
            if (!seen[b->succ[j].to]) {
                seen[b->succ[j].to] = 1;
                work[n++] = b->succ[j].to;
            }
    }
    int reached = seen[f->exit];
    free(seen);
    free(work);
    return reached;
}

/* Which functions need the dataflow.  One that takes, releases or marks
 * no lock and calls only such functions (or unknown ones) is lock-free: its
 * summary holds nothing but whether it returns, and it can report nothing.
 * If besides it has no noreturn call, directly or through its callees, and
 * its exit can be reached, it returns: its summary is the empty one and it
 * is not analysed at all (where only infeasible paths reach its exit, the
 * dataflow would have called it noreturn; taking it as returning keeps
 * more paths in its callers, never fewer).  lock_free[i] and trivial[i]
 * are set accordingly; callers[g] lists the functions calling g. */
static void classify(const sum_program *p, int *const *callers, const size_t *ncallers,
                     unsigned char *lock_free, unsigned char *trivial)
{
    size_t n = p->nfns;
    unsigned char *may_noreturn = xcalloc(n ? n : 1, 1);
    unsigned *work = xmalloc((2 * n + 1) * sizeof *work);
    size_t nwork = 0;
    for (size_t i = 0; i < n; i++) {
        const ri_func *f = p->fns[i];
        lock_free[i] = 1;
        may_noreturn[i] = !exit_reachable(f);
        for (unsigned b = 0; b < f->nblocks; b++)
            for (unsigned e = 0; e < f->blocks[b].nev; e++) {
                ri_kind k = f->blocks[b].ev[e].kind;
                if (k == RI_ACQ || k == RI_REL || k == RI_INITREC)
                    lock_free[i] = 0;
                if (k == RI_NORETURN)
                    may_noreturn[i] = 1;
            }
        if (!lock_free[i] || may_noreturn[i])
            work[nwork++] = (unsigned)i;
    }
    /* What a callee is, its callers become: lock-taking, maybe-noreturn. */
    while (nwork > 0) {
        unsigned g = work[--nwork];
        for (size_t k = 0; k < ncallers[g]; k++) {
            unsigned c = (unsigned)callers[g][k];
            int changed = 0;
            if (!lock_free[g] && lock_free[c])
                lock_free[c] = 0, changed = 1;
            if (may_noreturn[g] && !may_noreturn[c])
                may_noreturn[c] = 1, changed = 1;
            if (changed)
                work[nwork++] = c;
        }
    }
    for (size_t i = 0; i < n; i++)
        trivial[i] = lock_free[i] && !may_noreturn[i];
    free(may_noreturn);
    free(work);
}

/* The call graph's strongly connected components, callees first (the
 * order Tarjan's algorithm finds them in), with explicit stacks: a call
 * chain thousands deep must not overflow the C stack.  Component k is
 * comp[start[k] .. start[k + 1]); returns the number of components. */
static size_t call_sccs(sum_program *p, size_t n, unsigned *comp, size_t *start)
{
    typedef struct frame { unsigned fn, b, e; } frame;
    enum { UNSEEN = 0xffffffffu };
    unsigned *index = xmalloc((n ? n : 1) * sizeof *index);
    unsigned *low = xmalloc((n ? n : 1) * sizeof *low);
    unsigned char *on = xcalloc(n ? n : 1, 1);
    unsigned *stk = xmalloc((n ? n : 1) * sizeof *stk);
    frame *fr = xmalloc((n ? n : 1) * sizeof *fr);
    size_t nstk = 0, nfr = 0, ncomp = 0, ncomp_fns = 0;
    unsigned counter = 0;
    for (size_t i = 0; i < n; i++)
        index[i] = UNSEEN;
    start[0] = 0;
    for (size_t root = 0; root < n; root++) {
        if (index[root] != UNSEEN)
            continue;
        index[root] = low[root] = counter++;
        stk[nstk++] = (unsigned)root, on[root] = 1;
        fr[nfr++] = (frame){(unsigned)root, 0, 0};
        while (nfr > 0) {
            frame *t = &fr[nfr - 1];
            const ri_func *f = p->fns[t->fn];
            int next = -1;
            while (t->b < f->nblocks && next < 0) {
                if (t->e >= f->blocks[t->b].nev) {
                    t->b++, t->e = 0;
                    continue;
                }
                const ri_event *ev = &f->blocks[t->b].ev[t->e++];
                int g = ev->kind == RI_CALL ? fn_index(p, ev->callee) : -1;
                if (g < 0)
                    continue;
                if (index[g] == UNSEEN)
                    next = g;
                else if (on[g] && index[g] < low[t->fn])
                    low[t->fn] = index[g];
            }
            if (next >= 0) {
                index[next] = low[next] = counter++;
                stk[nstk++] = (unsigned)next, on[next] = 1;
                fr[nfr++] = (frame){(unsigned)next, 0, 0};
                continue;
            }
            unsigned v = t->fn;
            nfr--;
            if (nfr > 0 && low[v] < low[fr[nfr - 1].fn])
                low[fr[nfr - 1].fn] = low[v];
            if (low[v] != index[v])
                continue;
            unsigned w;
            do {
                w = stk[--nstk];
                on[w] = 0;
                comp[ncomp_fns++] = w;
            } while (w != v);
            start[++ncomp] = ncomp_fns;
        }
    }
    free(index);
    free(low);
    free(on);
    free(stk);
    free(fr);
    return ncomp;
}

/* The reporting run, summaries fixed, of the listed functions; a
 * lock-free one has nothing to report. */
static void report_all(sum_program *p, const unsigned *fns, size_t nfns,
                       const unsigned char *lock_free, comp_run *cr, const char *check)
{
    for (size_t i = 0; i < nfns; i++) {
        unsigned fi = fns[i];
        if (lock_free[fi])
            continue;
        summary scratch;
        memset(&scratch, 0, sizeof scratch);
        run(p, (int)fi, &scratch, 1, cr, check);
        summary_clear(&scratch);
    }
}

/* ---- solving the components, on one thread or several ----------------
 * Components come from call_sccs callees first, and each is solved with
 * its callees' final summaries: a function outside any cycle is analysed
 * once and reports in that same run.  So a component can be solved as
 * soon as the components of its callees are, and independent ones at the
 * same time.  What each makes does not depend on which others are done,
 * or in what order: its summaries and findings come from its callees'
 * summaries alone (a cached summary for constant arguments is the one it
 * would have made itself, see specialised), and ids, which do depend on
 * timing, are only compared for equality -- except variables', which
 * facts are sorted by, and which all exist before (sum_solve).  Findings
 * are gathered in component order afterwards, as one thread makes them. */

typedef struct solver {
    sum_program *p;
    const char *check;
    const unsigned *comp;       /* call_sccs' components */
    const size_t *start;
    size_t ncomp;
    int *const *callers;
    const size_t *ncallers;
    const unsigned char *trivial;
    unsigned *queue, *rounds;   /* per function: see solve_component */
    unsigned char *inq;
    comp_run *runs;             /* per component */
    /* The schedule: a component is ready once its callees' are solved. */
    unsigned *waiting;          /* per component: callee components left */
    unsigned **dependents;      /* per component: its callers' components */
    size_t *ndependents;
    unsigned *ready;
    size_t nready, left;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} solver;

static void solve_component(solver *sv, size_t k)
{
    sum_program *p = sv->p;
    comp_run *cr = &sv->runs[k];
    const unsigned *comp = sv->comp;
    size_t lo = sv->start[k], size = sv->start[k + 1] - lo;
    unsigned f0 = comp[lo];
    cr->comp = k;
    if (size == 1 && !has_int(sv->callers[f0], (unsigned)sv->ncallers[f0], (int)f0)) {
        if (!sv->trivial[f0])
            run(p, (int)f0, &p->sums[f0], !p->lock_free[f0], cr, sv->check);
        return;
    }
    /* A cycle: a FIFO over its members (in queue[lo, lo + size)); a
     * changed summary re-queues its callers inside the cycle. */
    size_t head = 0, count = 0;
    for (size_t i = lo; i < lo + size; i++)
        if (!sv->trivial[comp[i]]) {
            sv->queue[lo + (head + count++) % size] = comp[i];
            sv->inq[comp[i]] = 1;
        }
    while (count > 0) {
        unsigned fi = sv->queue[lo + head];
        head = (head + 1) % size, count--;
        sv->inq[fi] = 0;
        if (sv->rounds[fi]++ >= MAX_ROUNDS)
            continue;
        summary next;
        memset(&next, 0, sizeof next);
        run(p, (int)fi, &next, 0, cr, sv->check);
        if (sum_equal(&next, &p->sums[fi])) {
            summary_clear(&next);
            continue;
        }
        summary_clear(&p->sums[fi]);
        p->sums[fi] = next;
        for (size_t j = 0; j < sv->ncallers[fi]; j++) {
            unsigned cf = (unsigned)sv->callers[fi][j];
            if (p->comp_of[cf] == k && !sv->inq[cf] && !sv->trivial[cf]) {
                sv->inq[cf] = 1;
                sv->queue[lo + (head + count++) % size] = cf;
            }
        }
    }
    report_all(p, comp + lo, size, p->lock_free, cr, sv->check);
}

/* Take ready components until none is left. */
static void *solver_thread(void *arg)
{
    solver *sv = arg;
    pthread_mutex_lock(&sv->mu);
    for (;;) {
        while (!sv->nready && sv->left)
            pthread_cond_wait(&sv->cv, &sv->mu);
        if (!sv->nready)
            break;
        size_t k = sv->ready[--sv->nready];
        pthread_mutex_unlock(&sv->mu);
        solve_component(sv, k);
        pthread_mutex_lock(&sv->mu);
        sv->left--;
        size_t before = sv->nready;
        for (size_t i = 0; i < sv->ndependents[k]; i++) {
            unsigned d = sv->dependents[k][i];
            if (!--sv->waiting[d])
                sv->ready[sv->nready++] = d;
        }
        if (sv->nready > before + 1 || !sv->left)
            pthread_cond_broadcast(&sv->cv);
        else if (sv->nready > before)
            pthread_cond_signal(&sv->cv);
    }
    pthread_mutex_unlock(&sv->mu);
    return NULL;
}

/* Could several threads solve the components in less time than one?
 * Not when one chain of them -- often one big cycle -- holds most of the
 * functions to analyse: then sharing the tables would only cost.  The
 * work of a component is taken to be its functions that are analysed. */
static int worth_sharing(const solver *sv)
{
    size_t ncomp = sv->ncomp, total = 0, longest = 0;
    size_t *chain = xcalloc(ncomp, sizeof *chain);  /* longest chain ending here */
    for (size_t k = 0; k < ncomp; k++) {            /* callees first */
        size_t own = 0;
        for (size_t i = sv->start[k]; i < sv->start[k + 1]; i++)
            own += !sv->trivial[sv->comp[i]];
        total += own;
        chain[k] += own;
        if (chain[k] > longest)
            longest = chain[k];
        for (size_t i = 0; i < sv->ndependents[k]; i++) {
            unsigned d = sv->dependents[k][i];
            if (chain[k] > chain[d])
                chain[d] = chain[k];
        }
    }
    free(chain);
    return longest * 4 < total * 3;
}

/* The edges between components, each once (mark: the last callee
 * component that added caller component c). */
static void link_components(solver *sv)
{
    size_t ncomp = sv->ncomp;
    sv->waiting = xcalloc(ncomp, sizeof *sv->waiting);
    sv->dependents = xcalloc(ncomp, sizeof *sv->dependents);
    sv->ndependents = xcalloc(ncomp, sizeof *sv->ndependents);
    size_t *cap = xcalloc(ncomp, sizeof *cap);
    size_t *mark = xcalloc(ncomp, sizeof *mark);
    for (size_t k = 0; k < ncomp; k++)
        for (size_t i = sv->start[k]; i < sv->start[k + 1]; i++) {
            unsigned g = sv->comp[i];
            for (size_t j = 0; j < sv->ncallers[g]; j++) {
                unsigned c = sv->p->comp_of[sv->callers[g][j]];
                if (c == k || mark[c] == k + 1)
                    continue;
                mark[c] = k + 1;
                VEC_PUSH(sv->dependents[k], sv->ndependents[k], cap[k], c);
                sv->waiting[c]++;
            }
        }
    free(cap);
    free(mark);
}

/* Solve the components on `jobs` threads, each as soon as its callees'
 * are. */
static void solve_shared(solver *sv, unsigned jobs)
{
    sum_program *p = sv->p;
    size_t ncomp = sv->ncomp;
    sv->ready = xmalloc(ncomp * sizeof *sv->ready);
    /* Callees first, as a stack: the last pushed is taken first. */
    for (size_t k = ncomp; k-- > 0;)
        if (!sv->waiting[k])
            sv->ready[sv->nready++] = (unsigned)k;
    sv->left = ncomp;
    pthread_mutex_init(&sv->mu, NULL);
    pthread_cond_init(&sv->cv, NULL);
    lp_share(p->lt, 1);
    /* Large stacks: a summary for constant arguments analyses the callee
     * there and then, as deep as such calls nest. */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)1 << 28);
    pthread_t *th = xmalloc(jobs * sizeof *th);
    unsigned started = 0;
    while (started + 1 < jobs && pthread_create(&th[started], &attr, solver_thread, sv) == 0)
        started++;
    solver_thread(sv);
    for (unsigned t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_attr_destroy(&attr);
    free(th);
    lp_share(p->lt, 0);
    pthread_mutex_destroy(&sv->mu);
    pthread_cond_destroy(&sv->cv);
    free(sv->ready);
}

/* Solve every component: in order on this thread, or on `jobs` threads
 * as the schedule allows when that can gain. */
static void solve_all(solver *sv, unsigned jobs)
{
    size_t ncomp = sv->ncomp;
    if (jobs > ncomp)
        jobs = (unsigned)ncomp;
    if (jobs > 1)
        link_components(sv);
    if (jobs > 1 && worth_sharing(sv))
        solve_shared(sv, jobs);
    else
        for (size_t k = 0; k < ncomp; k++)
            solve_component(sv, k);
    if (jobs > 1) {
        for (size_t k = 0; k < ncomp; k++)
            free(sv->dependents[k]);
        free(sv->dependents);
        free(sv->ndependents);
        free(sv->waiting);
    }
}

/* A lock leak's findings: every later acquisition of the lock, in every
 * caller the leak reaches, deadlocks -- libgit2's one `return error;`
 * before an unlock gave 493 findings.  One fix ends them all, so the first
 * is reported, with a note on where the leak began, and the others are
 * counted there. */
typedef struct leak_seen {
    int leak;
    size_t idx;             /* the finding kept, among its component's kept */
    rc_finding *kept;       /* ...once they are filtered */
    size_t note;
    unsigned more;
} leak_seen;

/* findings_filter over one component's findings, in order: is the next
 * one's place and lock reported by no earlier component (which takes it
 * either way); when that was not known during the solve, is its lock still
 * not recursive; and is it the first of its leak? */
typedef struct gather_walk {
    sum_program *p;
    const comp_run *cr;
    size_t next, kept;
    leak_seen *leaks;
    size_t nleaks, capleaks;
} gather_walk;

static int keep_finding(const rc_finding *f, void *ud)
{
    (void)f;
    gather_walk *w = ud;
    sum_program *p = w->p;
    found_at at = w->cr->at[w->next++];
    if (flag_get(p->reported, p->nreported, at.site))
        return 0;
    flag_set(&p->reported, &p->nreported, at.site);
    if (p->defer && is_recursive(p, at.lock))
        return 0;
    for (size_t i = 0; i < w->nleaks && at.leak >= 0; i++)
        if (w->leaks[i].leak == at.leak) {
            w->leaks[i].more++;
            return 0;
        }
    if (at.leak >= 0)
        VEC_PUSH(w->leaks, w->nleaks, w->capleaks,
                 ((leak_seen){at.leak, w->kept, NULL, at.note, 0}));
    w->kept++;
    return 1;
}

/* The components' findings, in component order, into out. */
static void gather(sum_program *p, comp_run *runs, size_t ncomp, rc_findings *out)
{
    gather_walk w = {p, NULL, 0, 0, NULL, 0, 0};
    for (size_t k = 0; k < ncomp; k++) {
        comp_run *cr = &runs[k];
        size_t had = w.nleaks;
        w.cr = cr, w.next = 0, w.kept = 0;
        findings_filter(&cr->found, keep_finding, &w);
        for (size_t i = had; i < w.nleaks; i++)
            w.leaks[i].kept = cr->found.items[w.leaks[i].idx];
        findings_move(out, &cr->found);
        findings_free(&cr->found);
        free(cr->at);
        free(cr->used);
        free(cr->making);
    }
    for (size_t i = 0; i < w.nleaks; i++) {
        leak_seen *l = &w.leaks[i];
        if (!l->more || l->note >= l->kept->nnotes)
            continue;
        char **m = &l->kept->notes[l->note].message;
        char *more = xasprintf("%s; %u more finding%s that follow%s from this leak %s not "
                               "reported", *m, l->more, l->more == 1 ? "" : "s",
                               l->more == 1 ? "s" : "", l->more == 1 ? "is" : "are");
        free(*m);
        *m = more;
    }
    free(w.leaks);
}

void sum_solve(sum_program *p, rc_findings *out, const char *check, unsigned jobs)
{
    size_t n = p->nfns;
    for (size_t i = 0; i < p->nrec_class && !p->any_rec; i++)
        p->any_rec = p->rec_class[i];
    for (size_t i = 0; i < p->nrec_attr && !p->any_rec; i++)
        p->any_rec = p->rec_attr[i];
    /* Every variable a fact may be about exists before the solve: facts
     * are sorted by variable id, and those must not depend on timing
     * (solve_all). */
    p->ret_key = lp_str_id(p->lt, "$ret");
    for (unsigned i = 0; i < 64; i++)
        lp_param_key(p->lt, i, 1);
    p->sums = xcalloc(n ? n : 1, sizeof *p->sums);
    p->tested = xcalloc(n ? n : 1, sizeof *p->tested);
    for (size_t i = 0; i < n; i++)
        tested_vars(p, p->fns[i], &p->tested[i]);
    /* Callers of each function, for re-queueing when a summary changes.
     * The same pass looks for INITREC events: whether a mutex is recursive
     * is decided before the solve unless some function makes one so
     * (itself or through a callee), and only then must reporting wait for
     * the whole program; one of an attribute it cannot name may make any
     * parameter's mutex recursive (any_rec). */
    size_t *ncallers = xcalloc(n ? n : 1, sizeof *ncallers);
    size_t *capcallers = xcalloc(n ? n : 1, sizeof *capcallers);
    int **callers = xcalloc(n ? n : 1, sizeof *callers);
    int rec_fixed = 1;
    for (size_t i = 0; i < n; i++) {
        const ri_func *f = p->fns[i];
        for (unsigned b = 0; b < f->nblocks; b++)
            for (unsigned e = 0; e < f->blocks[b].nev; e++) {
                const ri_event *ev = &f->blocks[b].ev[e];
                if (ev->kind == RI_INITREC) {
                    rec_fixed = 0;
                    p->any_rec |= ev->var < 0;
                }
                int g = ev->kind == RI_CALL ? fn_index(p, ev->callee) : -1;
                /* Callers come in order: a repeat can only be the last. */
                if (g >= 0 && (!ncallers[g] || callers[g][ncallers[g] - 1] != (int)i))
                    VEC_PUSH(callers[g], ncallers[g], capcallers[g], (int)i);
            }
    }
    unsigned *comp = xmalloc((n ? n : 1) * sizeof *comp);
    size_t *start = xmalloc((n + 1) * sizeof *start);
    size_t ncomp = call_sccs(p, n, comp, start);
    unsigned *comp_of = xmalloc((n ? n : 1) * sizeof *comp_of);
    for (size_t k = 0; k < ncomp; k++)
        for (size_t i = start[k]; i < start[k + 1]; i++)
            comp_of[comp[i]] = (unsigned)k;
    call_effects(p, callers, ncallers, comp, start, ncomp, comp_of);
    unsigned char *lock_free = xmalloc(n ? n : 1), *trivial = xmalloc(n ? n : 1);
    classify(p, callers, ncallers, lock_free, trivial);
    /* When some function makes a mutex recursive, which mutexes are is
     * known only once the solve is over.  It decides nothing but whether a
     * relock is reported (states and summaries do not depend on it), and a
     * mutex once recursive stays so: report as if it were decided, and drop
     * when gathering the findings about a mutex that turned out recursive
     * -- rather than a second run of everything. */
    p->defer = !rec_fixed;
    p->comp_of = comp_of;
    p->lock_free = lock_free;
    solver sv = {.p = p, .check = check, .comp = comp, .start = start, .ncomp = ncomp,
                 .callers = callers, .ncallers = ncallers, .trivial = trivial,
                 .queue = xmalloc((n ? n : 1) * sizeof *sv.queue),
                 .rounds = xcalloc(n ? n : 1, sizeof *sv.rounds),
                 .inq = xcalloc(n ? n : 1, 1),
                 .runs = xcalloc(ncomp ? ncomp : 1, sizeof *sv.runs)};
    pthread_mutex_init(&p->spec_mu, NULL);
    solve_all(&sv, jobs);
    gather(p, sv.runs, ncomp, out);
    p->defer = 0;
    free(sv.queue);
    free(sv.rounds);
    free(sv.inq);
    free(sv.runs);
    for (size_t i = 0; i < n; i++) {
        free(callers[i]);
        free(p->tested[i].v);
        free(p->mods[i].v);
    }
    free(p->tested);
    p->tested = NULL;
    free(p->mods);
    p->mods = NULL;
    free(p->indirect.v);
    memset(&p->indirect, 0, sizeof p->indirect);
    for (size_t i = 0; i < p->nspecs; i++) {
        summary_clear(&p->specs[i]->sum);
        free(p->specs[i]);
    }
    free(p->specs);
    p->specs = NULL;
    p->nspecs = p->capspecs = 0;
    p->comp_of = NULL;
    p->lock_free = NULL;
    free(lock_free);
    free(trivial);
    free(callers);
    free(ncallers);
    free(capcallers);
    free(comp);
    free(start);
    free(comp_of);
    pthread_mutex_destroy(&p->spec_mu);
}

/* ---- merging and persistence ------------------------------------------ */

typedef struct idmap {
    const int *s, *p;       /* strings, paths of the unit being merged */
    size_t ns, np;
} idmap;

static int map_str(const idmap *m, int id)
{
    return id >= 0 && (size_t)id < m->ns ? m->s[id] : -1;
}

static int map_path(const idmap *m, int id)
{
    return id >= 0 && (size_t)id < m->np ? m->p[id] : -1;
}

/* A value path ((path << 1) | is-address). */
static int map_value(const idmap *m, int v)
{
    if (v < 0)
        return -1;
    int p = map_path(m, v >> 1);
    return p < 0 ? -1 : (p << 1) | (v & 1);
}

static void func_remap(ri_func *f, const idmap *m)
{
    f->usr = map_str(m, f->usr);
    f->name = map_str(m, f->name);
    for (unsigned b = 0; b < f->nblocks; b++) {
        ri_block *blk = &f->blocks[b];
        for (unsigned i = 0; i < blk->nev; i++) {
            ri_event *ev = &blk->ev[i];
            ev->lock = map_path(m, ev->lock);
            ev->var = map_str(m, ev->var);
            /* uid names an event of this function, except in a copy
             * (x = y), where it is the source variable's key. */
            if (ev->kind == RI_SET && (ev->how == RI_SET_COPY || ev->how == RI_SET_NOT_COPY))
                ev->uid = map_str(m, ev->uid);
            ev->callee = map_str(m, ev->callee);
            ev->callee_name = map_str(m, ev->callee_name);
            for (unsigned a = 0; a < ev->nargs; a++)
                ev->args[a] = map_value(m, ev->args[a]);
            ev->at.file = map_str(m, ev->at.file);
        }
        for (unsigned i = 0; i < blk->nsucc; i++) {
            ri_edge *e = &blk->succ[i];
            if (ri_assumes_var(e->assume))
                e->arg = map_str(m, e->arg);
            e->val = map_str(m, e->val);
        }
    }
}

void sum_merge(sum_program *into, sum_program *from)
{
    if (!from)
        return;
    int *sm, *pm;
    lp_merge(into->lt, from->lt, &sm, &pm);
    idmap m = {sm, pm, lp_nstrs(from->lt), lp_npaths(from->lt)};
    for (size_t i = 0; i < from->nfns; i++) {
        func_remap(from->fns[i], &m);
        sum_add_function(into, from->fns[i]);  /* takes it, or frees a duplicate */
    }
    from->nfns = 0;
    for (size_t i = 0; i < from->nrec_class; i++)
        if (from->rec_class[i])
            sum_add_recursive_class(into, map_str(&m, (int)i));
    for (size_t i = 0; i < from->nrec_attr; i++)
        if (from->rec_attr[i])
            sum_add_recursive_attr(into, map_str(&m, (int)i));
    for (size_t i = 0; i < from->naddr; i++)
        if (from->addr[i])
            add_addr_id(into, map_str(&m, (int)i));
    free(sm);
    free(pm);
    sum_free(from);
}

/* JSON layout:
 *   {"version": 5, "table": lp_save(), "rec_class": [id...], "rec_attr": [id...],
 *    "borrowed": [id...], "addr": [id...],
 *    "functions": [{"usr", "name", "nparams", "assigned" (hex string),
 *                   "entry", "exit", "blocks": ["SUCC|EVENT|EVENT...", ...]}]}
 * A block is one string: its edges, "to assume arg glob val" each, then "|" and
 * each event as "kind mode is_try glob track lock var how uid callee
 * callee_name file line col agg args...".  One string per block rather than
 * arrays and objects: a cJSON node per integer, and later per event, made
 * saving and loading the states the largest cost of a cold-cache run. */
enum { SUM_VERSION = 5, EV_FIELDS = 15, EDGE_FIELDS = 5 };

static void add_num(cJSON *a, long long v)
{
    cJSON_AddItemToArray(a, json_int(v));
}

/* Append `lead` (unless 0), then v[0..n) as decimal integers separated by
 * spaces, to b: room for all is made once. */
static void put_ints(rc_buf *b, char lead, const long long *v, size_t n)
{
    vec_reserve((void **)&b->s, &b->cap, b->len + 1 + n * DEC_MAX + 1, 1);
    if (lead)
        b->s[b->len++] = lead;
    for (size_t i = 0; i < n; i++) {
        if (i)
            b->s[b->len++] = ' ';
        b->len += dec_format(v[i], b->s + b->len);
    }
    b->s[b->len] = '\0';
}

/* Parse the n integers of s[0..len) (separated by single spaces) into a
 * malloc'd array; NULL when anything else is there or one is out of int. */
static int *parse_ints(const char *s, size_t len, size_t *n)
{
    size_t cap = 8;
    int *v = xmalloc(cap * sizeof *v);
    *n = 0;
    for (size_t i = 0; i < len;) {
        int neg = s[i] == '-';
        size_t start = i += (size_t)neg;
        long long x = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 11)
            x = x * 10 + (s[i++] - '0');
        if (neg)
            x = -x;
        if (i == start || x < -0x7fffffffLL || x > 0x7fffffff ||
            (i < len && (s[i] != ' ' || i + 1 == len))) {
            free(v);
            return NULL;
        }
        VEC_PUSH(v, *n, cap, (int)x);
        i += i < len;
    }
    return v;
}

static int in_range(int v, long long lo, long long hi)
{
    return v >= lo && v <= hi;
}

static cJSON *flags_json(const unsigned char *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        if (v[i])
            add_num(a, (long long)i);
    return a;
}

static cJSON *func_json(const ri_func *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "usr", json_int(f->usr));
    cJSON_AddItemToObject(o, "name", json_int(f->name));
    cJSON_AddItemToObject(o, "nparams", json_int(f->nparams));
    char hex[20];
    snprintf(hex, sizeof hex, "%llx", (unsigned long long)f->assigned_params);
    cJSON_AddStringToObject(o, "assigned", hex);
    cJSON_AddItemToObject(o, "entry", json_int(f->entry));
    cJSON_AddItemToObject(o, "exit", json_int(f->exit));
    cJSON *blocks = cJSON_AddArrayToObject(o, "blocks");
    rc_buf text = {0};
    for (unsigned b = 0; b < f->nblocks; b++) {
        const ri_block *blk = &f->blocks[b];
        text.len = 0;
        put_ints(&text, 0, NULL, 0);
        for (unsigned i = 0; i < blk->nsucc; i++) {
            const ri_edge *e = &blk->succ[i];
            const long long v[EDGE_FIELDS] = {e->to, e->assume, e->arg, e->glob, e->val};
            put_ints(&text, i ? ' ' : 0, v, EDGE_FIELDS);
        }
        for (unsigned i = 0; i < blk->nev; i++) {
            const ri_event *ev = &blk->ev[i];
            const long long head[EV_FIELDS] = {
                ev->kind, ev->mode, ev->is_try, ev->glob, ev->track, ev->lock, ev->var,
                ev->how, ev->uid, ev->callee, ev->callee_name, ev->at.file, ev->at.line,
                ev->at.col, ev->agg};
            put_ints(&text, '|', head, EV_FIELDS);
            for (unsigned k = 0; k < ev->nargs; k++) {
                const long long arg = ev->args[k];
                put_ints(&text, ' ', &arg, 1);
            }
        }
        cJSON_AddItemToArray(blocks, cJSON_CreateString(text.s));
    }
    free(text.s);
    return o;
}

cJSON *sum_save(const sum_program *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "version", SUM_VERSION);
    cJSON_AddItemToObject(o, "table", lp_save(p->lt));
    cJSON_AddItemToObject(o, "rec_class", flags_json(p->rec_class, p->nrec_class));
    cJSON_AddItemToObject(o, "rec_attr", flags_json(p->rec_attr, p->nrec_attr));
    cJSON_AddItemToObject(o, "borrowed", flags_json(p->borrowed, p->nborrowed));
    cJSON_AddItemToObject(o, "addr", flags_json(p->addr, p->naddr));
    cJSON *fns = cJSON_AddArrayToObject(o, "functions");
    for (size_t i = 0; i < p->nfns; i++)
        cJSON_AddItemToArray(fns, func_json(p->fns[i]));
    return o;
}

/* Bounds for loading: ids must name strings and paths of the table. */
typedef struct bounds {
    long long smax, pmax;   /* largest string id, path id */
} bounds;

static int get_int(const cJSON *o, const char *k, long long lo, long long hi, int *out)
{
    return lp_json_int(cJSON_GetObjectItemCaseSensitive(o, k), lo, hi, out);
}

/* An event from the text s[0..len) of its block. */
static int load_event(const char *s, size_t len, const bounds *bd, ri_event *ev)
{
    size_t n;
    int *v = parse_ints(s, len, &n);
    int ok = v && n >= EV_FIELDS;
    /* [kind, mode, is_try, glob, track, lock, var, how, uid, callee,
     *  callee_name, file, line, col, agg] */
    const long long lo[EV_FIELDS] = {RI_ACQ, LOCKAPI_EXCL, 0, 0, 0, -1, -1, RI_SET_UNKNOWN,
                                     -0x7fffffffLL, -1, -1, -1, 0, 0, 0};
    const long long hi[EV_FIELDS] = {RI_INITREC, LOCKAPI_SHARED, 1, 1, 1, bd->pmax, bd->smax,
                                     RI_SET_NOT_COPY, 0x7fffffff, bd->smax, bd->smax, bd->smax,
                                     0x7fffffff, 0x7fffffff, 1};
    for (unsigned k = 0; ok && k < EV_FIELDS; k++)
        ok = in_range(v[k], lo[k], hi[k]);
    if (!ok) {
        free(v);
        return 0;
    }
    ev->kind = (ri_kind)v[0];
    ev->mode = (unsigned char)v[1];
    ev->is_try = (unsigned char)v[2];
    ev->glob = (unsigned char)v[3];
    ev->track = (unsigned char)v[4];
    ev->lock = v[5];
    ev->var = v[6];
    ev->how = (ri_setkind)v[7];
    ev->uid = v[8];
    ev->callee = v[9];
    ev->callee_name = v[10];
    ev->at.file = v[11];
    ev->at.line = (unsigned)v[12];
    ev->at.col = (unsigned)v[13];
    ev->agg = (unsigned char)v[14];
    ev->nargs = (unsigned)(n - EV_FIELDS);
    ev->args = xmalloc((ev->nargs ? ev->nargs : 1) * sizeof *ev->args);
    long long vmax = bd->pmax < 0 ? -1 : bd->pmax * 2 + 1;
    for (unsigned k = 0; k < ev->nargs; k++)
        ok &= in_range(ev->args[k] = v[EV_FIELDS + k], -1, vmax);
    free(v);  /* on failure, args are freed with the function */
    return ok && !(ev->kind == RI_SET && (ev->how == RI_SET_COPY || ev->how == RI_SET_NOT_COPY) &&
                   (ev->uid < -1 || ev->uid > bd->smax));
}

static ri_func *load_func(const cJSON *o, const bounds *bd)
{
    const cJSON *blocks = cJSON_GetObjectItemCaseSensitive(o, "blocks");
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(o, "assigned");
    int nb = cJSON_GetArraySize(blocks);
    if (!cJSON_IsObject(o) || !cJSON_IsArray(blocks) || nb < 1 || !cJSON_IsString(hex) ||
        strlen(hex->valuestring) > 16 || strspn(hex->valuestring, "0123456789abcdef") !=
                                             strlen(hex->valuestring))
        return NULL;
    ri_func *f = xcalloc(1, sizeof *f);
    int usr, name, nparams, entry, exit_;
    f->blocks = xcalloc((size_t)nb, sizeof *f->blocks);
    f->nblocks = (unsigned)nb;
    if (!get_int(o, "usr", 0, bd->smax, &usr) || !get_int(o, "name", -1, bd->smax, &name) ||
        !get_int(o, "nparams", 0, 0x7fffffff, &nparams) ||
        !get_int(o, "entry", 0, nb - 1, &entry) || !get_int(o, "exit", 0, nb - 1, &exit_))
        goto bad;
    f->usr = usr, f->name = name, f->nparams = (unsigned)nparams;
    f->entry = (unsigned)entry, f->exit = (unsigned)exit_;
    f->assigned_params = strtoull(hex->valuestring, NULL, 16);
    unsigned b = 0;
    const cJSON *bo;
    cJSON_ArrayForEach(bo, blocks) {
        ri_block *blk = &f->blocks[b++];
        if (!cJSON_IsString(bo))
            goto bad;
        const char *text = bo->valuestring, *bar = strchr(text, '|');
        size_t nv, succ_len = bar ? (size_t)(bar - text) : strlen(text);
        int *sv = parse_ints(text, succ_len, &nv);
        if (!sv || nv % EDGE_FIELDS) {
            free(sv);
            goto bad;
        }
        unsigned ne = 0, ns = (unsigned)(nv / EDGE_FIELDS);
        for (const char *q = bar; q; q = strchr(q + 1, '|'))
            ne++;
        blk->ev = xcalloc(ne ? ne : 1, sizeof *blk->ev);
        blk->capev = ne;
        int ok = 1;
        for (const char *q = bar; ok && q; q = strchr(q + 1, '|')) {
            const char *next = strchr(q + 1, '|');
            size_t len = next ? (size_t)(next - q - 1) : strlen(q + 1);
            ok = load_event(q + 1, len, bd, &blk->ev[blk->nev++]);
        }
        blk->succ = xcalloc(ns ? ns : 1, sizeof *blk->succ);
        blk->capsucc = ns;
        for (unsigned i = 0; ok && i < ns; i++) {
            const int *q = sv + EDGE_FIELDS * i;
            int to = q[0], as = q[1], arg = q[2], glob = q[3], val = q[4];
            int valued = as == RA_VAR_EQ || as == RA_VAR_NE;
            ok = in_range(to, 0, nb - 1) && in_range(as, RA_NONE, RA_VAR_NE) &&
                 in_range(glob, 0, 1) &&
                 !(ri_assumes_var((ri_assume)as) && (arg < 0 || arg > bd->smax)) &&
                 (valued ? in_range(val, 0, bd->smax) : val == -1);
            ri_edge *e = &blk->succ[blk->nsucc++];
            e->to = (unsigned)to;
            e->assume = (ri_assume)as;
            e->arg = arg;
            e->glob = (unsigned char)glob;
            e->val = val;
        }
        free(sv);
        if (!ok)
            goto bad;
    }
    return f;
bad:
    func_free(f);
    return NULL;
}

static int load_flags(const cJSON *a, const bounds *bd, sum_program *p,
                      void (*add)(sum_program *, int))
{
    const cJSON *x;
    if (!cJSON_IsArray(a))
        return 0;
    cJSON_ArrayForEach(x, a) {
        int id;
        if (!lp_json_int(x, 0, bd->smax, &id))
            return 0;
        add(p, id);
    }
    return 1;
}

sum_program *sum_load(const cJSON *j)
{
    int version;
    const cJSON *fns = cJSON_GetObjectItemCaseSensitive(j, "functions");
    if (!cJSON_IsObject(j) || !get_int(j, "version", SUM_VERSION, SUM_VERSION, &version) ||
        !cJSON_IsArray(fns))
        return NULL;
    lp_table *lt = lp_load(cJSON_GetObjectItemCaseSensitive(j, "table"));
    if (!lt)
        return NULL;
    sum_program *p = xcalloc(1, sizeof *p);
    p->lt = lt;
    bounds bd = {(long long)lp_nstrs(lt) - 1, (long long)lp_npaths(lt) - 1};
    if (!load_flags(cJSON_GetObjectItemCaseSensitive(j, "rec_class"), &bd, p,
                    sum_add_recursive_class) ||
        !load_flags(cJSON_GetObjectItemCaseSensitive(j, "rec_attr"), &bd, p,
                    sum_add_recursive_attr) ||
        !load_flags(cJSON_GetObjectItemCaseSensitive(j, "borrowed"), &bd, p, add_borrowed_id) ||
        !load_flags(cJSON_GetObjectItemCaseSensitive(j, "addr"), &bd, p, add_addr_id))
        goto bad;
    const cJSON *x;
    cJSON_ArrayForEach(x, fns) {
        ri_func *f = load_func(x, &bd);
        if (!f)
            goto bad;
        sum_add_function(p, f);
    }
    return p;
bad:
    sum_free(p);
    return NULL;
}
