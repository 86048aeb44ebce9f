/*
 * copies.h -- facts: every place a translation unit copies a value of an
 * interesting type (by-value parameters, call arguments, returns,
 * initialisations, initialiser-list elements, assignments, memcpy-family
 * calls).  Unevaluated operands (sizeof, _Alignof, offsetof, typeof, the
 * controlling expression of _Generic) are never copies, and neither is a
 * fresh value (a call result, a compound literal, an initialiser list).
 */
#ifndef RC_COPIES_H
#define RC_COPIES_H

#include "tu.h"

typedef enum {
    COPY_PARAM,        /* by-value parameter, in a definition or prototype */
    COPY_ARG,          /* by-value argument at a call site */
    COPY_RETURN,       /* return of an existing object */
    COPY_INIT,         /* variable initialised from an existing object */
    COPY_INIT_ELEM,    /* existing object as an initialiser-list element */
    COPY_ASSIGN,       /* assignment */
    COPY_MEMCPY        /* memcpy/memmove-family source or destination */
} copy_kind;

typedef struct copy_site {
    copy_kind kind;
    CXCursor at;         /* where to report */
    CXType type;         /* the type of the value copied */
    const char *name;    /* parameter/variable/callee name, or "" */
    const char *function;/* enclosing function, or NULL at file scope */
    int memcpy_is_dest;  /* COPY_MEMCPY: the destination, not the source */
} copy_site;

/* Ask `interesting` about a type before any work is spent on it; call
 * `found` for every copy site of an interesting type. */
typedef int (*copy_filter)(CXType t, void *ud);
typedef void (*copy_sink)(const copy_site *site, void *ud);

void copies_collect(rc_tu *tu, copy_filter interesting, copy_sink found, void *ud);

#endif
