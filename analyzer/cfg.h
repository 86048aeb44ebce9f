/*
 * cfg.h -- a control-flow graph of one function body, built from libclang
 * cursors.
 *
 * Blocks hold the "interesting" expressions in evaluation order (calls,
 * assignments, increments, variable declarations); everything else is
 * left out.  Control flow is explicit: if/else, loops with back edges,
 * switch/case/default, break/continue, goto/labels, return, and the
 * short-circuit operators &&, ||, ?: both as values and as conditions.  A
 * block that ends in a two-way branch names its atomic condition (no &&,
 * ||, ! or ?: left in it), the true successor first.
 *
 * The builder is iterative (an explicit task stack): a 5000-long else-if
 * chain or a 20000-term expression costs heap, not native stack.  It knows
 * nothing of locks; noreturn calls are for the dataflow to honour.
 */
#ifndef RC_CFG_H
#define RC_CFG_H

#include "tu.h"

#include <stddef.h>

typedef enum {
    CFG_CALL,        /* a CallExpr, after its callee and arguments */
    CFG_ASSIGN,      /* `=` or a compound assignment, after both operands */
    CFG_INCDEC,      /* ++ / -- */
    CFG_VARDECL,     /* a VarDecl, after its initialiser */
    CFG_RETURN,      /* the value a return statement returns, after it */
    CFG_ADDROF       /* `&x` of a plain variable (no evaluation order) */
} cfg_elem_kind;

typedef struct cfg_elem {
    cfg_elem_kind kind;
    CXCursor c;
} cfg_elem;

typedef struct cfg_block {
    cfg_elem *elems;
    size_t nelems, capelems;
    unsigned *succ;          /* with a condition: succ[0] true, succ[1] false */
    size_t nsucc, capsucc;
    int has_cond;
    CXCursor cond;           /* the atomic condition of a two-way branch, or
                              * a switch's operand */
    int is_switch;           /* a switch head: labels[i] is the case or
                              * default statement succ[i] enters by (null:
                              * no label matched, and there is no default) */
    CXCursor *labels;
} cfg_block;

typedef struct cfg {
    cfg_block *blocks;
    size_t n, cap;
    unsigned entry, exit;    /* exit: where every return goes */
} cfg;

/* Build the CFG of a function body (a CompoundStmt). */
void cfg_build(cfg *g, rc_tu *tu, CXCursor body);
void cfg_free(cfg *g);

#endif
