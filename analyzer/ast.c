/*
 * ast.c -- operator kinds, operands and value categories of expressions.
 *
 * libclang before LLVM 17 has no API for an operator's kind, so we read the
 * one token between the operands: tokenising that small range costs O(1),
 * where tokenising the whole expression would be quadratic on long chains.
 */
#include "ast.h"
#include "forest.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Comparing the nodes (cx_node) costs nothing, where comparing extents
 * re-lexes both ends. */
int ast_same(CXCursor a, CXCursor b)
{
    if (a.kind != b.kind)
        return 0;
    return cx_has_node(a.kind) ? cx_node(a) == cx_node(b) : clang_equalCursors(a, b);
}

typedef struct child_buf {
    CXCursor *out;
    unsigned max, n;
} child_buf;

static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    child_buf *b = d;
    if (b->n < b->max)
        b->out[b->n] = c;
    b->n++;
    return CXChildVisit_Continue;
}

unsigned ast_children(CXCursor c, CXCursor *out, unsigned max)
{
    unsigned n;
    if (forest_children(c, out, max, &n))
        return n;
    child_buf b = {out, max, 0};
    clang_visitChildren(c, collect_child, &b);
    return b.n;
}

#if CINDEX_VERSION_MINOR < 64
/* Before LLVM 17: operators read from the source text and tokens. */
typedef struct spelled_op {
    const char *s;
    ast_op op;
} spelled_op;

/* Every C binary operator, so that a run of operator characters that is
 * none (a comment's star-slash) reads as no operator at all. */
static const spelled_op binary_ops[] = {
    {"=", AST_OP_ASSIGN}, {",", AST_OP_COMMA}, {"&&", AST_OP_LAND},
    {"||", AST_OP_LOR}, {"==", AST_OP_EQ}, {"!=", AST_OP_NE},
    {"<", AST_OP_LT}, {">", AST_OP_GT}, {"<=", AST_OP_LE}, {">=", AST_OP_GE},
    {"+=", AST_OP_COMPOUND_ASSIGN}, {"-=", AST_OP_COMPOUND_ASSIGN},
    {"*=", AST_OP_COMPOUND_ASSIGN}, {"/=", AST_OP_COMPOUND_ASSIGN},
    {"%=", AST_OP_COMPOUND_ASSIGN}, {"&=", AST_OP_COMPOUND_ASSIGN},
    {"|=", AST_OP_COMPOUND_ASSIGN}, {"^=", AST_OP_COMPOUND_ASSIGN},
    {"<<=", AST_OP_COMPOUND_ASSIGN}, {">>=", AST_OP_COMPOUND_ASSIGN},
    {"+", AST_OP_OTHER_BINARY}, {"-", AST_OP_OTHER_BINARY}, {"*", AST_OP_OTHER_BINARY},
    {"/", AST_OP_OTHER_BINARY}, {"%", AST_OP_OTHER_BINARY}, {"<<", AST_OP_OTHER_BINARY},
    {">>", AST_OP_OTHER_BINARY}, {"&", AST_OP_OTHER_BINARY}, {"|", AST_OP_OTHER_BINARY},
    {"^", AST_OP_OTHER_BINARY},
}, unary_ops[] = {
    {"*", AST_OP_DEREF}, {"&", AST_OP_ADDROF}, {"!", AST_OP_NOT},
    {"++", AST_OP_INCDEC}, {"--", AST_OP_INCDEC},
};

/* s's operator in table t (n entries), or none.  The first character
 * sorts out nearly every entry without a call: the CFG builder asks this
 * of every binary operator. */
static ast_op lookup_op(const spelled_op *t, size_t n, const char *s, ast_op none)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].s[0] == s[0] && !strcmp(t[i].s, s))
            return t[i].op;
    return none;
}

static ast_op op_from_spelling(const char *s, int binary)
{
    return binary ? lookup_op(binary_ops, sizeof binary_ops / sizeof *binary_ops, s,
                              AST_OP_OTHER_BINARY)
                  : lookup_op(unary_ops, sizeof unary_ops / sizeof *unary_ops, s,
                              AST_OP_OTHER_UNARY);
}

/* Is the expression's text the result of a macro expansion?  Then its
 * extent no longer delimits the operator (it may span the whole macro
 * call, whose commas would read as comma operators). */
static int in_macro(CXCursor e)
{
    CXSourceLocation l = clang_getCursorLocation(e);
    CXFile f1, f2;
    unsigned o1, o2;
    clang_getSpellingLocation(l, &f1, NULL, NULL, &o1);
    clang_getExpansionLocation(l, &f2, NULL, NULL, &o2);
    return o1 != o2 || !f1 || !f2 || !clang_File_isEqual(f1, f2);
}

/* The first token in [from, to), or AST_OP_UNKNOWN. */
static ast_op op_between(rc_tu *tu, CXSourceLocation from, CXSourceLocation to, int binary)
{
    CXFile f1, f2;
    unsigned o1, o2;
    clang_getFileLocation(from, &f1, NULL, NULL, &o1);
    clang_getFileLocation(to, &f2, NULL, NULL, &o2);
    if (!f1 || !f2 || !clang_File_isEqual(f1, f2) || o2 <= o1 || o2 - o1 > 64)
        return AST_OP_UNKNOWN;
    CXToken *toks = NULL;
    unsigned n = 0;
    clang_tokenize(tu->cx, clang_getRange(from, to), &toks, &n);
    ast_op op = AST_OP_UNKNOWN;
    for (unsigned i = 0; i < n && op == AST_OP_UNKNOWN; i++) {
        if (clang_getTokenKind(toks[i]) != CXToken_Punctuation)
            continue;
        char *s = cx_take(clang_getTokenSpelling(tu->cx, toks[i]));
        if (strcmp(s, ")") && strcmp(s, "("))
            op = op_from_spelling(s, binary);
        free(s);
    }
    clang_disposeTokens(tu->cx, toks, n);
    return op;
}

#endif

ast_op ast_binop(rc_tu *tu, CXCursor e)
{
#if CINDEX_VERSION_MINOR >= 64
    (void)tu;
    switch (clang_getCursorBinaryOperatorKind(e)) {
    case CXBinaryOperator_Assign: return AST_OP_ASSIGN;
    case CXBinaryOperator_Comma: return AST_OP_COMMA;
    case CXBinaryOperator_LAnd: return AST_OP_LAND;
    case CXBinaryOperator_LOr: return AST_OP_LOR;
    case CXBinaryOperator_EQ: return AST_OP_EQ;
    case CXBinaryOperator_NE: return AST_OP_NE;
    case CXBinaryOperator_LT: return AST_OP_LT;
    case CXBinaryOperator_GT: return AST_OP_GT;
    case CXBinaryOperator_LE: return AST_OP_LE;
    case CXBinaryOperator_GE: return AST_OP_GE;
    case CXBinaryOperator_MulAssign: case CXBinaryOperator_DivAssign:
    case CXBinaryOperator_RemAssign: case CXBinaryOperator_AddAssign:
    case CXBinaryOperator_SubAssign: case CXBinaryOperator_ShlAssign:
    case CXBinaryOperator_ShrAssign: case CXBinaryOperator_AndAssign:
    case CXBinaryOperator_XorAssign: case CXBinaryOperator_OrAssign:
        return AST_OP_COMPOUND_ASSIGN;
    case CXBinaryOperator_Invalid: return AST_OP_UNKNOWN;
    default: return AST_OP_OTHER_BINARY;
    }
#else
    CXCursor kids[2];
    if (ast_children(e, kids, 2) != 2 || in_macro(e))
        return AST_OP_UNKNOWN;
    return op_between(tu, clang_getRangeEnd(clang_getCursorExtent(kids[0])),
                      clang_getRangeStart(clang_getCursorExtent(kids[1])), 1);
#endif
}

ast_op ast_unop(rc_tu *tu, CXCursor e)
{
#if CINDEX_VERSION_MINOR >= 64
    (void)tu;
    switch (clang_getCursorUnaryOperatorKind(e)) {
    case CXUnaryOperator_Deref: return AST_OP_DEREF;
    case CXUnaryOperator_AddrOf: return AST_OP_ADDROF;
    case CXUnaryOperator_LNot: return AST_OP_NOT;
    case CXUnaryOperator_PostInc: case CXUnaryOperator_PostDec:
    case CXUnaryOperator_PreInc: case CXUnaryOperator_PreDec:
        return AST_OP_INCDEC;
    case CXUnaryOperator_Invalid: return AST_OP_UNKNOWN;
    default: return AST_OP_OTHER_UNARY;
    }
#else
    CXCursor kid;
    if (ast_children(e, &kid, 1) != 1 || in_macro(e))
        return AST_OP_UNKNOWN;
    CXSourceRange whole = clang_getCursorExtent(e), sub = clang_getCursorExtent(kid);
    CXSourceLocation ws = clang_getRangeStart(whole), ss = clang_getRangeStart(sub);
    if (!clang_equalLocations(ws, ss))  /* prefix: the token before the operand */
        return op_between(tu, ws, ss, 0);
    return op_between(tu, clang_getRangeEnd(sub), clang_getRangeEnd(whole), 0);
#endif
}

static int is_transparent(CXCursor e)
{
    enum CXCursorKind k = clang_getCursorKind(e);
    return k == CXCursor_ParenExpr || k == CXCursor_UnexposedExpr;
}

/* The last expression child: for an implicit cast its operand, for a
 * designated initialiser its value (its designators are not expressions).
 * An unexposed node that names a type (a builtin such as
 * __builtin_types_compatible_p) is opaque: its operands are not its value;
 * a cast names its type too, but its operand is its value.  So is one that
 * ends naming a member: offsetof(typeof(*p), m), whose first child is the
 * struct `*p` (ccan's list_for_each in lwan), not its value. */
static int last_expr_child(CXCursor e, CXCursor *out)
{
    CXCursor kids[8];
    unsigned n = ast_children(e, kids, 8);
    if (n > 8)
        n = 8;
    if (clang_getCursorKind(e) == CXCursor_UnexposedExpr) {
        for (unsigned i = 0; i < n; i++)
            if (clang_getCursorKind(kids[i]) == CXCursor_TypeRef)
                return 0;
        if (n > 0 && clang_getCursorKind(kids[n - 1]) == CXCursor_MemberRef)
            return 0;
    }
    for (unsigned i = n; i-- > 0;)
        if (clang_isExpression(clang_getCursorKind(kids[i]))) {
            *out = kids[i];
            return 1;
        }
    return 0;
}

static CXCursor strip(CXCursor e, int casts)
{
    /* Iterative: a chain of casts is as deep as the user wrote it. */
    for (;;) {
        CXCursor next;
        enum CXCursorKind k = clang_getCursorKind(e);
        if (!(is_transparent(e) || (casts && k == CXCursor_CStyleCastExpr)) ||
            !last_expr_child(e, &next))
            return e;
        e = next;
    }
}

CXCursor ast_strip(CXCursor e) { return strip(e, 0); }
CXCursor ast_strip_casts(CXCursor e) { return strip(e, 1); }

int ast_is_fresh(rc_tu *tu, CXCursor e)
{
    /* Every operand that can become the value must be fresh; a work list
     * rather than recursion, since ?: nests as deep as the user wrote it. */
    CXCursor *work = NULL;
    size_t n = 0, cap = 0;
    int fresh = 1;
    VEC_PUSH(work, n, cap, e);
    while (fresh && n > 0) {
        CXCursor kids[3];
        unsigned nk;
        e = ast_strip_casts(work[--n]);
        switch (clang_getCursorKind(e)) {
        case CXCursor_CallExpr:
        case CXCursor_CompoundLiteralExpr:
        case CXCursor_InitListExpr:
        case CXCursor_UnexposedExpr:  /* what libclang does not show: silent */
            break;
        case CXCursor_StmtExpr: {
            /* ({ ...; x; }) yields the value of its last statement. */
            CXCursor body, *stmts;
            if (ast_children(e, &body, 1) < 1)
                break;
            unsigned ns = ast_children(body, NULL, 0);
            if (!ns)
                break;
            stmts = xmalloc(ns * sizeof *stmts);
            ast_children(body, stmts, ns);
            if (clang_isExpression(clang_getCursorKind(stmts[ns - 1])))
                VEC_PUSH(work, n, cap, stmts[ns - 1]);
            free(stmts);
            break;
        }
        case CXCursor_ConditionalOperator:
            nk = ast_children(e, kids, 3);  /* c ? a : b, or GNU c ?: b */
            if (nk == 3 || nk == 2) {
                VEC_PUSH(work, n, cap, kids[nk - 2]);
                VEC_PUSH(work, n, cap, kids[nk - 1]);
            }
            break;
        case CXCursor_MemberRefExpr:
            /* A member of a fresh struct (`make().inner`) is fresh too;
             * through a pointer (`make()->inner`) it is an existing object. */
            if (ast_children(e, kids, 1) == 1 &&
                clang_getCanonicalType(clang_getCursorType(kids[0])).kind != CXType_Pointer)
                VEC_PUSH(work, n, cap, kids[0]);
            else
                fresh = 0;
            break;
        case CXCursor_BinaryOperator:
            /* An assignment's value is the copied object; a comma's is its
             * right operand. */
            if (ast_binop(tu, e) != AST_OP_COMMA)
                fresh = 0;
            else if (ast_children(e, kids, 2) == 2)
                VEC_PUSH(work, n, cap, kids[1]);
            break;
        default:
            fresh = 0;
        }
    }
    free(work);
    return fresh;
}

int ast_has_static_storage(CXCursor decl)
{
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);
    return sc == CX_SC_Static || sc == CX_SC_Extern ||
           clang_getCursorKind(clang_getCursorSemanticParent(decl)) == CXCursor_TranslationUnit;
}

int ast_eval_int(CXCursor e, long long *out)
{
    CXEvalResult r = clang_Cursor_Evaluate(e);
    if (!r)
        return 0;
    int ok = clang_EvalResult_getKind(r) == CXEval_Int;
    if (ok)
        *out = clang_EvalResult_getAsLongLong(r);
    clang_EvalResult_dispose(r);
    return ok;
}

char *ast_callee_name(CXCursor call)
{
    CXCursor ref = clang_getCursorReferenced(call);
    if (cx_is_null(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl)
        return xstrdup("");
    return cx_spelling(ref);
}

/* Where expression e begins.  clang_getCursorLocation says so, looking
 * through implicit conversions, except for a member access, where it
 * names the member: the access begins where its base does.  (An
 * UnexposedExpr at its child's location is a conversion; one elsewhere,
 * `_Generic (...)` say, begins where it says.) */
CXSourceLocation ast_begin(CXCursor e)
{
    CXSourceLocation at = clang_getCursorLocation(e);
    for (int depth = 0; depth < 64; depth++) {
        enum CXCursorKind k = clang_getCursorKind(e);
        CXCursor kid;
        if ((k != CXCursor_MemberRefExpr && k != CXCursor_UnexposedExpr) ||
            ast_children(e, &kid, 1) < 1)
            return at;
        CXSourceLocation kid_at = clang_getCursorLocation(kid);
        if (k == CXCursor_UnexposedExpr && !clang_equalLocations(at, kid_at))
            return at;
        e = kid, at = kid_at;
    }
    return at;
}

CXSourceLocation ast_report_at(CXCursor c)
{
    return clang_isExpression(clang_getCursorKind(c)) ? ast_begin(c) : clang_getCursorLocation(c);
}

/* ---- ast_binop_quick --------------------------------------------------- */

#if CINDEX_VERSION_MINOR < 64
/* Skip blanks, line continuations and comments in s[i..n). */
static size_t skip_blank(const char *s, size_t i, size_t n)
{
    while (i < n) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
            s[i] == '\v' || (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\n' || s[i + 1] == '\r')))
            i++;
        else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
            const char *end = NULL;
            for (size_t j = i + 2; j + 1 < n && !end; j++)
                if (s[j] == '*' && s[j + 1] == '/')
                    end = s + j;
            if (!end)
                return n;
            i = (size_t)(end - s) + 2;
        } else if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
            while (i < n && s[i] != '\n')
                i++;
        } else
            break;
    }
    return i;
}

/* Where loc is in plain text of a file (not in a macro): its file and offset. */
static int plain_location(CXSourceLocation loc, CXFile *f, unsigned *off)
{
    CXFile sf;
    unsigned so;
    clang_getExpansionLocation(loc, f, NULL, NULL, off);
    clang_getSpellingLocation(loc, &sf, NULL, NULL, &so);
    return *f && sf && clang_File_isEqual(*f, sf) && so == *off;
}

/* Is loc inside a macro expansion?  libclang before 17 answers
 * clang_getSpellingLocation with the expansion location for macro tokens,
 * so plain_location cannot tell; the raw SourceLocation libclang keeps in
 * int_data can: its top bit marks a macro location. */
static int is_macro_location(CXSourceLocation loc)
{
    return (loc.int_data & 0x80000000u) != 0;
}

/* The file text at a plain location: the text and *off into it, or NULL. */
static const char *plain_text(rc_tu *tu, CXSourceLocation loc, unsigned *off, size_t *size)
{
    CXFile f;
    if (is_macro_location(loc) || !plain_location(loc, &f, off))
        return NULL;
    const char *text = tu_file_text(tu, f, size);
    return text && *off < *size ? text : NULL;
}

static int binary_char(char c)
{
    return c && strchr("=!<>&|^+-*/%,", c);
}

/* The binary operator spelled as the run of operator characters just
 * before text[off], past blanks, line breaks and line continuations;
 * AST_OP_UNKNOWN when there is none or anything else is there (a
 * comment's star-slash is no operator).  Across a line break the run
 * must not end a preprocessor line (`#include <x.h>`) or a `//` comment. */
static ast_op op_before(const char *text, size_t off)
{
    size_t end = off;
    for (;;) {
        while (end > 0 && text[end - 1] && strchr(" \t\r\n\f\v", text[end - 1]))
            end--;
        if (end > 0 && end < off && text[end - 1] == '\\' &&
            (text[end] == '\n' || text[end] == '\r'))
            end--;
        else
            break;
    }
    size_t start = end;
    while (start > 0 && end - start < 3 && binary_char(text[start - 1]))
        start--;
    if (start == end || (start > 0 && binary_char(text[start - 1])))
        return AST_OP_UNKNOWN;
    if (memchr(text + end, '\n', off - end)) {
        size_t line = start;
        while (line > 0 && text[line - 1] != '\n')
            line--;
        while (line < start && (text[line] == ' ' || text[line] == '\t'))
            line++;
        if (text[line] == '#')
            return AST_OP_UNKNOWN;
        for (size_t i = line; i + 1 < start; i++)
            if (text[i] == '/' && text[i + 1] == '/')
                return AST_OP_UNKNOWN;
    }
    char op[4] = {0};
    memcpy(op, text + start, end - start);
    return lookup_op(binary_ops, sizeof binary_ops / sizeof *binary_ops, op, AST_OP_UNKNOWN);
}

/* The operator as the text just before the right operand, which begins
 * at rhs_at in plain text. */
static ast_op binop_from_text(rc_tu *tu, CXSourceLocation rhs_at)
{
    unsigned off;
    size_t size;
    const char *text = plain_text(tu, rhs_at, &off, &size);
    return text ? op_before(text, off) : AST_OP_UNKNOWN;
}

/* op_before in file f's text, at offset off. */
static ast_op op_before_in(rc_tu *tu, CXFile f, unsigned off)
{
    size_t size;
    const char *text = tu_file_text(tu, f, &size);
    return text && off <= size ? op_before(text, off) : AST_OP_UNKNOWN;
}

/* The operator of e when its right operand begins (at lr) inside a macro
 * expansion.  Two cases have the operator in a file's text:
 *  - rhs begins an expansion of its own, after e begins (`x = MIN(a, b)`,
 *    `LHS + F(y)`): the operator is the text before that expansion;
 *  - both operands are spelled in one macro's arguments (`CHECK(a == b)`,
 *    `LIKELY(p && q)`): the operator is the text before rhs's spelling,
 *    unless that is a comma, which may separate arguments (`SUB(a, b)`
 *    for `a - b`).
 * Anything else (operator in a macro's body) is unknown: before LLVM 17
 * libclang has no way to read it. */
static ast_op binop_in_macro(rc_tu *tu, CXCursor e, CXSourceLocation lr)
{
    CXSourceLocation le = clang_getCursorLocation(e);
    CXFile fe, fr;
    unsigned oe, orr;
    clang_getExpansionLocation(le, &fe, NULL, NULL, &oe);
    clang_getExpansionLocation(lr, &fr, NULL, NULL, &orr);
    if (!fe || !fr || !clang_File_isEqual(fe, fr) || oe > orr)
        return AST_OP_UNKNOWN;
    if (oe < orr)
        return op_before_in(tu, fr, orr);
    /* clang_getSpellingLocation answers, before LLVM 17, where the token
     * is written in a file: in the arguments for an argument's token, at
     * the expansion for a token of the macro's body. */
    CXFile sr;
    unsigned osr;
    clang_getSpellingLocation(lr, &sr, NULL, NULL, &osr);
    if (!sr || (clang_File_isEqual(sr, fr) && osr == orr))
        return AST_OP_UNKNOWN;
    ast_op op = op_before_in(tu, sr, osr);
    return op == AST_OP_COMMA ? AST_OP_UNKNOWN : op;
}

/* Where a token of a macro's arguments is written (`LIKELY(!x)`'s `!`):
 * before LLVM 17 clang_getSpellingLocation gives that place for such a
 * token, the expansion itself for one of the macro's body -- and, through
 * nested macros, places that need not be the token at all.  The text and
 * *off into it, or NULL. */
static const char *arg_text(rc_tu *tu, CXSourceLocation loc, CXFile *sf, unsigned *off,
                            size_t *size)
{
    CXFile ef;
    unsigned eo;
    clang_getExpansionLocation(loc, &ef, NULL, NULL, &eo);
    clang_getSpellingLocation(loc, sf, NULL, NULL, off);
    if (!*sf || (ef && clang_File_isEqual(ef, *sf) && eo == *off))
        return NULL;
    const char *text = tu_file_text(tu, *sf, size);
    return text && *off < *size ? text : NULL;
}

/* A prefix operator spelled in a macro's arguments: believed only when
 * its operand is written right after it in the same file, so that a
 * place that is not the token (see arg_text) reads as nothing. */
static ast_op unop_in_macro_args(rc_tu *tu, CXCursor e, CXCursor kid)
{
    CXFile f, kf;
    unsigned off, kid_off;
    size_t size, ksize;
    const char *text = arg_text(tu, clang_getCursorLocation(e), &f, &off, &size);
    if (!text || !arg_text(tu, clang_getCursorLocation(kid), &kf, &kid_off, &ksize) ||
        !clang_File_isEqual(f, kf) || kid_off <= off || kid_off > size)
        return AST_OP_UNKNOWN;
    char c = text[off];
    unsigned n = (c == '+' || c == '-') && off + 1 < size && text[off + 1] == c ? 2 : 1;
    if (!c || !strchr("*&!~+-", c))
        return AST_OP_UNKNOWN;
    for (unsigned i = off + n; i < kid_off; i++)
        if (!text[i] || !strchr(" \t\r\n\f\v", text[i]))
            return AST_OP_UNKNOWN;
    if (n == 2)
        return AST_OP_INCDEC;
    char op[2] = {c, 0};
    return op_from_spelling(op, 0);
}

/* A prefix operator is the text where the expression begins; a postfix
 * one (only ++ and -- in C) begins where its operand does.  GNU __real__,
 * __imag__ and __extension__ are left to the slower path. */
static ast_op unop_from_text(rc_tu *tu, CXCursor e)
{
    unsigned off, kid_off;
    size_t size;
    CXCursor kid;
    if (ast_children(e, &kid, 1) != 1)
        return AST_OP_UNKNOWN;
    if (is_macro_location(clang_getCursorLocation(e)))
        return unop_in_macro_args(tu, e, kid);
    const char *text = plain_text(tu, clang_getCursorLocation(e), &off, &size);
    if (!text)
        return AST_OP_UNKNOWN;
    char c = text[off], d = off + 1 < size ? text[off + 1] : 0;
    if ((c == '+' || c == '-') && d == c)
        return AST_OP_INCDEC;
    if (c && strchr("*&!~+-", c)) {
        char op[2] = {c, 0};
        return op_from_spelling(op, 0);
    }
    if (c == '_' && d == '_')
        return AST_OP_UNKNOWN;
    return plain_text(tu, clang_getCursorLocation(kid), &kid_off, &size) && kid_off == off
               ? AST_OP_INCDEC : AST_OP_UNKNOWN;
}

static ast_op binop_uncached(rc_tu *tu, CXCursor e);
static ast_op unop_uncached(rc_tu *tu, CXCursor e);

/* work(tu, e), remembered in the forest: the same node's operator is asked
 * by the CFG builder, the lowering and the branch conditions. */
static ast_op memoised(rc_tu *tu, CXCursor e, ast_op (*work)(rc_tu *, CXCursor))
{
    int *slot = forest_memo(e);
    if (slot && *slot >= 0)
        return (ast_op)*slot;
    ast_op op = work(tu, e);
    if (slot)
        *slot = (int)op;
    return op;
}
#endif

ast_op ast_binop_quick(rc_tu *tu, CXCursor e)
{
#if CINDEX_VERSION_MINOR >= 64
    return ast_binop(tu, e);
#else
    if (clang_getCursorKind(e) == CXCursor_CompoundAssignOperator)
        return AST_OP_COMPOUND_ASSIGN;
    return memoised(tu, e, binop_uncached);
#endif
}

ast_op ast_unop_quick(rc_tu *tu, CXCursor e)
{
#if CINDEX_VERSION_MINOR >= 64
    return ast_unop(tu, e);
#else
    return memoised(tu, e, unop_uncached);
#endif
}

ast_op ast_cond_unop(rc_tu *tu, CXCursor e)
{
    ast_op op = ast_unop_quick(tu, e);
    if (op != AST_OP_UNKNOWN)
        return op;
    /* Down through unknown unary operators (a loop: no recursion on deep
     * expressions) to what they apply to. */
    for (CXCursor kid = e;;) {
        if (ast_children(kid, &kid, 1) != 1)
            return AST_OP_UNKNOWN;
        kid = ast_strip(kid);
        enum CXCursorKind kind = clang_getCursorKind(kid);
        if (kind == CXCursor_BinaryOperator) {
            op = ast_binop_quick(tu, kid);
            return op >= AST_OP_LAND && op <= AST_OP_GE ? AST_OP_NOT : AST_OP_UNKNOWN;
        }
        if (kind != CXCursor_UnaryOperator)
            return AST_OP_UNKNOWN;
        op = ast_unop_quick(tu, kid);
        if (op != AST_OP_UNKNOWN)
            return op == AST_OP_NOT ? AST_OP_NOT : AST_OP_UNKNOWN;
    }
}

#if CINDEX_VERSION_MINOR < 64
static ast_op binop_uncached(rc_tu *tu, CXCursor e)
{
    CXCursor kids[2];
    if (ast_children(e, kids, 2) != 2)
        return AST_OP_UNKNOWN;
    CXSourceLocation rhs_at = ast_begin(kids[1]);
    if (is_macro_location(rhs_at))
        return binop_in_macro(tu, e, rhs_at);
    ast_op op = binop_from_text(tu, rhs_at);
    if (op != AST_OP_UNKNOWN)
        return op;
    /* Something else between the operands (a comment, a directive):
     * the text between the operands' extents, or the lexer. */
    CXFile f1, f2;
    unsigned o1, o2;
    CXSourceLocation l1 = clang_getRangeEnd(clang_getCursorExtent(kids[0]));
    CXSourceLocation l2 = clang_getRangeStart(clang_getCursorExtent(kids[1]));
    if (!plain_location(l1, &f1, &o1) || !plain_location(l2, &f2, &o2)) {
        /* An operand in a macro's argument: where it is written. */
        clang_getSpellingLocation(l1, &f1, NULL, NULL, &o1);
        clang_getSpellingLocation(l2, &f2, NULL, NULL, &o2);
    }
    if (!f1 || !f2 || !clang_File_isEqual(f1, f2) || o2 <= o1 || o2 - o1 > 256)
        return ast_binop(tu, e);
    size_t size = 0;
    const char *text = tu_file_text(tu, f1, &size);
    if (!text || o2 > size)
        return ast_binop(tu, e);
    size_t i = skip_blank(text, o1, o2), start = i;
    while (i < o2 && i - start < 3 && binary_char(text[i]))
        i++;
    if (i == start || skip_blank(text, i, o2) != o2)
        return ast_binop(tu, e);  /* not just an operator between: ask the lexer */
    char spelling[4] = {0};
    memcpy(spelling, text + start, i - start);
    return op_from_spelling(spelling, 1);
}

static ast_op unop_uncached(rc_tu *tu, CXCursor e)
{
    ast_op op = unop_from_text(tu, e);
    if (op != AST_OP_UNKNOWN)
        return op;
    /* & and * read from the types, which macros do not blur: &x has type
     * pointer-to-typeof(x), *p has the type p points to. */
    CXCursor kid;
    if (ast_children(e, &kid, 1) == 1) {
        CXType res = clang_getCanonicalType(clang_getCursorType(e));
        CXType opd = clang_getCanonicalType(clang_getCursorType(kid));
        if (res.kind == CXType_Pointer &&
            clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(res)), opd))
            return AST_OP_ADDROF;
        if (opd.kind == CXType_Pointer &&
            clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(opd)), res))
            return AST_OP_DEREF;
    }
    return ast_unop(tu, e);
}
#endif
