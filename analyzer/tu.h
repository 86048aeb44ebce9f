/*
 * tu.h -- one parsed translation unit and the helpers every analyzer pass
 * needs to talk about it: user-visible locations, file names, strings.
 */
#ifndef RC_TU_H
#define RC_TU_H

#include "cx.h"

typedef struct rc_loc {
    const char *file;        /* interned in the rc_tu; valid while it lives */
    unsigned line, column;
} rc_loc;

typedef struct rc_tu_files rc_tu_files;

typedef struct rc_tu {
    CXTranslationUnit cx;
    const char *path;        /* the main file, as the user named it */
    CXFile main_file;
    const char *dir;         /* rc_input.dir: relative file names start there */
    rc_tu_files *files;      /* interned file names */
} rc_tu;

/* Where the user sees `loc`: a macro expansion resolves to where the macro
 * is used.  Returns 0 (and no location) when that place is a system header
 * or has no file: no finding may point there. */
int tu_loc(rc_tu *tu, CXSourceLocation loc, rc_loc *out);
int tu_cursor_loc(rc_tu *tu, CXCursor c, rc_loc *out);

/* Can a top-level declaration hold code the checks look at (a function
 * definition, a variable with its initialiser)?  Prototypes, types,
 * typedefs and static assertions evaluate nothing and copy nothing; a
 * prototype's by-value parameters are its own cursor's business. */
int tu_decl_has_code(CXCursor decl);
/* ... and is the user's: outside system headers, whose code is neither
 * analysed nor reported. */
int tu_decl_is_user_code(CXCursor decl);

/* The display name of a file: the main file as the user named it, other
 * files as clang found them.  Interned: valid while the rc_tu lives. */
const char *tu_file_name(rc_tu *tu, CXFile f);

/* The contents of a file of the TU (NULL if libclang has none); owned by
 * libclang, valid while the TU lives. */
const char *tu_file_text(rc_tu *tu, CXFile f, size_t *size);

/* parse_path: the name libclang was given; display: the user's name for
 * it; dir: where its relative file names start (rc_input.dir). */
void tu_init(rc_tu *tu, CXTranslationUnit cx, const char *parse_path, const char *display,
             const char *dir);
void tu_dispose(rc_tu *tu);

/* clang_Cursor_isNull without the call into libclang, which hot loops
 * would pay per node: the null cursor is CXCursor_InvalidFile with no
 * data (clang_getNullCursor), and clang_equalCursors compares just that. */
static inline int cx_is_null(CXCursor c)
{
    return c.kind == CXCursor_InvalidFile && !c.data[0] && !c.data[1] && !c.data[2];
}

/* The AST node a cursor stands for, as clang_hashCursor takes it: a
 * declaration by its Decl (data[0]), a statement or an expression by its
 * Stmt (data[1]).  The parent declaration an expression cursor also
 * carries depends on how it was reached, and is no part of the node.  By
 * the kind ranges of Index.h rather than clang_isDeclaration and friends:
 * this runs per node, where a call into libclang would cost more. */
static inline int cx_is_decl(enum CXCursorKind k)
{
    return k >= CXCursor_FirstDecl && k <= CXCursor_LastDecl;
}

static inline int cx_has_node(enum CXCursorKind k)
{
    return cx_is_decl(k) || (k >= CXCursor_FirstExpr && k <= CXCursor_LastExpr) ||
           (k >= CXCursor_FirstStmt && k <= CXCursor_LastStmt);
}

static inline const void *cx_node(CXCursor c)
{
    return cx_is_decl(c.kind) ? c.data[0] : c.data[1];
}

/* The unit's first error diagnostic, as "FILE:LINE:COL: MESSAGE"
 * (malloc'd), or NULL when it has none.  A flag clang does not know is no
 * error: the file is parsed without it. */
char *tu_first_error(CXTranslationUnit tu);

/* A CXString as a malloc'd C string (never NULL); disposes of the CXString. */
char *cx_take(CXString s);
/* A file's path, malloc'd: as libclang spells it, joined to dir (the
 * unit's directory, rc_input.dir) when that is relative.  libclang 14 and 16
 * name a header found through a relative -I joined to the command's
 * directory; libclang 19 leaves it relative to that directory. */
char *cx_file_path(CXFile f, const char *dir);
/* The cursor's spelling, malloc'd. */
char *cx_spelling(CXCursor c);
/* The type's spelling, malloc'd. */
char *cx_type_spelling(CXType t);

#endif
