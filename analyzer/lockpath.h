/*
 * lockpath.h -- the identity of a lock: the access path of the object a
 * lock call is given (`g`, `p->mu`, `s.inner.mu`, `arr[3]`, `m[i]`).
 *
 * Paths are interned program-wide: equal keys, equal ids.  A key names its
 * base by kind -- a global (or static local) by USR, a local by USR, a
 * parameter by index -- so paths rooted at parameters are relative to the
 * function they occur in, which is what function summaries need; lp_subst
 * rewrites them into a caller's terms.  A path also lists the variables it
 * depends on (base and index variables): assigning one of them means the
 * same expression may name a different lock afterwards.
 *
 * This module also owns the small string interner the rest of the check
 * uses for USRs, variable keys and file names.
 */
#ifndef RC_LOCKPATH_H
#define RC_LOCKPATH_H

#include "tu.h"

#include <stdint.h>

/* LP_CONST: no object, an integer constant (base_key: its decimal text);
 * only ever an argument's value, which an index parameter can take. */
typedef enum { LP_GLOBAL, LP_PARAM, LP_LOCAL, LP_CONST } lp_base;
typedef enum { LP_DEREF, LP_FIELD, LP_INDEX_CONST, LP_INDEX_VAR } lp_opkind;

typedef struct lp_op {
    lp_opkind kind;
    int key;      /* string id: field USR, index value, index variable key */
    int name;     /* string id: what the user wrote ("mu", "3", "i") */
    /* Index ops: ptr -- a pointer subscript: `p[i]` is DEREF then an index
     * with ptr set, *(p + i), which a caller's `&a[j]` offsets; local --
     * the index variable is an automatic local (unknown to callers). */
    unsigned char ptr, local;
} lp_op;

typedef struct lp_path {
    int key;              /* string id of the canonical key */
    lp_base base;
    int base_key;         /* string id: variable key of the base ("P0", USR) */
    int base_name;        /* string id: the base variable's name */
    unsigned param;       /* LP_PARAM: index */
    lp_op *ops;
    unsigned nops;
    int *deps;            /* variable keys (string ids) the path reads */
    unsigned ndeps;
    uint64_t param_deps;  /* bit i: the path reads parameter i (i < 64) */
} lp_path;

typedef struct lp_table lp_table;

/* The longest path a substitution makes (`a->b->c->d->e->f` is 12 ops:
 * a dereference and a field per arrow); a longer one is unknown. */
#define LP_MAX_OPS 16

lp_table *lp_new(void);
void lp_free(lp_table *t);
/* Let several threads use t at once (on), or stop (off, once they are
 * done).  Ids then depend on which thread interns first; what a path or
 * string is does not. */
void lp_share(lp_table *t, int on);

/* The string interner: equal strings, equal ids (>= 0). */
int lp_str_id(lp_table *t, const char *s);
int lp_str_find(const lp_table *t, const char *s);   /* -1: not interned */
const char *lp_str(lp_table *t, int id);

const lp_path *lp_get(lp_table *t, int id);

/* The function whose body is being read: tells parameters apart. */
typedef struct lp_fn {
    CXCursor decl;
    int nparams;
    CXCursor *params;     /* optional: the parameters' cursors, by index */
    /* Local pointer copies: variable alias_key[i] always holds the value
     * path alias_val[i] (`struct s *b = a;` with neither ever assigned). */
    const int *alias_key, *alias_val;
    unsigned nalias;
    struct lp_keycache *cache;  /* optional: lp_var_key's answers (lp_cache_new) */
} lp_fn;

/* A cache of variable keys by declaration, for one function's reading. */
struct lp_keycache *lp_cache_new(void);
void lp_cache_free(struct lp_keycache *c);

/* The variable key of a declaration referenced in fn ("P1", a USR);
 * -1 when it is no variable.  *is_global tells globals (and static
 * locals) from parameters and automatic locals. */
int lp_var_key(lp_table *t, const lp_fn *fn, CXCursor decl, int *is_global);

/* Parameter i's variable key ("P<i>"); with add 0, -1 unless some key
 * already names it. */
int lp_param_key(lp_table *t, unsigned i, int add);
/* The parameter a variable key names, or -1. */
int lp_param_of_key(lp_table *t, int key);
/* The string id of an integer's decimal text: how constants are keyed
 * (LP_CONST bases, index ops, value facts). */
int lp_int_id(lp_table *t, long long v);

/* The path of an lvalue expression, or -1 when it has none we track. */
int lp_lvalue(lp_table *t, rc_tu *tu, const lp_fn *fn, CXCursor e);

/* A pointer-valued argument as a "value path": (path << 1) | 1 for `&X`
 * (the address of path X), (path << 1) for the value stored in path X;
 * -1 when unknown.  An array decays to the address of its element 0.  An
 * integer constant is the value of an LP_CONST path. */
int lp_value(lp_table *t, rc_tu *tu, const lp_fn *fn, CXCursor e);

/* The object a value path points to (`&X` -> X, `p` -> *p); -1 if none. */
int lp_deref_value(lp_table *t, int vpath);

/* The lock object a pointer argument designates: lp_deref_value(lp_value). */
int lp_pointee(lp_table *t, rc_tu *tu, const lp_fn *fn, CXCursor e);

/* Rewrite callee path `id` into the caller's terms, given the value paths
 * of the call's arguments: globals stay, parameter-rooted paths are
 * re-rooted at the argument, locals (and unknown arguments) give -1.  An
 * index that is a parameter becomes the argument (a constant, or the
 * caller's variable); one that is a callee's local, or an argument we
 * cannot name, gives -1.  A pointer subscript offsets the argument's
 * element: `lock_at(marr, 1)` with `&a[i]` is marr[1]. */
int lp_subst(lp_table *t, int id, const int *args, unsigned nargs);

/* How the user would write the path ("c->mu", "s.inner.mu"), malloc'd. */
char *lp_display(lp_table *t, int id);

/* The "class" that recursive-ness is decided by: the last field's USR
 * when the path goes through a field, else the base variable's key.  -1
 * for a parameter-rooted path with no field (no class outside its
 * function). */
int lp_class(lp_table *t, int id);

/* 1 when the path reads variable `var_key` (a string id). */
int lp_depends_on(lp_table *t, int id, int var_key);

/* The variable a fact key is about: a path's key (a field of a global,
 * `config.threads`) gives its base variable's key; any other key is a
 * variable's own and gives itself. */
int lp_key_root(const lp_table *t, int key);
/* Is the object fact key `key` names part of the one `outer` names (the
 * same, a field of it at any depth)?  Both variables' keys or paths'. */
int lp_key_within(const lp_table *t, int key, int outer);

/* ---- merging and persistence (parallel and cached runs) ---------------- */

/* Intern every string, then every path, of `from` into `into`, each in
 * id order; *strmap and *pathmap (malloc'd, indexed by from's ids) give
 * the new ids.  Merging a unit's table into the table of the units before
 * it gives exactly the ids one shared table would have given. */
void lp_merge(lp_table *into, const lp_table *from, int **strmap, int **pathmap);
size_t lp_nstrs(const lp_table *t);
size_t lp_npaths(const lp_table *t);

struct cJSON;
/* The table as JSON: {"strings": [...], "paths": [[...], ...]}; lp_load
 * rebuilds it with the same ids, or returns NULL on a malformed entry. */
struct cJSON *lp_save(const lp_table *t);
lp_table *lp_load(const struct cJSON *j);

/* A JSON number that is an integer in [lo, hi], into *out; 0 otherwise. */
int lp_json_int(const struct cJSON *x, long long lo, long long hi, int *out);

#endif
