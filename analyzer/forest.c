/*
 * forest.c -- record a unit's syntax trees in pre-order and answer
 * "children of" and "walk under" from the record (forest.h).
 *
 * A node is identified as clang_hashCursor identifies it (cx_node): the
 * parent declaration an expression cursor also carries depends on how it
 * was reached, and does not change its children.
 */
#include "forest.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct fnode {
    CXCursor c;
    unsigned parent;         /* index of the parent; a root is its own */
    unsigned end;            /* index just past the subtree */
    int shared;              /* its identity occurs more than once */
    int memo;                /* forest_memo's value, -1 none */
} fnode;

struct rc_forest {
    fnode *v;
    size_t n, cap;
    unsigned *slots;         /* open addressing: node index + 1, 0 empty */
    size_t nslots;
};

static _Thread_local rc_forest *current;

static int same_node(CXCursor a, CXCursor b)
{
    return a.kind == b.kind && cx_node(a) == cx_node(b);
}

static size_t slot_of(CXCursor c, size_t nslots)
{
    uint64_t h = hash_ptr(cx_node(c)) ^ (uint64_t)c.kind;
    return (size_t)(h >> 20) & (nslots - 1);
}

/* The node recorded for c, or -1. */
static long find(const rc_forest *f, CXCursor c)
{
    if (!f || !f->nslots || !cx_has_node(c.kind))
        return -1;
    for (size_t s = slot_of(c, f->nslots);; s = (s + 1) & (f->nslots - 1)) {
        unsigned i = f->slots[s];
        if (!i)
            return -1;
        if (same_node(f->v[i - 1].c, c))
            return f->v[i - 1].shared ? -1 : (long)i - 1;
    }
}

static void index_nodes(rc_forest *f)
{
    f->nslots = 16;
    while (f->nslots < 2 * f->n)
        f->nslots *= 2;
    f->slots = xcalloc(f->nslots, sizeof *f->slots);
    for (size_t i = 0; i < f->n; i++) {
        CXCursor c = f->v[i].c;
        if (!cx_has_node(c.kind))
            continue;
        size_t s = slot_of(c, f->nslots);
        while (f->slots[s] && !same_node(f->v[f->slots[s] - 1].c, c))
            s = (s + 1) & (f->nslots - 1);
        /* An identity met twice (libclang shows some nodes under two
         * parents, or a wrapper with its wrapped node's identity) has no
         * one place in the tree: libclang answers for it. */
        if (f->slots[s])
            f->v[f->slots[s] - 1].shared = 1;
        else
            f->slots[s] = (unsigned)i + 1;
    }
}

/* ---- building ----------------------------------------------------------- */

typedef struct builder {
    rc_forest *f;
    unsigned *stack;         /* the open nodes, root first */
    size_t depth, cap;
    int lost;                /* a parent was not on the stack */
} builder;

static void close_top(builder *b)
{
    b->f->v[b->stack[--b->depth]].end = (unsigned)b->f->n;
}

static void open_node(builder *b, CXCursor c, unsigned parent)
{
    fnode node = {c, parent, 0, 0, -1};
    VEC_PUSH(b->f->v, b->f->n, b->f->cap, node);
    VEC_PUSH(b->stack, b->depth, b->cap, (unsigned)b->f->n - 1);
}

static enum CXChildVisitResult record(CXCursor c, CXCursor parent, CXClientData d)
{
    builder *b = d;
    while (b->depth > 0 && !same_node(b->f->v[b->stack[b->depth - 1]].c, parent))
        close_top(b);
    if (!b->depth) {
        b->lost = 1;
        return CXChildVisit_Break;
    }
    open_node(b, c, b->stack[b->depth - 1]);
    return CXChildVisit_Recurse;
}

static enum CXChildVisitResult record_top(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    builder *b = d;
    if (!tu_decl_is_user_code(c))
        return CXChildVisit_Continue;
    size_t root = b->f->n;
    open_node(b, c, (unsigned)root);
    clang_visitChildren(c, record, b);
    while (b->depth > 0)
        close_top(b);
    if (b->lost) {
        /* The traversal did not nest as expected: forget this tree and let
         * libclang answer for it. */
        b->f->n = root;
        b->lost = 0;
    }
    return CXChildVisit_Continue;
}

rc_forest *forest_build(rc_tu *tu)
{
    rc_forest *f = xcalloc(1, sizeof *f);
    builder b = {f, NULL, 0, 0, 0};
    clang_visitChildren(clang_getTranslationUnitCursor(tu->cx), record_top, &b);
    free(b.stack);
    index_nodes(f);
    return f;
}

void forest_free(rc_forest *f)
{
    if (!f)
        return;
    if (current == f)
        current = NULL;
    free(f->v);
    free(f->slots);
    free(f);
}

void forest_use(rc_forest *f)
{
    current = f;
}

/* ---- answering ---------------------------------------------------------- */

int forest_children(CXCursor c, CXCursor *out, unsigned max, unsigned *count)
{
    long i = find(current, c);
    if (i < 0)
        return 0;
    const fnode *v = current->v;
    unsigned n = 0;
    for (unsigned k = (unsigned)i + 1; k < v[i].end; k = v[k].end, n++)
        if (n < max)
            out[n] = v[k].c;
    *count = n;
    return 1;
}

int *forest_memo(CXCursor c)
{
    long i = find(current, c);
    return i < 0 ? NULL : &current->v[i].memo;
}

void forest_visit(CXCursor root, CXCursorVisitor visit, CXClientData ud)
{
    long r = find(current, root);
    if (r < 0) {
        clang_visitChildren(root, visit, ud);
        return;
    }
    const fnode *v = current->v;
    for (unsigned i = (unsigned)r + 1; i < v[r].end;) {
        enum CXChildVisitResult res = visit(v[i].c, v[v[i].parent].c, ud);
        if (res == CXChildVisit_Break)
            break;
        i = res == CXChildVisit_Recurse ? i + 1 : v[i].end;
    }
}
