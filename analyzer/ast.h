/*
 * ast.h -- small, shared questions about libclang expression cursors:
 * which operator, the operands, what lies under implicit conversions, and
 * whether an expression denotes an existing object or a fresh value.
 */
#ifndef RC_AST_H
#define RC_AST_H

#include "tu.h"

typedef enum {
    AST_OP_UNKNOWN,
    /* binary */
    AST_OP_ASSIGN, AST_OP_COMPOUND_ASSIGN, AST_OP_COMMA,
    AST_OP_LAND, AST_OP_LOR,
    AST_OP_EQ, AST_OP_NE, AST_OP_LT, AST_OP_GT, AST_OP_LE, AST_OP_GE,
    AST_OP_OTHER_BINARY,
    /* unary */
    AST_OP_DEREF, AST_OP_ADDROF, AST_OP_NOT, AST_OP_INCDEC, AST_OP_OTHER_UNARY
} ast_op;

/* The operator of a CXCursor_BinaryOperator / CompoundAssignOperator.
 * Before LLVM 17, AST_OP_UNKNOWN for operators written inside a macro. */
ast_op ast_binop(rc_tu *tu, CXCursor e);
/* ast_binop, cheaper on libclang before 17: reads the operator from the
 * file's text when the operands are plain text (no macro) in one file, and
 * falls back to ast_binop otherwise.  Same answers, no tokeniser on the
 * common path: the CFG builder asks this of every binary operator. */
ast_op ast_binop_quick(rc_tu *tu, CXCursor e);
/* The operator of a CXCursor_UnaryOperator. */
ast_op ast_unop(rc_tu *tu, CXCursor e);

/* ast_unop, but & and * are recognised by their types, so that they are
 * recognised inside macro expansions too; other operators as ast_unop. */
ast_op ast_unop_quick(rc_tu *tu, CXCursor e);

/* ast_unop_quick for a unary operator that is (part of) a branch
 * condition.  Before LLVM 17 an operator written in a macro's body cannot
 * be read (`#define CHECK(x) if (!(x)) return -1`); there, one applied to a
 * truth value (a comparison, && or ||, a !) is taken to be `!`: in a
 * condition, `-` and `+` would leave the truth as it is and `~` make it
 * always true, which nobody writes. */
ast_op ast_cond_unop(rc_tu *tu, CXCursor e);

/* Are a and b the same AST node?  clang_equalCursors also compares the
 * parent declaration a cursor was reached from, so the same expression
 * reached by two traversals compares unequal; this compares the node. */
int ast_same(CXCursor a, CXCursor b);

/* Where expression e begins, as its extent would say, without computing
 * the extent (which re-lexes its last token). */
CXSourceLocation ast_begin(CXCursor e);

/* Where a finding about c is placed: an expression where it begins, as
 * compilers do (its cursor location may be a member's name), anything
 * else at its cursor location. */
CXSourceLocation ast_report_at(CXCursor c);

/* Up to max direct children of c (all kinds); returns how many there are. */
unsigned ast_children(CXCursor c, CXCursor *out, unsigned max);

/* Look through parentheses and implicit conversions (which libclang shows as
 * UnexposedExpr) to the expression underneath. */
CXCursor ast_strip(CXCursor e);
/* Like ast_strip, and also through explicit casts. */
CXCursor ast_strip_casts(CXCursor e);

/* 1 if evaluating e yields a new value rather than an existing object:
 * a call result, a compound literal, an initialiser list, a statement
 * expression; ?: and comma when their results are fresh. */
int ast_is_fresh(rc_tu *tu, CXCursor e);

/* The value of an integer constant expression (an enum constant, a
 * literal, arithmetic on them): 1 and *out set, or 0. */
/* Does the declaration live as long as the program: a file-scope
 * variable, a static local, an extern? */
int ast_has_static_storage(CXCursor decl);

int ast_eval_int(CXCursor e, long long *out);

/* The called function's name for a direct call ("" when unknown), malloc'd. */
char *ast_callee_name(CXCursor call);

#endif
