/*
 * check_relock.c -- recursive-lock: a thread that takes a non-recursive
 * lock it already holds waits for itself forever (and TSan says nothing).
 *
 * Per translation unit, every function body in a user file is turned into
 * a CFG (cfg.h) and lowered into the lock IR (summary.h): lock API calls
 * become acquire/release events on access paths (lockpath.h), other
 * direct calls become call events with their arguments' value paths, and
 * branch conditions become assumptions about variables and lock results.
 * Recursive mutexes are recorded as they are met (attributes, static
 * initialisers, mtx_recursive).  Once every unit has been read, the end
 * hook links the functions of all files by USR and solves (summary.c).
 *
 * A unit's state is its lowered program alone (no libclang handles), so
 * units can be lowered apart and merged in input order (sum_merge), and a
 * unit's program saved to and loaded from the result cache (sum_save,
 * sum_load) -- with findings identical to one state fed every unit.
 */
#include "ast.h"
#include "cfg.h"
#include "checks.h"
#include "claims.h"
#include "forest.h"
#include "lockapi.h"
#include "lockpath.h"
#include "summary.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_NAME "recursive-lock"

typedef struct relock_state {
    sum_program *prog;
} relock_state;

/* Whether a callee declaration is noreturn, remembered per unit: reading
 * the declaration's tokens at every call was a tenth of the analysis. */
typedef struct noreturn_memo {
    CXCursor *decls;
    unsigned *hashes;
    unsigned char *values;
    size_t n, cap, caph, capv;
} noreturn_memo;

/* What lowering one function needs at hand. */
typedef struct lower_ctx {
    rc_unit *u;
    noreturn_memo *noreturn;
    sum_program *prog;
    lp_table *lt;
    lp_fn fn;
    ri_func *rf;
    int *addr_taken;         /* variable keys whose address is taken */
    size_t naddr, capaddr;
    int *assigned;           /* variable keys assigned (not just initialised) */
    size_t nassigned, capassigned;
    int *alias_key, *alias_val;  /* see lp_fn */
    size_t nalias, capalias, capaliasv;
    int next_uid;
    /* The uid of each call lowered in the current block, by cursor. */
    CXCursor *calls;
    int *call_uids;
    size_t ncalls, capcalls, capuids;
} lower_ctx;

static ri_site site_of(rc_tu *tu, lp_table *lt, CXCursor c)
{
    ri_site s = {-1, 0, 0};
    rc_loc loc;
    if (tu_loc(tu, ast_report_at(c), &loc)) {
        s.file = lp_str_id(lt, loc.file);
        s.line = loc.line;
        s.col = loc.column;
    }
    return s;
}

/* ---- recursive mutexes ------------------------------------------------- */

/* 1 when the expression names a recursive type (PTHREAD_MUTEX_RECURSIVE,
 * mtx_recursive ...) or is not a constant we can read: then we assume it
 * may be recursive and stay silent about the lock. */
typedef struct rec_scan {
    int found;
} rec_scan;

static enum CXChildVisitResult scan_rec(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    rec_scan *r = d;
    if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
        char *name = cx_spelling(clang_getCursorReferenced(c));
        if (lockapi_is_recursive_name(name))
            r->found = 1;
        free(name);
    }
    return r->found ? CXChildVisit_Break : CXChildVisit_Recurse;
}

static int names_recursive_type(CXCursor e)
{
    rec_scan r = {0};
    CXCursor s = ast_strip_casts(e);
    if (clang_getCursorKind(s) == CXCursor_DeclRefExpr)
        scan_rec(s, s, &r);
    else
        clang_visitChildren(s, scan_rec, &r);
    if (r.found)
        return 1;
    CXEvalResult ev = clang_Cursor_Evaluate(e);
    int constant = ev && clang_EvalResult_getKind(ev) == CXEval_Int;
    if (ev)
        clang_EvalResult_dispose(ev);
    return !constant;
}

typedef struct field_find {
    const char *name;
    int want_locks;          /* 1: every field whose type is a lock */
    locktype_cache *lc;
    lp_table *lt;
    sum_program *prog;
    int found;
} field_find;

static enum CXVisitorResult visit_field(CXCursor f, CXClientData d)
{
    field_find *ff = d;
    char *name = cx_spelling(f);
    lock_info info;
    int hit = ff->want_locks ? locktype_find(ff->lc, clang_getCursorType(f), &info) && !*info.path
                             : !strcmp(name, ff->name);
    if (hit) {
        char *usr = cx_take(clang_getCursorUSR(f));
        sum_add_recursive_class(ff->prog, lp_str_id(ff->lt, usr));
        free(usr);
        ff->found = 1;
    }
    free(name);
    return CXVisit_Continue;
}

/* A variable initialised with PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, as a
 * whole or in a field (`.mu = PTHREAD_RECURSIVE_...`): its class is
 * recursive.  The macro name survives only in the tokens. */
static void check_var_init(rc_unit *u, sum_program *prog, const lp_fn *fn, CXCursor var)
{
    lock_info info;
    CXType ty = clang_getCursorType(var);
    if (!locktype_find(u->locktypes, ty, &info))
        return;
    lp_table *lt = sum_paths(prog);
    CXToken *toks = NULL;
    unsigned n = 0;
    clang_tokenize(u->tu->cx, clang_getCursorExtent(var), &toks, &n);
    for (unsigned i = 0; i < n; i++) {
        if (clang_getTokenKind(toks[i]) != CXToken_Identifier)
            continue;
        char *s = cx_take(clang_getTokenSpelling(u->tu->cx, toks[i]));
        int rec = lockapi_is_recursive_name(s) && strstr(s, "INITIALIZER");
        free(s);
        if (!rec)
            continue;
        char *field = NULL;
        if (i >= 3) {
            char *eq = cx_take(clang_getTokenSpelling(u->tu->cx, toks[i - 1]));
            char *dot = cx_take(clang_getTokenSpelling(u->tu->cx, toks[i - 3]));
            if (!strcmp(eq, "=") && !strcmp(dot, ".") &&
                clang_getTokenKind(toks[i - 2]) == CXToken_Identifier)
                field = cx_take(clang_getTokenSpelling(u->tu->cx, toks[i - 2]));
            free(eq);
            free(dot);
        }
        CXType canon = clang_getCanonicalType(ty);
        while (canon.kind == CXType_ConstantArray || canon.kind == CXType_IncompleteArray)
            canon = clang_getCanonicalType(clang_getArrayElementType(canon));
        /* pthread_mutex_t is itself a union: ask whether the variable (or
         * its elements) is the lock before looking at fields. */
        const char *rest = info.path;
        while (!strncmp(rest, "[]", 2))
            rest += 2;
        if (*rest && canon.kind == CXType_Record) {
            field_find ff = {field ? field : "", field == NULL, u->locktypes, lt, prog, 0};
            clang_Type_visitFields(canon, visit_field, &ff);
        } else {
            int g;
            int key = lp_var_key(lt, fn, var, &g);
            if (key >= 0)
                sum_add_recursive_class(prog, key);
        }
        free(field);
    }
    clang_disposeTokens(u->tu->cx, toks, n);
}

/* ---- lowering ----------------------------------------------------------- */

/* The value a variable declaration gives (its initialiser), or a null
 * cursor.  Not "its last expression child": without an initialiser that
 * is an array bound (`int (*p)[n];`). */
static CXCursor decl_value(CXCursor var)
{
    return clang_Cursor_getVarDeclInitializer(var);
}

static int is_addr_taken(lower_ctx *c, int key)
{
    for (size_t i = 0; i < c->naddr; i++)
        if (c->addr_taken[i] == key)
            return 1;
    return 0;
}

static int has_key(const int *v, size_t n, int key)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == key)
            return 1;
    return 0;
}

static int scalar_type(CXType t)
{
    t = clang_getCanonicalType(t);
    return (t.kind >= CXType_Bool && t.kind <= CXType_Int128) || t.kind == CXType_Pointer ||
           t.kind == CXType_Enum;
}

/* A variable reference as (key, trackable, global); key -1 if none. */
/* A field of a global reached by '.' alone (`config.threads`,
 * `g.opts.verbose`): its path's key, whose root (lp_key_root) is the
 * global, so that assigning the global forgets it.  Through a pointer
 * (`->`) it could be any object's: -1. */
static int global_field_of(lower_ctx *c, CXCursor e, int *track, int *glob)
{
    const lp_path *p = lp_get(c->lt, lp_lvalue(c->lt, c->u->tu, &c->fn, e));
    if (!p || p->base != LP_GLOBAL || !p->nops)
        return -1;
    for (unsigned i = 0; i < p->nops; i++)
        if (p->ops[i].kind != LP_FIELD)
            return -1;
    CXType t = clang_getCursorType(e);
    *glob = 1;
    *track = scalar_type(t) && !is_addr_taken(c, p->base_key) &&
             !clang_isVolatileQualifiedType(t);
    return p->key;
}

/* The key of what a condition reads or an assignment writes, when facts
 * about it can be kept: a variable, or a field of a global. */
static int var_of(lower_ctx *c, CXCursor e, int *track, int *glob)
{
    e = ast_strip_casts(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_MemberRefExpr)
        return global_field_of(c, e, track, glob);
    if (k != CXCursor_DeclRefExpr)
        return -1;
    CXCursor d = clang_getCursorReferenced(e);
    int key = lp_var_key(c->lt, &c->fn, d, glob);
    if (key < 0)
        return -1;
    *track = scalar_type(clang_getCursorType(d)) && !is_addr_taken(c, key) &&
             !clang_isVolatileQualifiedType(clang_getCursorType(d));
    return key;
}

static int call_uid(lower_ctx *c, CXCursor call)
{
    /* The call was met by the CFG builder's walk and again here through
     * another parent: compare nodes, not cursors (see ast_same). */
    for (size_t i = c->ncalls; i-- > 0;)
        if (ast_same(c->calls[i], call))
            return c->call_uids[i];
    return -1;
}

static void remember_call(lower_ctx *c, CXCursor call, int uid)
{
    size_t n = c->ncalls;
    VEC_PUSH(c->calls, c->ncalls, c->capcalls, call);
    VEC_PUSH(c->call_uids, n, c->capuids, uid);
}

static int eval_int(CXCursor e, long long *out)
{
    e = ast_strip_casts(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k == CXCursor_CallExpr)
        return 0;
    if (k == CXCursor_DeclRefExpr &&
        clang_getCursorKind(clang_getCursorReferenced(e)) != CXCursor_EnumConstantDecl)
        return 0;
    return ast_eval_int(e, out);
}

static ri_event *add_event(ri_block *b, ri_kind kind, ri_site at)
{
    ri_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.lock = ev.var = ev.uid = ev.callee = ev.callee_name = -1;
    ev.at = at;
    size_t n = b->nev, cap = b->capev;
    VEC_PUSH(b->ev, n, cap, ev);
    b->nev = (unsigned)n, b->capev = (unsigned)cap;
    return &b->ev[b->nev - 1];
}

/* Look through `!e`, `e == 0` and `e != 0` (and `0 == e` ...): the
 * expression underneath, and whether the value is its negation. */
static CXCursor through_tests(lower_ctx *c, CXCursor r, int *neg)
{
    CXCursor kids[2];
    long long k;
    *neg = 0;
    for (int depth = 0; depth < 16; depth++) {
        r = ast_strip_casts(r);
        enum CXCursorKind kind = clang_getCursorKind(r);
        if (kind == CXCursor_UnaryOperator && ast_cond_unop(c->u->tu, r) == AST_OP_NOT &&
            ast_children(r, kids, 1) == 1) {
            *neg ^= 1;
            r = kids[0];
            continue;
        }
        if (kind == CXCursor_BinaryOperator && ast_children(r, kids, 2) == 2) {
            ast_op op = ast_binop_quick(c->u->tu, r);
            if (op != AST_OP_EQ && op != AST_OP_NE)
                break;
            CXCursor x;
            if (eval_int(kids[1], &k) && k == 0)
                x = kids[0];
            else if (eval_int(kids[0], &k) && k == 0)
                x = kids[1];
            else
                break;
            *neg ^= op == AST_OP_EQ;
            r = x;
            continue;
        }
        break;
    }
    return r;
}

/* How an assigned value is known: a constant, a call's result (or its
 * negation), a copy of a variable (or its negation), unknown. */
static void set_from_rhs(lower_ctx *c, ri_event *ev, CXCursor rhs)
{
    long long k;
    CXCursor r = ast_strip_casts(rhs);
    if (eval_int(r, &k)) {
        ev->how = k ? RI_SET_NONZERO : RI_SET_ZERO;
        return;
    }
    int neg = 0;
    r = through_tests(c, r, &neg);
    if (clang_getCursorKind(r) == CXCursor_CallExpr) {
        ev->uid = call_uid(c, r);
        ev->how = ev->uid < 0 ? RI_SET_UNKNOWN : neg ? RI_SET_NOT_RESULT : RI_SET_RESULT;
    } else if (clang_getCursorKind(r) == CXCursor_DeclRefExpr) {
        int track, glob;
        int src = var_of(c, r, &track, &glob);
        ev->how = !(src >= 0 && track) ? RI_SET_UNKNOWN : neg ? RI_SET_NOT_COPY : RI_SET_COPY;
        ev->uid = src;
    } else {
        ev->how = RI_SET_UNKNOWN;
    }
}

static void lower_set(lower_ctx *c, ri_block *b, CXCursor at, int key, int track, int glob,
                      CXCursor rhs)
{
    /* An assignment is never reported or noted: no place needed. */
    ri_site nowhere = {-1, 0, 0};
    ri_event *ev = add_event(b, RI_SET, nowhere);
    ev->var = key;
    ev->track = (unsigned char)track;
    ev->glob = (unsigned char)glob;
    if (glob) {
        /* The assignment's type is the assigned object's. */
        enum CXTypeKind tk = clang_getCanonicalType(clang_getCursorType(at)).kind;
        ev->agg = tk == CXType_Record || tk == CXType_ConstantArray ||
                  tk == CXType_IncompleteArray || tk == CXType_VariableArray;
    }
    ev->how = RI_SET_UNKNOWN;
    if (!cx_is_null(rhs))
        set_from_rhs(c, ev, rhs);
    int i = lp_param_of_key(c->lt, key);
    if (i >= 0 && i < 64)
        c->rf->assigned_params |= (uint64_t)1 << i;
}

/* Does the attribute starting at `at` spell noreturn?  Its first token is
 * its name (`_Noreturn`, `noreturn`, `__noreturn__`): only that one is
 * lexed.  A range from `at` to its end would do too, but for an attribute
 * coming from a macro (zstd's MEM_STATIC) the two ends are spelled in
 * different places and clang_tokenize lexes everything between them. */
static int attr_says_noreturn(rc_tu *tu, CXSourceLocation at)
{
    CXToken *toks = NULL;
    unsigned nt = 0;
    clang_tokenize(tu->cx, clang_getRange(at, at), &toks, &nt);
    int found = 0;
    if (nt > 0 && clang_getTokenKind(toks[0]) != CXToken_Punctuation &&
        clang_getTokenKind(toks[0]) != CXToken_Literal) {
        char *s = cx_take(clang_getTokenSpelling(tu->cx, toks[0]));
        found = !strcmp(s, "noreturn") || !strcmp(s, "_Noreturn") || !strcmp(s, "__noreturn__");
        free(s);
    }
    clang_disposeTokens(tu->cx, toks, nt);
    return found;
}

static int decl_is_noreturn(rc_tu *tu, CXCursor decl)
{
    /* GNU's attribute shows in the function type's spelling (glibc's
     * exit, abort, pthread_exit ...)... */
    char *type = cx_type_spelling(clang_getCursorType(decl));
    int gnu = strstr(type, "noreturn") != NULL;
    free(type);
    if (gnu)
        return 1;
    if (clang_Location_isInSystemHeader(clang_getCursorLocation(decl)))
        return 0;
    /* ... C11's _Noreturn only as an attribute child: read the first token
     * of each attribute, not the whole declaration. */
    CXCursor kids[64];
    unsigned n = ast_children(decl, kids, 64);
    if (n > 64)
        n = 64;
    for (unsigned i = 0; i < n; i++)
        if (clang_isAttribute(clang_getCursorKind(kids[i])) &&
            attr_says_noreturn(tu, clang_getRangeStart(clang_getCursorExtent(kids[i]))))
            return 1;
    return 0;
}

static int callee_is_noreturn(lower_ctx *c, CXCursor decl)
{
    noreturn_memo *m = c->noreturn;
    unsigned h = clang_hashCursor(decl);
    for (size_t i = 0; i < m->n; i++)
        if (m->hashes[i] == h && clang_equalCursors(m->decls[i], decl))
            return m->values[i];
    unsigned char v = (unsigned char)decl_is_noreturn(c->u->tu, decl);
    size_t n = m->n;
    VEC_PUSH(m->decls, m->n, m->cap, decl);
    m->n = n;
    VEC_PUSH(m->hashes, m->n, m->caph, h);
    m->n = n;
    VEC_PUSH(m->values, m->n, m->capv, v);
    return v;
}

static void lower_call(lower_ctx *c, ri_block *b, CXCursor call)
{
    rc_tu *tu = c->u->tu;
    ri_site at = site_of(tu, c->lt, call);
    int uid = c->next_uid++;
    remember_call(c, call, uid);
    CXCursor callee = clang_getCursorReferenced(call);
    int nargs = clang_Cursor_getNumArguments(call);
    if (nargs < 0)
        nargs = 0;
    if (cx_is_null(callee) || clang_getCursorKind(callee) != CXCursor_FunctionDecl) {
        add_event(b, RI_CALL, at);  /* through a pointer: unknown, neutral */
        return;
    }
    char *name = cx_spelling(callee);
    lockapi_info api;
    if (lockapi_classify(name, &api)) {
        CXCursor larg = (int)api.lock_arg < nargs
                            ? clang_Cursor_getArgument(call, api.lock_arg)
                            : clang_getNullCursor();
        CXCursor targ = (int)api.type_arg < nargs
                            ? clang_Cursor_getArgument(call, api.type_arg)
                            : clang_getNullCursor();
        int lock = cx_is_null(larg) ? -1 : lp_pointee(c->lt, tu, &c->fn, larg);
        switch (api.kind) {
        case LOCKAPI_ACQUIRE:
        case LOCKAPI_TRY:
            if (lock >= 0) {
                ri_event *ev = add_event(b, RI_ACQ, at);
                ev->lock = lock;
                ev->mode = (unsigned char)api.mode;
                ev->is_try = api.kind == LOCKAPI_TRY;
                ev->uid = uid;
            }
            break;
        case LOCKAPI_RELEASE:
            if (lock >= 0)
                add_event(b, RI_REL, at)->lock = lock;
            break;
        case LOCKAPI_INIT:
            if (lock >= 0 && !cx_is_null(targ)) {
                long long k;
                if (api.c11) {
                    if (names_recursive_type(targ))
                        add_event(b, RI_INITREC, at)->lock = lock;
                } else if (!(eval_int(targ, &k) && k == 0)) {  /* NULL: default */
                    int attr = lp_pointee(c->lt, tu, &c->fn, targ);
                    ri_event *ev = add_event(b, RI_INITREC, at);
                    ev->lock = lock;
                    /* An attribute we cannot name may be recursive. */
                    ev->var = attr >= 0 ? lp_get(c->lt, attr)->key : -1;
                }
            }
            break;
        case LOCKAPI_SETTYPE:
            if (!cx_is_null(targ) && names_recursive_type(targ)) {
                int attr = cx_is_null(larg) ? -1 : lp_pointee(c->lt, tu, &c->fn, larg);
                if (attr >= 0)
                    sum_add_recursive_attr(c->prog, lp_get(c->lt, attr)->key);
            }
            break;
        default:
            break;  /* cond waits: released and retaken, nothing changes */
        }
        free(name);
        return;
    }
    if (lockapi_is_noreturn_name(name) || callee_is_noreturn(c, callee)) {
        add_event(b, RI_NORETURN, at);
        free(name);
        return;
    }
    ri_event *ev = add_event(b, RI_CALL, at);
    char *usr = cx_take(clang_getCursorUSR(callee));
    ev->callee = *usr ? lp_str_id(c->lt, usr) : -1;
    ev->callee_name = lp_str_id(c->lt, name);
    ev->uid = uid;
    ev->nargs = (unsigned)nargs;
    ev->args = xmalloc((nargs ? (size_t)nargs : 1) * sizeof *ev->args);
    for (int i = 0; i < nargs; i++)
        ev->args[i] = lp_value(c->lt, tu, &c->fn, clang_Cursor_getArgument(call, (unsigned)i));
    free(usr);
    free(name);
}

static void lower_elem(lower_ctx *c, ri_block *b, const cfg_elem *el)
{
    CXCursor kids[2];
    int track, glob, key;
    switch (el->kind) {
    case CFG_CALL:
        lower_call(c, b, el->c);
        break;
    case CFG_ASSIGN:
        if (ast_children(el->c, kids, 2) != 2)
            break;
        key = var_of(c, kids[0], &track, &glob);
        if (key >= 0)
            lower_set(c, b, el->c, key, track, glob,
                      clang_getCursorKind(el->c) == CXCursor_CompoundAssignOperator
                          ? clang_getNullCursor() : kids[1]);
        break;
    case CFG_INCDEC:
        if (ast_children(el->c, kids, 1) != 1)
            break;
        key = var_of(c, kids[0], &track, &glob);
        if (key >= 0)
            lower_set(c, b, el->c, key, track, glob, clang_getNullCursor());
        break;
    case CFG_RETURN:
        /* The returned value, as the pseudo-variable "$ret": whether the
         * function returns holding a lock can hang on it. */
        lower_set(c, b, el->c, lp_str_id(c->lt, "$ret"), 1, 0, el->c);
        break;
    case CFG_ADDROF:
        break;
    case CFG_VARDECL: {
        key = lp_var_key(c->lt, &c->fn, el->c, &glob);
        if (key < 0)
            break;
        check_var_init(c->u, c->prog, &c->fn, el->c);
        if (glob)
            break;  /* a static local is initialised once, not here */
        CXCursor init = decl_value(el->c);
        track = scalar_type(clang_getCursorType(el->c)) && !is_addr_taken(c, key);
        lower_set(c, b, el->c, key, track, 0, init);
        break;
    }
    }
}

/* The operand of a condition: a variable's key (RA_VAR_*) or a call's
 * uid (RA_RES_*).  0 when it is neither. */
static int cond_operand(lower_ctx *c, CXCursor e, int *is_var, int *arg, int *glob)
{
    e = ast_strip_casts(e);
    enum CXCursorKind k = clang_getCursorKind(e);
    CXCursor kids[2];
    if (k == CXCursor_BinaryOperator && ast_binop_quick(c->u->tu, e) == AST_OP_ASSIGN &&
        ast_children(e, kids, 2) == 2)
        e = ast_strip_casts(kids[0]), k = clang_getCursorKind(e);  /* (rc = f()) */
    if (k == CXCursor_CallExpr) {
        *is_var = 0;
        *glob = 0;
        *arg = call_uid(c, e);
        return *arg >= 0;
    }
    int track;
    int key = var_of(c, e, &track, glob);
    if (key < 0 || !track)
        return 0;
    *is_var = 1;
    *arg = key;
    return 1;
}

/* Edge assumptions out of a switch on a variable or a call's result: a
 * `case 0` edge says zero, any other case non-zero (a variable: equal to
 * the case's value), and default (or no label matched) non-zero when
 * there is a `case 0`. */
static void interpret_switch(lower_ctx *c, const cfg_block *cb, ri_block *b)
{
    int is_var, arg, glob = 0;
    if (cx_is_null(cb->cond) || !cb->labels ||
        !cond_operand(c, ast_strip(cb->cond), &is_var, &arg, &glob))
        return;
    signed char *val = xmalloc(cb->nsucc ? cb->nsucc : 1);  /* 0, 1, -1 unknown, 2 default */
    long long *value = xcalloc(cb->nsucc ? cb->nsucc : 1, sizeof *value);
    int has_zero = 0;
    for (size_t j = 0; j < cb->nsucc; j++) {
        CXCursor l = cb->labels[j];
        CXCursor kids[3];
        val[j] = 2;
        if (!cx_is_null(l) && clang_getCursorKind(l) == CXCursor_CaseStmt) {
            val[j] = -1;
            if (ast_children(l, kids, 3) == 2 && eval_int(kids[0], &value[j]))
                val[j] = value[j] != 0;
            has_zero |= val[j] == 0;
        }
    }
    /* A fact holds one value a variable is not: default says so when one
     * case (non-zero) is all there is. */
    int ncases = 0;
    long long only = 0;
    for (size_t j = 0; j < cb->nsucc; j++)
        if (val[j] != 2)
            ncases++, only = value[j];
    int single = is_var && !has_zero && ncases == 1;
    for (size_t j = 0; j < cb->nsucc; j++)
        single &= val[j] != -1;
    for (size_t j = 0; j < cb->nsucc && j < b->nsucc; j++) {
        ri_edge *e = &b->succ[j];
        int v = val[j] == 2 ? (has_zero ? 1 : -1) : val[j];
        if (val[j] == 2 && single) {
            e->assume = RA_VAR_NE;
            e->val = lp_int_id(c->lt, only);
        } else if (v < 0) {
            continue;
        } else if (is_var && val[j] == 1) {
            e->assume = RA_VAR_EQ;
            e->val = lp_int_id(c->lt, value[j]);
        } else {
            e->assume = v ? (is_var ? RA_VAR_NONZERO : RA_RES_NONZERO)
                          : (is_var ? RA_VAR_ZERO : RA_RES_ZERO);
        }
        e->arg = arg;
        e->glob = (unsigned char)glob;
    }
    free(val);
    free(value);
}

/* Edge assumptions for a branch on cond: [0] when true, [1] when false. */
static void interpret_cond(lower_ctx *c, CXCursor cond, ri_edge *t, ri_edge *f)
{
    t->assume = f->assume = RA_NONE;
    CXCursor e = ast_strip(cond);
    int is_var, arg, glob = 0;
    long long k;
    if (cond_operand(c, e, &is_var, &arg, &glob)) {
        t->assume = is_var ? RA_VAR_NONZERO : RA_RES_NONZERO;
        f->assume = is_var ? RA_VAR_ZERO : RA_RES_ZERO;
        t->arg = f->arg = arg;
        t->glob = f->glob = (unsigned char)glob;
        return;
    }
    if (clang_getCursorKind(e) == CXCursor_BinaryOperator) {
        ast_op op = ast_binop_quick(c->u->tu, e);
        CXCursor kids[2];
        if ((op == AST_OP_EQ || op == AST_OP_NE || op == AST_OP_GT || op == AST_OP_LT) &&
            ast_children(e, kids, 2) == 2) {
            CXCursor x = kids[0];
            if (eval_int(kids[0], &k))
                x = kids[1];
            else if (!eval_int(kids[1], &k))
                goto constant;
            if (op == AST_OP_GT || op == AST_OP_LT) {
                if (k != 0)
                    return;
                op = AST_OP_NE;  /* x > 0, x < 0: true means non-zero */
                if (!cond_operand(c, x, &is_var, &arg, &glob))
                    return;
                t->assume = is_var ? RA_VAR_NONZERO : RA_RES_NONZERO;
                t->arg = arg;
                t->glob = (unsigned char)glob;
                return;
            }
            if (!cond_operand(c, x, &is_var, &arg, &glob))
                return;
            ri_assume zero = is_var ? RA_VAR_ZERO : RA_RES_ZERO;
            ri_assume nonzero = is_var ? RA_VAR_NONZERO : RA_RES_NONZERO;
            ri_edge *eq = op == AST_OP_EQ ? t : f, *ne = op == AST_OP_EQ ? f : t;
            eq->arg = ne->arg = arg;
            eq->glob = ne->glob = (unsigned char)glob;
            if (k == 0) {
                eq->assume = zero;
                ne->assume = nonzero;
            } else if (is_var) {
                eq->assume = RA_VAR_EQ;
                ne->assume = RA_VAR_NE;
                eq->val = ne->val = lp_int_id(c->lt, k);
            } else {
                eq->assume = nonzero;  /* f() == 5: non-zero; != 5: anything */
            }
            return;
        }
    }
constant:
    if (eval_int(e, &k)) {
        if (k)
            f->assume = RA_FALSE;
        else
            t->assume = RA_FALSE;
    }
}

/* Can the value path v be trusted to mean the same all through the
 * function?  Not when a variable it reads is assigned or address-taken,
 * nor when it reads memory through a global pointer (a call may change
 * it). */
static int stable_value(lower_ctx *c, int v)
{
    const lp_path *p = lp_get(c->lt, v >> 1);
    if (!p || p->base == LP_CONST)
        return 0;
    int through = !(v & 1);  /* the value stored in p: memory too */
    for (unsigned i = 0; i < p->nops; i++)
        through |= p->ops[i].kind == LP_DEREF;
    for (unsigned i = 0; i < p->ndeps; i++) {
        int d = p->deps[i];
        if (has_key(c->assigned, c->nassigned, d) || is_addr_taken(c, d))
            return 0;
    }
    if (through && p->base == LP_GLOBAL)
        return 0;
    for (unsigned i = 0; i < p->nops; i++)
        if (p->ops[i].kind == LP_INDEX_VAR && !p->ops[i].local &&
            lp_str(c->lt, p->ops[i].key)[0] != 'P')
            return 0;  /* a global index */
    return 1;
}

/* Before lowering: which variables are address-taken or assigned, and
 * which local pointers are mere copies (`struct s *b = a;`). */
static void prescan(lower_ctx *c, const cfg *g)
{
    CXCursor kids[2];
    int glob, track;
    for (size_t i = 0; i < g->n; i++)
        for (size_t j = 0; j < g->blocks[i].nelems; j++) {
            const cfg_elem *el = &g->blocks[i].elems[j];
            int key = -1;
            if (el->kind == CFG_ADDROF) {
                key = lp_var_key(c->lt, &c->fn, clang_getCursorReferenced(el->c), &glob);
                if (key >= 0 && !is_addr_taken(c, key))
                    VEC_PUSH(c->addr_taken, c->naddr, c->capaddr, key);
                continue;
            }
            if (el->kind == CFG_ASSIGN || el->kind == CFG_INCDEC) {
                if (ast_children(el->c, kids, 1) >= 1) {
                    CXCursor e = ast_strip_casts(kids[0]);
                    if (clang_getCursorKind(e) == CXCursor_DeclRefExpr)
                        key = lp_var_key(c->lt, &c->fn, clang_getCursorReferenced(e), &glob);
                }
                if (key >= 0 && !has_key(c->assigned, c->nassigned, key))
                    VEC_PUSH(c->assigned, c->nassigned, c->capassigned, key);
            }
        }
    for (size_t i = 0; i < g->n; i++)
        for (size_t j = 0; j < g->blocks[i].nelems; j++) {
            const cfg_elem *el = &g->blocks[i].elems[j];
            if (el->kind != CFG_VARDECL)
                continue;
            CXType ty = clang_getCanonicalType(clang_getCursorType(el->c));
            if (ty.kind != CXType_Pointer)
                continue;
            int key = lp_var_key(c->lt, &c->fn, el->c, &glob);
            if (key < 0 || glob || has_key(c->assigned, c->nassigned, key) ||
                is_addr_taken(c, key) || has_key(c->alias_key, c->nalias, key))
                continue;
            CXCursor init = decl_value(el->c);
            if (cx_is_null(init))
                continue;
            CXCursor r = ast_strip_casts(init);
            enum CXCursorKind rk = clang_getCursorKind(r);
            if (rk == CXCursor_DeclRefExpr) {
                if (var_of(c, r, &track, &glob) < 0 || glob)
                    continue;
            } else if (!(rk == CXCursor_UnaryOperator &&
                         ast_unop_quick(c->u->tu, r) == AST_OP_ADDROF)) {
                continue;
            }
            c->fn.alias_key = c->alias_key;
            c->fn.alias_val = c->alias_val;
            c->fn.nalias = (unsigned)c->nalias;
            int v = lp_value(c->lt, c->u->tu, &c->fn, r);
            if (v < 0 || !stable_value(c, v))
                continue;
            size_t na = c->nalias;
            VEC_PUSH(c->alias_key, c->nalias, c->capalias, key);
            VEC_PUSH(c->alias_val, na, c->capaliasv, v);
        }
    c->fn.alias_key = c->alias_key;
    c->fn.alias_val = c->alias_val;
    c->fn.nalias = (unsigned)c->nalias;
}

static void lower_function(rc_unit *u, sum_program *prog, noreturn_memo *nr, CXCursor fn,
                           CXCursor body, const char *usr)
{
    lower_ctx c;
    memset(&c, 0, sizeof c);
    c.u = u;
    c.noreturn = nr;
    c.prog = prog;
    c.lt = sum_paths(prog);
    c.fn.decl = fn;
    c.fn.nparams = clang_Cursor_getNumArguments(fn);
    if (c.fn.nparams < 0)
        c.fn.nparams = 0;
    c.fn.params = xmalloc((c.fn.nparams ? (size_t)c.fn.nparams : 1) * sizeof *c.fn.params);
    for (int i = 0; i < c.fn.nparams; i++)
        c.fn.params[i] = clang_Cursor_getArgument(fn, (unsigned)i);
    c.fn.cache = lp_cache_new();

    cfg g;
    cfg_build(&g, u->tu, body);
    prescan(&c, &g);
    ri_func *rf = xcalloc(1, sizeof *rf);
    c.rf = rf;
    char *name = cx_spelling(fn);
    rf->usr = lp_str_id(c.lt, usr);
    rf->name = lp_str_id(c.lt, name);
    free(name);
    rf->nparams = (unsigned)c.fn.nparams;
    rf->nblocks = (unsigned)g.n;
    rf->entry = g.entry;
    rf->exit = g.exit;
    rf->blocks = xcalloc(g.n ? g.n : 1, sizeof *rf->blocks);
    for (size_t i = 0; i < g.n; i++) {
        const cfg_block *cb = &g.blocks[i];
        ri_block *b = &rf->blocks[i];
        c.ncalls = 0;
        for (size_t j = 0; j < cb->nelems; j++)
            lower_elem(&c, b, &cb->elems[j]);
        b->nsucc = (unsigned)cb->nsucc;
        b->capsucc = b->nsucc;
        b->succ = xcalloc(cb->nsucc ? cb->nsucc : 1, sizeof *b->succ);
        for (size_t j = 0; j < cb->nsucc; j++)
            b->succ[j].to = cb->succ[j], b->succ[j].val = -1;
        if (cb->has_cond && cb->nsucc == 2)
            interpret_cond(&c, cb->cond, &b->succ[0], &b->succ[1]);
        else if (cb->is_switch)
            interpret_switch(&c, cb, b);
    }
    cfg_free(&g);
    free(c.fn.params);
    lp_cache_free(c.fn.cache);
    free(c.assigned);
    free(c.alias_key);
    free(c.alias_val);
    free(c.addr_taken);
    free(c.calls);
    free(c.call_uids);
    sum_add_function(prog, rf);
}

/* Does anything in a body need the lowering?  A body with no call, no
 * loop or jump and no variable holding a lock takes, releases and marks
 * no lock and always returns: its summary would be empty, which is what a
 * call to a function not lowered at all means too (do_call), and it can
 * report nothing.  Nearly half of the functions lowered in zstd are such
 * leaves, though small ones.  One that names a static variable (a global)
 * is lowered all the same: what globals a call may change is read from
 * the lowered bodies (summary.c: call_effects). */
typedef struct body_scan {
    locktype_cache *locktypes;
    int needed;
} body_scan;

static enum CXChildVisitResult scan_body(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    body_scan *b = d;
    lock_info info;
    switch (c.kind) {
    case CXCursor_CallExpr:
    case CXCursor_WhileStmt:
    case CXCursor_DoStmt:
    case CXCursor_ForStmt:
    case CXCursor_GotoStmt:
    case CXCursor_IndirectGotoStmt:
    case CXCursor_GCCAsmStmt:
    case CXCursor_MSAsmStmt:
        b->needed = 1;
        break;
    case CXCursor_VarDecl:
        b->needed = locktype_find(b->locktypes, clang_getCursorType(c), &info);
        break;
    case CXCursor_DeclRefExpr: {
        CXCursor d = clang_getCursorReferenced(c);
        b->needed = clang_getCursorKind(d) == CXCursor_VarDecl && ast_has_static_storage(d);
        break;
    }
    default:
        break;
    }
    return b->needed ? CXChildVisit_Break : CXChildVisit_Recurse;
}

static int needs_lowering(rc_unit *u, CXCursor body)
{
    body_scan b = {u->locktypes, 0};
    forest_visit(body, scan_body, &b);
    return b.needed;
}

static CXCursor body_of(CXCursor fn)
{
    CXCursor kids[64];
    unsigned n = ast_children(fn, kids, 64);
    if (n > 64)
        n = 64;
    for (unsigned i = n; i-- > 0;)
        if (clang_getCursorKind(kids[i]) == CXCursor_CompoundStmt)
            return kids[i];
    return clang_getNullCursor();
}

typedef struct unit_ctx {
    rc_unit *u;
    sum_program *prog;
    noreturn_memo noreturn;
} unit_ctx;

/* ---- functions whose address is taken ------------------------------------
 * A call through a pointer can reach only a function whose address the
 * program takes somewhere: named other than as a call's callee (`qsort(v,
 * n, sz, cmp)`, `l->match = eq`, `{.cb = on_read}`).  Per declaration with
 * code, each function named counts its names and its direct calls; more
 * names than calls means a use as a value. */
typedef struct fn_use {
    CXCursor decl;
    unsigned refs, calls;
} fn_use;

typedef struct use_scan {
    fn_use *v;
    size_t n, cap;
} use_scan;

static fn_use *use_of(use_scan *u, CXCursor decl)
{
    for (size_t i = 0; i < u->n; i++)
        if (clang_equalCursors(u->v[i].decl, decl))
            return &u->v[i];
    fn_use x = {decl, 0, 0};
    VEC_PUSH(u->v, u->n, u->cap, x);
    return &u->v[u->n - 1];
}

static enum CXChildVisitResult scan_uses(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    if (c.kind != CXCursor_DeclRefExpr && c.kind != CXCursor_CallExpr)
        return CXChildVisit_Recurse;
    CXCursor r = clang_getCursorReferenced(c);
    if (clang_getCursorKind(r) != CXCursor_FunctionDecl)
        return CXChildVisit_Recurse;
    fn_use *x = use_of(d, clang_getCanonicalCursor(r));
    if (c.kind == CXCursor_CallExpr)
        x->calls++;
    else
        x->refs++;
    return CXChildVisit_Recurse;
}

static void note_address_taken(sum_program *prog, CXCursor decl)
{
    use_scan u = {NULL, 0, 0};
    forest_visit(decl, scan_uses, &u);
    for (size_t i = 0; i < u.n; i++)
        /* A library's function cannot name the program's globals. */
        if (u.v[i].refs > u.v[i].calls &&
            !clang_Location_isInSystemHeader(clang_getCursorLocation(u.v[i].decl))) {
            char *usr = cx_take(clang_getCursorUSR(u.v[i].decl));
            if (*usr)
                sum_add_address_taken(prog, usr);
            free(usr);
        }
    free(u.v);
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    unit_ctx *x = d;
    if (!tu_decl_is_user_code(c))
        return CXChildVisit_Continue;
    note_address_taken(x->prog, c);
    if (clang_getCursorKind(c) == CXCursor_VarDecl) {
        check_var_init(x->u, x->prog, NULL, c);
        return CXChildVisit_Continue;
    }
    CXCursor body = body_of(c);
    if (cx_is_null(body))
        return CXChildVisit_Continue;
    /* A function defined in a header (an inline one) is in every unit that
     * includes it, and the program keeps the first unit's body only: when
     * an earlier unit has lowered it, this one need not (a fifth of
     * zstd's lowering). */
    rc_claims *claims = x->u->claims;
    int shared = claims && !clang_Location_isFromMainFile(clang_getCursorLocation(c));
    char *usr = shared ? cx_take(clang_getCursorUSR(c)) : NULL;
    if (shared && claims_before(claims, usr, x->u->index)) {
        sum_add_borrowed(x->prog, usr);
    } else if (needs_lowering(x->u, body)) {
        if (!usr)
            usr = cx_take(clang_getCursorUSR(c));
        lower_function(x->u, x->prog, &x->noreturn, c, body, usr);
        if (shared)
            claims_record(claims, usr, x->u->index);
    }
    free(usr);
    return CXChildVisit_Continue;
}

static void *relock_begin(void)
{
    relock_state *s = xcalloc(1, sizeof *s);
    s->prog = sum_new();
    return s;
}

static void relock_unit(void *state, rc_unit *u, rc_findings *out)
{
    (void)out;
    relock_state *s = state;
    unit_ctx x;
    memset(&x, 0, sizeof x);
    x.u = u;
    x.prog = s->prog;
    clang_visitChildren(clang_getTranslationUnitCursor(u->tu->cx), visit_top, &x);
    free(x.noreturn.decls);
    free(x.noreturn.hashes);
    free(x.noreturn.values);
}

/* Units lowered on their own (perhaps on other threads, perhaps loaded
 * from the cache) fold into the program of the units before them; see
 * sum_merge for why the result equals one shared program. */
static void relock_merge(void *into, void *from)
{
    relock_state *a = into, *b = from;
    sum_merge(a->prog, b->prog);
    free(b);
}

static cJSON *relock_save(const void *state)
{
    const relock_state *s = state;
    return sum_save(s->prog);
}

static void *relock_load(const cJSON *saved)
{
    sum_program *p = sum_load(saved);
    if (!p)
        return NULL;
    relock_state *s = xcalloc(1, sizeof *s);
    s->prog = p;
    return s;
}

static int relock_complete(const void *before, const void *state)
{
    const relock_state *b = before, *s = state;
    return sum_has_borrowed(b ? b->prog : NULL, s->prog);
}

static void relock_discard(void *state)
{
    relock_state *s = state;
    sum_free(s->prog);
    free(s);
}

static void relock_end(void *state, rc_findings *out, unsigned jobs)
{
    const relock_state *s = state;
    sum_solve(s->prog, out, CHECK_NAME, jobs);
}

const rc_check check_relock = {
    .name = CHECK_NAME,
    .summary = "a thread locks a non-recursive lock it already holds (self-deadlock)",
    .description =
        "Locking a non-recursive mutex, rwlock (for writing, or after writing), spinlock "
        "or C11 mtx_plain mutex that the calling thread already holds never returns: "
        "the thread waits for itself, and ThreadSanitizer reports nothing. Reported at "
        "the second acquisition, or at a call whose callee (at any depth, in any file "
        "given) acquires a lock the caller holds, with the place the lock was first "
        "taken and the chain of calls. Locks are told apart by access path (c->mu, "
        "s.inner.mu, m[3]); recursive mutexes (PTHREAD_MUTEX_RECURSIVE, "
        "PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, mtx_recursive) are never reported.",
    .help =
        "Release the lock before calling code that takes it, or split the callee into a "
        "locked entry point and an internal '_locked' variant that expects the lock "
        "held; make the mutex recursive only if re-entry is really intended.",
    .begin = relock_begin,
    .unit = relock_unit,
    .merge = relock_merge,
    .end = relock_end,
    .save = relock_save,
    .load = relock_load,
    .complete = relock_complete,
    .discard = relock_discard,
};
