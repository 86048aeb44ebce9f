/*
 * cfg.c -- the iterative CFG builder (see cfg.h).
 *
 * The builder is a small machine over a stack of tasks.  Each statement or
 * expression kind is "compiled" into the tasks that build it -- evaluate
 * this, branch there, continue in that block -- pushed in reverse so they
 * run in order.  `cur` is the block being filled; -1 means the point is
 * unreachable (after return/break/goto), and anything appended there goes
 * into a fresh block with no predecessors, which the dataflow never visits.
 */
#include "cfg.h"
#include "ast.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef enum {
    T_STMT, T_EXPR, T_COND,  /* c (, a = true block, b = false block) */
    T_SETCUR,                /* cur = a */
    T_GOTO,                  /* edge cur -> a; cur unreachable */
    T_EMIT,                  /* append element (kind a) c to cur */
    T_BRANCH,                /* cur ends in condition c: a if true, b if false */
    T_PUSHLOOP,              /* jump context: break -> a, continue -> b */
    T_POPCTX,
    T_SWITCH_BEGIN,          /* cur is the switch head; break -> a */
    T_SWITCH_END             /* pop the switch; no default: head -> exit */
} task_kind;

typedef struct task {
    task_kind kind;
    CXCursor c;
    int a, b;
} task;

typedef struct jump_ctx {
    int brk, cont;           /* -1: none */
    int is_switch;
    int head;                /* switch: the block that dispatches to cases */
    int has_default;
} jump_ctx;

typedef struct label {
    CXCursor stmt;
    int block;
} label;

typedef struct builder {
    cfg *g;
    rc_tu *tu;
    int cur;
    task *tasks;
    size_t ntasks, captasks;
    jump_ctx *ctx;
    size_t nctx, capctx;
    label *labels;
    size_t nlabels, caplabels;
    int *indirect;           /* blocks ending in `goto *p` */
    size_t nindirect, capindirect;
    CXCursor *kids;          /* scratch for children */
    size_t capkids;
} builder;

static int new_block(builder *b)
{
    cfg_block blk;
    memset(&blk, 0, sizeof blk);
    VEC_PUSH(b->g->blocks, b->g->n, b->g->cap, blk);
    return (int)b->g->n - 1;
}

static int cur_block(builder *b)
{
    if (b->cur < 0)
        b->cur = new_block(b);
    return b->cur;
}

static void add_edge(builder *b, int from, int to)
{
    cfg_block *blk = &b->g->blocks[from];
    VEC_PUSH(blk->succ, blk->nsucc, blk->capsucc, (unsigned)to);
}

/* An edge out of a switch head, entering by `label` (may be null). */
static void add_case_edge(builder *b, int head, int to, CXCursor label)
{
    add_edge(b, head, to);
    cfg_block *blk = &b->g->blocks[head];
    if (!blk->is_switch)
        return;
    blk->labels = xrealloc(blk->labels, blk->capsucc * sizeof *blk->labels);
    blk->labels[blk->nsucc - 1] = label;
}

static void push(builder *b, task_kind k, CXCursor c, int x, int y)
{
    task t = {k, c, x, y};
    VEC_PUSH(b->tasks, b->ntasks, b->captasks, t);
}

/* Push tasks so that they run in the order given. */
static void push_seq(builder *b, const task *seq, size_t n)
{
    for (size_t i = n; i-- > 0;)
        VEC_PUSH(b->tasks, b->ntasks, b->captasks, seq[i]);
}

/* All children of c, into the builder's scratch array (reused). */
static size_t children(builder *b, CXCursor c, CXCursor **out)
{
    size_t n = ast_children(c, b->kids, (unsigned)b->capkids);
    if (n > b->capkids) {
        b->capkids = n * 2;
        b->kids = xrealloc(b->kids, b->capkids * sizeof *b->kids);
        n = ast_children(c, b->kids, (unsigned)b->capkids);
    }
    *out = b->kids;
    return n;
}

static int label_block(builder *b, CXCursor stmt)
{
    /* Compared by place: a label reached through a LabelRef and the same
     * label visited in the body may differ in libclang's private data. */
    CXSourceLocation at = clang_getCursorLocation(stmt);
    for (size_t i = 0; i < b->nlabels; i++)
        if (clang_equalLocations(clang_getCursorLocation(b->labels[i].stmt), at))
            return b->labels[i].block;
    label l = {stmt, new_block(b)};
    VEC_PUSH(b->labels, b->nlabels, b->caplabels, l);
    return l.block;
}

#define TK(k, c, x, y) ((task){(k), (c), (x), (y)})

static CXCursor null_cursor(void) { return clang_getNullCursor(); }

/* The file offset where c starts (expansion location). */
static unsigned start_offset(CXCursor c)
{
    unsigned off;
    clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), NULL, NULL,
                               NULL, &off);
    return off;
}

/* libclang omits the missing parts of `for (init; cond; inc) body`, so we
 * place the children by the two semicolons of the header. */
static void for_parts(builder *b, CXCursor s, CXCursor *kids, size_t n, CXCursor *init,
                      CXCursor *cond, CXCursor *inc)
{
    *init = *cond = *inc = null_cursor();
    size_t nh = n - 1;  /* the body is always last */
    if (nh == 0)
        return;
    if (nh == 3) {
        *init = kids[0], *cond = kids[1], *inc = kids[2];
        return;
    }
    CXSourceRange ext = clang_getCursorExtent(s);
    CXSourceRange hdr = clang_getRange(clang_getRangeStart(ext),
                                       clang_getRangeStart(clang_getCursorExtent(kids[n - 1])));
    CXToken *toks = NULL;
    unsigned nt = 0;
    clang_tokenize(b->tu->cx, hdr, &toks, &nt);
    unsigned semi[2], ns = 0;
    int depth = 0;
    for (unsigned i = 0; i < nt && ns < 2; i++) {
        if (clang_getTokenKind(toks[i]) != CXToken_Punctuation)
            continue;
        char *sp = cx_take(clang_getTokenSpelling(b->tu->cx, toks[i]));
        if (!strcmp(sp, "("))
            depth++;
        else if (!strcmp(sp, ")"))
            depth--;
        else if (!strcmp(sp, ";") && depth == 1)
            clang_getExpansionLocation(clang_getTokenLocation(b->tu->cx, toks[i]), NULL,
                                       NULL, NULL, &semi[ns++]);
        free(sp);
    }
    clang_disposeTokens(b->tu->cx, toks, nt);
    if (ns == 2) {
        for (size_t i = 0; i < nh; i++) {
            unsigned off = start_offset(kids[i]);
            if (off < semi[0])
                *init = kids[i];
            else if (off < semi[1])
                *cond = kids[i];
            else
                *inc = kids[i];
        }
        return;
    }
    /* A header we cannot read (a macro): guess the common shapes. */
    if (nh == 2) {
        *cond = kids[0];
        *inc = kids[1];
        if (clang_getCursorKind(kids[0]) == CXCursor_DeclStmt)
            *init = kids[0], *cond = kids[1], *inc = null_cursor();
    } else {
        *cond = kids[0];
    }
}

static void do_stmt(builder *b, CXCursor s)
{
    enum CXCursorKind k = clang_getCursorKind(s);
    CXCursor *kids;
    size_t n;
    if (clang_isExpression(k)) {
        push(b, T_EXPR, s, 0, 0);
        return;
    }
    switch (k) {
    case CXCursor_CompoundStmt:
        n = children(b, s, &kids);
        for (size_t i = n; i-- > 0;)
            push(b, T_STMT, kids[i], 0, 0);
        return;
    case CXCursor_IfStmt: {
        n = children(b, s, &kids);
        if (n < 2)
            return;
        int t = new_block(b), e = new_block(b), j = new_block(b);
        CXCursor cond = kids[0], then = kids[1];
        CXCursor els = n > 2 ? kids[2] : null_cursor();
        task seq[] = {
            TK(T_COND, cond, t, e),
            TK(T_SETCUR, null_cursor(), t, 0), TK(T_STMT, then, 0, 0),
            TK(T_GOTO, null_cursor(), j, 0),
            TK(T_SETCUR, null_cursor(), e, 0), TK(T_STMT, els, 0, 0),
            TK(T_GOTO, null_cursor(), j, 0), TK(T_SETCUR, null_cursor(), j, 0),
        };
        push_seq(b, seq, sizeof seq / sizeof *seq);
        return;
    }
    case CXCursor_WhileStmt: {
        n = children(b, s, &kids);
        if (n < 2)
            return;
        int h = new_block(b), body = new_block(b), x = new_block(b);
        task seq[] = {
            TK(T_GOTO, null_cursor(), h, 0), TK(T_SETCUR, null_cursor(), h, 0),
            TK(T_COND, kids[0], body, x),
            TK(T_PUSHLOOP, null_cursor(), x, h), TK(T_SETCUR, null_cursor(), body, 0),
            TK(T_STMT, kids[n - 1], 0, 0), TK(T_GOTO, null_cursor(), h, 0),
            TK(T_POPCTX, null_cursor(), 0, 0), TK(T_SETCUR, null_cursor(), x, 0),
        };
        push_seq(b, seq, sizeof seq / sizeof *seq);
        return;
    }
    case CXCursor_DoStmt: {
        n = children(b, s, &kids);
        if (n < 2)
            return;
        int body = new_block(b), c = new_block(b), x = new_block(b);
        task seq[] = {
            TK(T_GOTO, null_cursor(), body, 0), TK(T_SETCUR, null_cursor(), body, 0),
            TK(T_PUSHLOOP, null_cursor(), x, c), TK(T_STMT, kids[0], 0, 0),
            TK(T_POPCTX, null_cursor(), 0, 0), TK(T_GOTO, null_cursor(), c, 0),
            TK(T_SETCUR, null_cursor(), c, 0), TK(T_COND, kids[1], body, x),
            TK(T_SETCUR, null_cursor(), x, 0),
        };
        push_seq(b, seq, sizeof seq / sizeof *seq);
        return;
    }
    case CXCursor_ForStmt: {
        n = children(b, s, &kids);
        if (n < 1)
            return;
        CXCursor init, cond, inc, body = kids[n - 1];
        for_parts(b, s, kids, n, &init, &cond, &inc);
        int h = new_block(b), bb = new_block(b), ib = new_block(b), x = new_block(b);
        task seq[] = {
            TK(T_STMT, init, 0, 0),
            TK(T_GOTO, null_cursor(), h, 0), TK(T_SETCUR, null_cursor(), h, 0),
            cx_is_null(cond) ? TK(T_GOTO, null_cursor(), bb, 0)
                                      : TK(T_COND, cond, bb, x),
            TK(T_PUSHLOOP, null_cursor(), x, ib), TK(T_SETCUR, null_cursor(), bb, 0),
            TK(T_STMT, body, 0, 0), TK(T_GOTO, null_cursor(), ib, 0),
            TK(T_POPCTX, null_cursor(), 0, 0),
            TK(T_SETCUR, null_cursor(), ib, 0), TK(T_EXPR, inc, 0, 0),
            TK(T_GOTO, null_cursor(), h, 0), TK(T_SETCUR, null_cursor(), x, 0),
        };
        push_seq(b, seq, sizeof seq / sizeof *seq);
        return;
    }
    case CXCursor_SwitchStmt: {
        n = children(b, s, &kids);
        if (n < 2)
            return;
        int x = new_block(b);
        task seq[] = {
            TK(T_EXPR, kids[0], 0, 0), TK(T_SWITCH_BEGIN, kids[0], x, 0),
            TK(T_STMT, kids[n - 1], 0, 0), TK(T_GOTO, null_cursor(), x, 0),
            TK(T_SWITCH_END, null_cursor(), x, 0), TK(T_SETCUR, null_cursor(), x, 0),
        };
        push_seq(b, seq, sizeof seq / sizeof *seq);
        return;
    }
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt: {
        n = children(b, s, &kids);
        int blk = new_block(b);
        if (b->cur >= 0)
            add_edge(b, b->cur, blk);  /* fall through from the case above */
        for (size_t i = b->nctx; i-- > 0;)
            if (b->ctx[i].is_switch) {
                add_case_edge(b, b->ctx[i].head, blk, s);
                if (k == CXCursor_DefaultStmt)
                    b->ctx[i].has_default = 1;
                break;
            }
        b->cur = blk;
        if (n > 0)
            push(b, T_STMT, kids[n - 1], 0, 0);
        return;
    }
    case CXCursor_BreakStmt:
        if (b->nctx > 0)
            push(b, T_GOTO, null_cursor(), b->ctx[b->nctx - 1].brk, 0);
        return;
    case CXCursor_ContinueStmt:
        for (size_t i = b->nctx; i-- > 0;)
            if (b->ctx[i].cont >= 0) {
                push(b, T_GOTO, null_cursor(), b->ctx[i].cont, 0);
                break;
            }
        return;
    case CXCursor_ReturnStmt: {
        n = children(b, s, &kids);
        int out = (int)b->g->exit;
        CXCursor three[3];
        /* `return c ? x : y;` returns x on one branch and y on the other:
         * built as two returns, so that what is returned stays tied to the
         * branch (`return lock(&m) == 0 ? 0 : -1;` is held iff it gives 0). */
        if (n > 0 && clang_getCursorKind(ast_strip(kids[0])) == CXCursor_ConditionalOperator &&
            ast_children(ast_strip(kids[0]), three, 3) == 3) {
            int t = new_block(b), f = new_block(b);
            task seq[] = {
                TK(T_COND, three[0], t, f),
                TK(T_SETCUR, null_cursor(), t, 0), TK(T_EXPR, three[1], 0, 0),
                TK(T_EMIT, three[1], CFG_RETURN, 0), TK(T_GOTO, null_cursor(), out, 0),
                TK(T_SETCUR, null_cursor(), f, 0), TK(T_EXPR, three[2], 0, 0),
                TK(T_EMIT, three[2], CFG_RETURN, 0), TK(T_GOTO, null_cursor(), out, 0),
            };
            push_seq(b, seq, sizeof seq / sizeof *seq);
            return;
        }
        push(b, T_GOTO, null_cursor(), out, 0);
        if (n > 0) {
            push(b, T_EMIT, kids[0], CFG_RETURN, 0);
            push(b, T_EXPR, kids[0], 0, 0);
        }
        return;
    }
    case CXCursor_GotoStmt: {
        n = children(b, s, &kids);
        for (size_t i = 0; i < n; i++)
            if (clang_getCursorKind(kids[i]) == CXCursor_LabelRef) {
                CXCursor target = clang_getCursorReferenced(kids[i]);
                if (!cx_is_null(target)) {
                    push(b, T_GOTO, null_cursor(), label_block(b, target), 0);
                    return;
                }
            }
        b->cur = -1;  /* unknown target: nothing follows */
        return;
    }
    case CXCursor_IndirectGotoStmt:
        VEC_PUSH(b->indirect, b->nindirect, b->capindirect, cur_block(b));
        b->cur = -1;
        return;
    case CXCursor_LabelStmt: {
        n = children(b, s, &kids);
        int blk = label_block(b, s);
        if (b->cur >= 0)
            add_edge(b, b->cur, blk);
        b->cur = blk;
        if (n > 0)
            push(b, T_STMT, kids[n - 1], 0, 0);
        return;
    }
    case CXCursor_DeclStmt:
        n = children(b, s, &kids);
        for (size_t i = n; i-- > 0;)
            if (clang_getCursorKind(kids[i]) == CXCursor_VarDecl)
                push(b, T_STMT, kids[i], 0, 0);
        return;
    case CXCursor_VarDecl: {
        /* The initialiser is the last expression child (a VLA's size
         * expression, if any, comes earlier and is not evaluated here). */
        push(b, T_EMIT, s, CFG_VARDECL, 0);
        n = children(b, s, &kids);
        for (size_t i = n; i-- > 0;)
            if (clang_isExpression(clang_getCursorKind(kids[i]))) {
                push(b, T_EXPR, kids[i], 0, 0);
                break;
            }
        return;
    }
    case CXCursor_UnexposedStmt:
        n = children(b, s, &kids);
        for (size_t i = n; i-- > 0;)
            push(b, T_STMT, kids[i], 0, 0);
        return;
    default:
        return;  /* null statements, asm, ... */
    }
}

static void do_expr(builder *b, CXCursor e)
{
    enum CXCursorKind k = clang_getCursorKind(e);
    CXCursor *kids;
    size_t n;
    switch (k) {
    case CXCursor_DeclRefExpr: case CXCursor_IntegerLiteral: case CXCursor_FloatingLiteral:
    case CXCursor_StringLiteral: case CXCursor_CharacterLiteral:
    case CXCursor_UnaryExpr:  /* sizeof, _Alignof: operands are not evaluated */
        return;
    case CXCursor_StmtExpr:
        n = children(b, e, &kids);
        if (n > 0)
            push(b, T_STMT, kids[0], 0, 0);
        return;
    case CXCursor_CallExpr:
        push(b, T_EMIT, e, CFG_CALL, 0);
        break;  /* then its children */
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator: {
        ast_op op = ast_binop_quick(b->tu, e);
        if (op == AST_OP_LAND || op == AST_OP_LOR) {
            CXCursor two[2];
            if (ast_children(e, two, 2) != 2)
                return;
            int rb = new_block(b), j = new_block(b);
            task seq[] = {
                op == AST_OP_LAND ? TK(T_COND, two[0], rb, j) : TK(T_COND, two[0], j, rb),
                TK(T_SETCUR, null_cursor(), rb, 0), TK(T_EXPR, two[1], 0, 0),
                TK(T_GOTO, null_cursor(), j, 0), TK(T_SETCUR, null_cursor(), j, 0),
            };
            push_seq(b, seq, sizeof seq / sizeof *seq);
            return;
        }
        if (op == AST_OP_ASSIGN || op == AST_OP_COMPOUND_ASSIGN)
            push(b, T_EMIT, e, CFG_ASSIGN, 0);
        break;
    }
    case CXCursor_UnaryOperator: {
        ast_op op = ast_unop_quick(b->tu, e);
        if (op == AST_OP_INCDEC) {
            push(b, T_EMIT, e, CFG_INCDEC, 0);
        } else if (op == AST_OP_ADDROF) {
            n = children(b, e, &kids);
            if (n == 1 && clang_getCursorKind(ast_strip(kids[0])) == CXCursor_DeclRefExpr) {
                cfg_block *blk = &b->g->blocks[cur_block(b)];
                cfg_elem el = {CFG_ADDROF, ast_strip(kids[0])};
                VEC_PUSH(blk->elems, blk->nelems, blk->capelems, el);
            }
        }
        break;
    }
    case CXCursor_ConditionalOperator: {
        CXCursor three[3];
        unsigned nk = ast_children(e, three, 3);
        if (nk == 3) {
            int t = new_block(b), f = new_block(b), j = new_block(b);
            task seq[] = {
                TK(T_COND, three[0], t, f),
                TK(T_SETCUR, null_cursor(), t, 0), TK(T_EXPR, three[1], 0, 0),
                TK(T_GOTO, null_cursor(), j, 0),
                TK(T_SETCUR, null_cursor(), f, 0), TK(T_EXPR, three[2], 0, 0),
                TK(T_GOTO, null_cursor(), j, 0), TK(T_SETCUR, null_cursor(), j, 0),
            };
            push_seq(b, seq, sizeof seq / sizeof *seq);
            return;
        }
        if (nk == 2) {  /* GNU x ?: y */
            int f = new_block(b), j = new_block(b);
            task seq[] = {
                TK(T_COND, three[0], j, f),
                TK(T_SETCUR, null_cursor(), f, 0), TK(T_EXPR, three[1], 0, 0),
                TK(T_GOTO, null_cursor(), j, 0), TK(T_SETCUR, null_cursor(), j, 0),
            };
            push_seq(b, seq, sizeof seq / sizeof *seq);
            return;
        }
        break;
    }
    default:
        break;
    }
    n = children(b, e, &kids);
    for (size_t i = n; i-- > 0;)
        if (clang_isExpression(clang_getCursorKind(kids[i])) ||
            clang_getCursorKind(kids[i]) == CXCursor_CompoundStmt)
            push(b, clang_isExpression(clang_getCursorKind(kids[i])) ? T_EXPR : T_STMT,
                 kids[i], 0, 0);
}

/* A call of __builtin_expect or __builtin_expect_with_probability: its
 * value is its first argument's, the rest is a hint to the optimiser. */
static int is_expect(CXCursor call)
{
    if (clang_Cursor_getNumArguments(call) < 2)
        return 0;
    char *name = cx_take(clang_getCursorSpelling(call));
    int yes = !strncmp(name, "__builtin_expect", 16) &&
              (!name[16] || !strcmp(name + 16, "_with_probability"));
    free(name);
    return yes;
}

/* likely(x) is __builtin_expect(!!(x), 1) wherever it is defined (Linux,
 * DPDK, lwan).  Before LLVM 17 libclang cannot read an operator spelled in
 * a macro's body, so two unreadable unary operators there are taken to be
 * the `!!` they always are: x's truth, which the branch tests. */
static CXCursor expect_operand(rc_tu *tu, CXCursor x)
{
    CXCursor outer = ast_strip(x), inner, operand;
    if (clang_getCursorKind(outer) != CXCursor_UnaryOperator ||
        ast_cond_unop(tu, outer) != AST_OP_UNKNOWN || ast_children(outer, &inner, 1) != 1)
        return x;
    inner = ast_strip(inner);
    if (clang_getCursorKind(inner) != CXCursor_UnaryOperator ||
        ast_cond_unop(tu, inner) != AST_OP_UNKNOWN || ast_children(inner, &operand, 1) != 1)
        return x;
    return operand;
}

static void do_cond(builder *b, CXCursor e, int t, int f)
{
    CXCursor c = ast_strip(e);
    CXCursor two[3];
    switch (clang_getCursorKind(c)) {
    case CXCursor_UnaryOperator:
        if (ast_cond_unop(b->tu, c) == AST_OP_NOT && ast_children(c, two, 1) == 1) {
            push(b, T_COND, two[0], f, t);
            return;
        }
        break;
    case CXCursor_BinaryOperator: {
        ast_op op = ast_binop_quick(b->tu, c);
        if ((op == AST_OP_LAND || op == AST_OP_LOR || op == AST_OP_COMMA) &&
            ast_children(c, two, 2) == 2) {
            if (op == AST_OP_COMMA) {
                task seq[] = {TK(T_EXPR, two[0], 0, 0), TK(T_COND, two[1], t, f)};
                push_seq(b, seq, 2);
                return;
            }
            int m = new_block(b);
            task seq[] = {
                op == AST_OP_LAND ? TK(T_COND, two[0], m, f) : TK(T_COND, two[0], t, m),
                TK(T_SETCUR, null_cursor(), m, 0), TK(T_COND, two[1], t, f),
            };
            push_seq(b, seq, sizeof seq / sizeof *seq);
            return;
        }
        break;
    }
    case CXCursor_CallExpr:
        /* likely()/unlikely(): __builtin_expect(!!(x), 1) is x's truth. */
        if (is_expect(c)) {
            push(b, T_COND, expect_operand(b->tu, clang_Cursor_getArgument(c, 0)), t, f);
            return;
        }
        break;
    case CXCursor_ConditionalOperator:
        if (ast_children(c, two, 3) == 3) {
            int ta = new_block(b), tb = new_block(b);
            task seq[] = {
                TK(T_COND, two[0], ta, tb),
                TK(T_SETCUR, null_cursor(), ta, 0), TK(T_COND, two[1], t, f),
                TK(T_SETCUR, null_cursor(), tb, 0), TK(T_COND, two[2], t, f),
            };
            push_seq(b, seq, sizeof seq / sizeof *seq);
            return;
        }
        break;
    default:
        break;
    }
    task seq[] = {TK(T_EXPR, c, 0, 0), TK(T_BRANCH, c, t, f)};
    push_seq(b, seq, 2);
}

void cfg_build(cfg *g, rc_tu *tu, CXCursor body)
{
    memset(g, 0, sizeof *g);
    builder b;
    memset(&b, 0, sizeof b);
    b.g = g;
    b.tu = tu;
    b.capkids = 64;
    b.kids = xmalloc(b.capkids * sizeof *b.kids);
    g->entry = (unsigned)new_block(&b);
    g->exit = (unsigned)new_block(&b);
    b.cur = (int)g->entry;
    push(&b, T_GOTO, null_cursor(), (int)g->exit, 0);  /* falling off the end */
    push(&b, T_STMT, body, 0, 0);
    while (b.ntasks > 0) {
        task t = b.tasks[--b.ntasks];
        switch (t.kind) {
        case T_STMT:
            if (!cx_is_null(t.c))
                do_stmt(&b, t.c);
            break;
        case T_EXPR:
            if (!cx_is_null(t.c))
                do_expr(&b, t.c);
            break;
        case T_COND:
            do_cond(&b, t.c, t.a, t.b);
            break;
        case T_SETCUR:
            b.cur = t.a;
            break;
        case T_GOTO:
            if (b.cur >= 0)
                add_edge(&b, b.cur, t.a);
            b.cur = -1;
            break;
        case T_EMIT: {
            cfg_block *blk = &g->blocks[cur_block(&b)];
            cfg_elem el = {(cfg_elem_kind)t.a, t.c};
            VEC_PUSH(blk->elems, blk->nelems, blk->capelems, el);
            break;
        }
        case T_BRANCH: {
            int from = cur_block(&b);
            g->blocks[from].has_cond = 1;
            g->blocks[from].cond = t.c;
            add_edge(&b, from, t.a);
            add_edge(&b, from, t.b);
            b.cur = -1;
            break;
        }
        case T_PUSHLOOP: {
            jump_ctx c = {t.a, t.b, 0, -1, 0};
            VEC_PUSH(b.ctx, b.nctx, b.capctx, c);
            break;
        }
        case T_POPCTX:
            if (b.nctx > 0)
                b.nctx--;
            break;
        case T_SWITCH_BEGIN: {
            int cont = -1;
            for (size_t i = b.nctx; i-- > 0;)
                if (b.ctx[i].cont >= 0) {
                    cont = b.ctx[i].cont;
                    break;
                }
            jump_ctx c = {t.a, cont, 1, cur_block(&b), 0};
            VEC_PUSH(b.ctx, b.nctx, b.capctx, c);
            cfg_block *head = &g->blocks[c.head];
            if (!head->has_cond && !head->is_switch && head->nsucc == 0) {
                head->is_switch = 1;
                head->cond = t.c;
            }
            b.cur = -1;  /* only case labels lead into the body */
            break;
        }
        case T_SWITCH_END:
            if (b.nctx > 0) {
                jump_ctx c = b.ctx[--b.nctx];
                if (!c.has_default)
                    add_case_edge(&b, c.head, c.brk, clang_getNullCursor());
            }
            break;
        }
    }
    /* `goto *p` may land on any label. */
    for (size_t i = 0; i < b.nindirect; i++)
        for (size_t j = 0; j < b.nlabels; j++)
            add_edge(&b, b.indirect[i], b.labels[j].block);
    free(b.tasks);
    free(b.ctx);
    free(b.labels);
    free(b.indirect);
    free(b.kids);
}

void cfg_free(cfg *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->blocks[i].elems);
        free(g->blocks[i].succ);
        free(g->blocks[i].labels);
    }
    free(g->blocks);
    memset(g, 0, sizeof *g);
}
