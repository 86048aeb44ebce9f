/*
 * forest.h -- the syntax trees of a unit's own declarations, walked once.
 *
 * Every check asks libclang for children again and again (the CFG builder,
 * the lowering, operator and operand questions), and each
 * clang_visitChildren call costs about a thousand instructions of set-up
 * before the first child.  The forest records, in one recursive traversal
 * per top-level declaration outside system headers that holds code
 * (tu_decl_has_code: function definitions, variables), every node in
 * pre-order with its parent and the end of its subtree; afterwards the
 * children of any recorded declaration, statement or expression are a hash
 * lookup away (ast_children asks the forest of the calling thread first).
 */
#ifndef RC_FOREST_H
#define RC_FOREST_H

#include "tu.h"

typedef struct rc_forest rc_forest;

rc_forest *forest_build(rc_tu *tu);
void forest_free(rc_forest *f);

/* Make f the forest this thread's ast_children consults (NULL: none). */
void forest_use(rc_forest *f);

/* Children of c from the current forest: 1 and *count set (up to max
 * stored in out) when c is recorded, else 0. */
int forest_children(CXCursor c, CXCursor *out, unsigned max, unsigned *count);

/* A small value per recorded node, for ast.c to remember an operator it
 * worked out: the CFG builder, the lowering and the branch conditions ask
 * the same node's operator, and before LLVM 17 answering costs thousands
 * of instructions.  The node's slot (-1 until set), or NULL when c is not
 * recorded; valid while the forest lives. */
int *forest_memo(CXCursor c);

/* clang_visitChildren(root, visit, ud) with CXChildVisit_Recurse honoured,
 * from the current forest when root is recorded there, else by libclang. */
void forest_visit(CXCursor root, CXCursorVisitor visit, CXClientData ud);

#endif
