/*
 * copies.c -- find the copy sites of a translation unit.
 *
 * One pass over each user function (libclang's visitor does the descent, so
 * our own stack stays flat however deep the expressions are).  Declarations
 * in system headers are skipped whole: nothing there is the user's to fix.
 */
#include "copies.h"
#include "ast.h"
#include "forest.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct walk {
    rc_tu *tu;
    copy_filter interesting;
    copy_sink found;
    void *ud;
    const char *function;
    CXCursor fn;             /* the enclosing function (its return type) */
    CXCursor skip;       /* a subtree not to enter (_Generic's controller) */
} walk;

static void emit(walk *w, copy_kind kind, CXCursor at, CXType type,
                 const char *name, int is_dest)
{
    copy_site s = {kind, at, type, name ? name : "", w->function, is_dest};
    w->found(&s, w->ud);
}

static int is_array_or_function(CXType t)
{
    enum CXTypeKind k = clang_getCanonicalType(t).kind;
    return k == CXType_ConstantArray || k == CXType_IncompleteArray ||
           k == CXType_VariableArray || k == CXType_DependentSizedArray ||
           k == CXType_FunctionProto || k == CXType_FunctionNoProto;
}

/* The type of the value an expression yields, as written: looking through
 * implicit conversions keeps the typedef sugar that lvalue conversion
 * drops (pthread_spinlock_t is volatile int until it is read).  0 when the
 * expression decays to a pointer: passing or storing `locks` copies a
 * pointer, not the array. */
static int value_type(CXCursor e, CXType *out)
{
    CXType outer = clang_getCursorType(e), inner = clang_getCursorType(ast_strip(e));
    if (clang_getCanonicalType(outer).kind == CXType_Pointer && is_array_or_function(inner))
        return 0;
    *out = inner;
    return 1;
}

/* A copy of an existing object (not a fresh value) of type t, when t is
 * interesting. */
static void check_copy(walk *w, copy_kind kind, CXCursor at, CXCursor value, CXType t,
                       const char *name)
{
    if (w->interesting(t, w->ud) && !ast_is_fresh(w->tu, value))
        emit(w, kind, at, t, name, 0);
}

/* check_copy with the type the value itself has. */
static void check_value_copy(walk *w, copy_kind kind, CXCursor at, CXCursor value,
                             const char *name)
{
    CXType t;
    if (value_type(value, &t))
        check_copy(w, kind, at, value, t, name);
}

static int is_array(CXType t)
{
    enum CXTypeKind k = clang_getCanonicalType(t).kind;
    return k == CXType_ConstantArray || k == CXType_IncompleteArray ||
           k == CXType_VariableArray || k == CXType_DependentSizedArray;
}

static void visit_params(walk *w, CXCursor fn)
{
    int n = clang_Cursor_getNumArguments(fn);
    for (int i = 0; i < n; i++) {
        CXCursor p = clang_Cursor_getArgument(fn, (unsigned)i);
        CXType t = clang_getCursorType(p);
        /* An array parameter is a pointer: nothing is copied. */
        if (is_array(t) || !w->interesting(t, w->ud))
            continue;
        char *name = cx_spelling(p);
        emit(w, COPY_PARAM, p, t, name, 0);
        free(name);
    }
}

/* memcpy(dst, src, n) and its relatives: which arguments are the objects. */
static int memcpy_args(const char *callee, int *dst, int *src)
{
    static const char *const dst_first[] = {
        "memcpy", "memmove", "mempcpy", "__builtin_memcpy", "__builtin_memmove",
        "__builtin_mempcpy", "__builtin___memcpy_chk", "__builtin___memmove_chk",
        "__builtin___mempcpy_chk", "__memcpy_chk", "__memmove_chk",
    };
    for (size_t i = 0; i < sizeof dst_first / sizeof *dst_first; i++)
        if (!strcmp(callee, dst_first[i])) {
            *dst = 0, *src = 1;
            return 1;
        }
    if (!strcmp(callee, "bcopy")) {
        *dst = 1, *src = 0;
        return 1;
    }
    return 0;
}

/* The object a memcpy argument points at: through the implicit conversion
 * to void *, `&x` is x, an array is its elements, a pointer its pointee. */
static int pointed_object_type(walk *w, CXCursor arg, CXType *out)
{
    CXCursor e = ast_strip_casts(arg);
    CXType t = clang_getCursorType(e);
    CXType canon = clang_getCanonicalType(t);
    if (canon.kind == CXType_Pointer)
        t = clang_getPointeeType(t);
    if (clang_getCanonicalType(t).kind == CXType_Void)
        return 0;
    *out = t;
    return w->interesting(t, w->ud);
}

/* The function type a call goes through (direct or via a pointer). */
static CXType callee_type(CXCursor call)
{
    CXCursor kids[1];
    if (ast_children(call, kids, 1) < 1)
        return clang_getCursorType(clang_getNullCursor());
    CXType t = clang_getCanonicalType(clang_getCursorType(kids[0]));
    if (t.kind == CXType_Pointer)
        t = clang_getCanonicalType(clang_getPointeeType(t));
    /* Keep the declared parameter types' sugar when the callee is known. */
    CXCursor ref = clang_getCursorReferenced(call);
    if (!cx_is_null(ref) && clang_getCursorKind(ref) == CXCursor_FunctionDecl)
        t = clang_getCursorType(ref);
    return t;
}

static void visit_call(walk *w, CXCursor call)
{
    char *callee = ast_callee_name(call);
    int n = clang_Cursor_getNumArguments(call), dst, src;
    if (memcpy_args(callee, &dst, &src)) {
        CXType t;
        if (src < n && pointed_object_type(w, clang_Cursor_getArgument(call, (unsigned)src), &t))
            emit(w, COPY_MEMCPY, call, t, callee, 0);
        else if (dst < n && pointed_object_type(w, clang_Cursor_getArgument(call, (unsigned)dst), &t))
            emit(w, COPY_MEMCPY, call, t, callee, 1);
    } else {
        /* The parameter's type says what is copied (a ?: or comma operand
         * has lost its typedef); variadic arguments have only their own. */
        CXType fnty = callee_type(call);
        int nparams = fnty.kind == CXType_FunctionProto ? clang_getNumArgTypes(fnty) : 0;
        for (int i = 0; i < n; i++) {
            CXCursor a = clang_Cursor_getArgument(call, (unsigned)i);
            if (i < nparams)
                check_copy(w, COPY_ARG, a, a, clang_getArgType(fnty, (unsigned)i), callee);
            else
                check_value_copy(w, COPY_ARG, a, a, callee);
        }
    }
    free(callee);
}

static void visit_var(walk *w, CXCursor var)
{
    CXCursor init = clang_Cursor_getVarDeclInitializer(var);
    if (cx_is_null(init))
        return;
    char *name = cx_spelling(var);
    /* The declared type names the lock (a ?: operand has lost its typedef);
     * failing that, the value's (`typeof(x) y = x`, `int v = spinlock`). */
    CXType t = clang_getCursorType(var);
    if (!w->interesting(t, w->ud) && !value_type(init, &t))
        t = clang_getCursorType(var);
    check_copy(w, COPY_INIT, init, init, t, name);
    free(name);
}

static void visit_init_list(walk *w, CXCursor list)
{
    CXCursor kids[64];
    unsigned n = ast_children(list, kids, 64);
    if (n > 64) {  /* long lists: fetch them all */
        CXCursor *all = xmalloc(n * sizeof *all);
        ast_children(list, all, n);
        for (unsigned i = 0; i < n; i++)
            if (clang_isExpression(clang_getCursorKind(all[i])))
                check_value_copy(w, COPY_INIT_ELEM, all[i], all[i], NULL);
        free(all);
        return;
    }
    for (unsigned i = 0; i < n; i++)
        if (clang_isExpression(clang_getCursorKind(kids[i])))
            check_value_copy(w, COPY_INIT_ELEM, kids[i], kids[i], NULL);
}

static void visit_binop(walk *w, CXCursor e)
{
    CXCursor kids[2];
    CXType t;
    /* What is assigned has the left operand's type (the result's has lost
     * its typedef); only `=` and `,` can yield a lock, so the operator is
     * looked at only then. */
    if (ast_children(e, kids, 2) != 2 || !value_type(kids[0], &t) ||
        !w->interesting(t, w->ud))
        return;
    ast_op op = ast_binop(w->tu, e);
    /* Inside a macro the operator may be unknown: an operand of the
     * result's own type means assignment (a comma between two such
     * values would be pointless code). */
    if (op == AST_OP_UNKNOWN &&
        clang_equalTypes(clang_getCanonicalType(clang_getCursorType(kids[0])),
                         clang_getCanonicalType(clang_getCursorType(e))))
        op = AST_OP_ASSIGN;
    if (op != AST_OP_ASSIGN || ast_is_fresh(w->tu, kids[1]))
        return;
    emit(w, COPY_ASSIGN, e, t, NULL, 0);
}

static void visit_return(walk *w, CXCursor ret)
{
    CXCursor kid;
    if (ast_children(ret, &kid, 1) == 1 && clang_isExpression(clang_getCursorKind(kid)) &&
        !cx_is_null(w->fn))
        check_copy(w, COPY_RETURN, kid, kid, clang_getCursorResultType(w->fn), NULL);
}

static int is_decl_with_type_exprs(enum CXCursorKind k)
{
    return k == CXCursor_VarDecl || k == CXCursor_ParmDecl || k == CXCursor_FieldDecl ||
           k == CXCursor_TypedefDecl || k == CXCursor_FunctionDecl;
}

/* __builtin_types_compatible_p(typeof(a = b), T) evaluates nothing.  It is
 * an UnexposedExpr with several children (an implicit conversion has one),
 * so only those are worth reading a token of. */
static int is_type_trait(rc_tu *tu, CXCursor e)
{
    CXCursor kids[2];
    /* The trait is an int; most implicit conversions are not: ask the
     * cheap question first. */
    if (clang_getCursorType(e).kind != CXType_Int || ast_children(e, kids, 2) < 2)
        return 0;
    CXSourceLocation at = clang_getRangeStart(clang_getCursorExtent(e));
    CXToken *tok = clang_getToken(tu->cx, at);
    if (!tok)
        return 0;
    char *s = cx_take(clang_getTokenSpelling(tu->cx, *tok));
    int trait = !strncmp(s, "__builtin_types_compatible_p", 28);
    free(s);
    clang_disposeTokens(tu->cx, tok, 1);
    return trait;
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData d)
{
    walk *w = d;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (!cx_is_null(w->skip) && ast_same(c, w->skip))
        return CXChildVisit_Continue;
    /* Expressions that hang off a declaration but are not its initialiser
     * sit in its type: typeof operands, array bounds.  Not evaluated as
     * copies. */
    if (clang_isExpression(k) && is_decl_with_type_exprs(clang_getCursorKind(parent))) {
        CXCursor init = clang_getCursorKind(parent) == CXCursor_VarDecl
                            ? clang_Cursor_getVarDeclInitializer(parent)
                            : clang_getNullCursor();
        if (cx_is_null(init) || !ast_same(init, c))
            return CXChildVisit_Continue;
    }
    switch (k) {
    case CXCursor_UnaryExpr:  /* sizeof, _Alignof, offsetof: unevaluated */
        return CXChildVisit_Continue;
    case CXCursor_UnexposedExpr:
        if (is_type_trait(w->tu, c))
            return CXChildVisit_Continue;
        break;
    case CXCursor_GenericSelectionExpr: {
        CXCursor ctl;
        if (ast_children(c, &ctl, 1) >= 1)
            w->skip = ctl;
        break;
    }
    case CXCursor_FunctionDecl:
        visit_params(w, c);
        break;
    case CXCursor_CallExpr:
        visit_call(w, c);
        break;
    case CXCursor_VarDecl:
        visit_var(w, c);
        break;
    case CXCursor_InitListExpr:
        visit_init_list(w, c);
        break;
    case CXCursor_BinaryOperator:
        visit_binop(w, c);
        break;
    case CXCursor_ReturnStmt:
        visit_return(w, c);
        break;
    default:
        break;
    }
    return CXChildVisit_Recurse;
}

/* Top level: one declaration at a time, so that system headers are skipped
 * whole and each function's copies know their function. */
static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    walk *w = d;
    if (clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
        return CXChildVisit_Continue;
    char *fname = NULL;
    w->fn = clang_getNullCursor();
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl) {
        fname = cx_spelling(c);
        w->function = fname;
        w->fn = c;
    }
    w->skip = clang_getNullCursor();
    /* The declaration itself, then everything inside it that can copy. */
    if (visit(c, clang_getTranslationUnitCursor(w->tu->cx), w) == CXChildVisit_Recurse &&
        tu_decl_has_code(c))
        forest_visit(c, visit, w);
    w->function = NULL;
    free(fname);
    return CXChildVisit_Continue;
}

void copies_collect(rc_tu *tu, copy_filter interesting, copy_sink found, void *ud)
{
    walk w = {tu, interesting, found, ud, NULL, clang_getNullCursor(), clang_getNullCursor()};
    clang_visitChildren(clang_getTranslationUnitCursor(tu->cx), visit_top, &w);
}
