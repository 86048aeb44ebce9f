/*
 * tu.c -- locations and file names of a parsed translation unit.
 *
 * Findings are only ever placed in the user's files: a location inside a
 * system header, or a macro whose use is in one, is no place to report.
 */
#include "tu.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct file_name {
    CXFile file;
    char *name;              /* display name, made when first asked */
    const char *text;        /* contents, owned by libclang, when asked */
    size_t size;
    int have_text;
} file_name;

struct rc_tu_files {
    file_name *v;
    size_t n, cap;
};

void tu_init(rc_tu *tu, CXTranslationUnit cx, const char *parse_path, const char *display,
             const char *dir)
{
    tu->cx = cx;
    tu->path = display;
    tu->dir = dir;
    tu->main_file = clang_getFile(cx, parse_path);
    tu->files = xcalloc(1, sizeof *tu->files);
}

void tu_dispose(rc_tu *tu)
{
    if (tu->files) {
        for (size_t i = 0; i < tu->files->n; i++)
            free(tu->files->v[i].name);
        free(tu->files->v);
        free(tu->files);
    }
    memset(tu, 0, sizeof *tu);
}

/* A driver's complaint about a flag it does not know (gcc's
 * -fstack-protector-explicit, -fconserve-stack): an error of no category at
 * no place, after which libclang parses the file as if the flag were not
 * there -- as clangd does with a gcc build's database, racecheck goes on. */
static int is_flag_error(CXDiagnostic d)
{
    if (clang_getDiagnosticSeverity(d) != CXDiagnostic_Error || clang_getDiagnosticCategory(d))
        return 0;
    CXFile f;
    clang_getSpellingLocation(clang_getDiagnosticLocation(d), &f, NULL, NULL, NULL);
    return f == NULL;
}

/* The first error diagnostic, as "FILE:LINE:COL: MESSAGE", or NULL. */
char *tu_first_error(CXTranslationUnit tu)
{
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        char *msg = NULL;
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error && !is_flag_error(d))
            msg = cx_take(clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
                                                        CXDiagnostic_DisplayColumn));
        clang_disposeDiagnostic(d);
        if (msg)
            return msg;
    }
    return NULL;
}

char *cx_take(CXString s)
{
    const char *c = clang_getCString(s);
    char *r = xstrdup(c ? c : "");
    clang_disposeString(s);
    return r;
}

char *cx_file_path(CXFile f, const char *dir)
{
    char *name = cx_take(clang_getFileName(f));
    if (!dir || name[0] == '/' || !name[0])
        return name;
    char *path = xasprintf("%s/%s", dir, name);
    free(name);
    return path;
}

char *cx_spelling(CXCursor c)
{
    return cx_take(clang_getCursorSpelling(c));
}

char *cx_type_spelling(CXType t)
{
    return cx_take(clang_getTypeSpelling(t));
}

/* A handful of files per TU hold the user's code: a linear scan is fine.
 * libclang's own answers are not: each name or contents request for a
 * CXFile searches every file the TU includes. */
static file_name *file_entry(rc_tu *tu, CXFile f)
{
    rc_tu_files *fs = tu->files;
    for (size_t i = 0; i < fs->n; i++)
        if (clang_File_isEqual(fs->v[i].file, f))
            return &fs->v[i];
    file_name fn = {f, NULL, NULL, 0, 0};
    VEC_PUSH(fs->v, fs->n, fs->cap, fn);
    return &fs->v[fs->n - 1];
}

const char *tu_file_name(rc_tu *tu, CXFile f)
{
    file_name *e = file_entry(tu, f);
    if (e->name)
        return e->name;
    if (tu->main_file && clang_File_isEqual(tu->main_file, f)) {
        e->name = xstrdup(tu->path);
    } else {
        char *raw = cx_file_path(f, tu->dir);
        /* Absolute once joined to the unit's directory, and shown from the
         * user's; without one, clang's "./x.h" (a quoted include next to a
         * file named without a directory) is shown as "x.h". */
        e->name = path_display(!strncmp(raw, "./", 2) ? raw + 2 : raw);
        free(raw);
    }
    return e->name;
}

const char *tu_file_text(rc_tu *tu, CXFile f, size_t *size)
{
    file_name *e = file_entry(tu, f);
    if (!e->have_text) {
        e->text = clang_getFileContents(tu->cx, f, &e->size);
        e->have_text = 1;
    }
    *size = e->text ? e->size : 0;
    return e->text;
}

int tu_decl_has_code(CXCursor decl)
{
    enum CXCursorKind k = clang_getCursorKind(decl);
    return k == CXCursor_VarDecl || (k == CXCursor_FunctionDecl && clang_isCursorDefinition(decl));
}

int tu_decl_is_user_code(CXCursor decl)
{
    return tu_decl_has_code(decl) && !clang_Location_isInSystemHeader(clang_getCursorLocation(decl));
}

int tu_loc(rc_tu *tu, CXSourceLocation loc, rc_loc *out)
{
    CXFile f;
    unsigned line, col;
    clang_getExpansionLocation(loc, &f, &line, &col, NULL);
    if (!f)
        return 0;
    /* clang's system-header test already looks through macros to the
     * expansion location (SourceManager::getFileCharacteristic); making
     * that location anew with clang_getLocation cost a search of every
     * included file per call. */
    if (clang_Location_isInSystemHeader(loc))
        return 0;
    out->file = tu_file_name(tu, f);
    out->line = line;
    out->column = col;
    return 1;
}

int tu_cursor_loc(rc_tu *tu, CXCursor c, rc_loc *out)
{
    return tu_loc(tu, clang_getCursorLocation(c), out);
}
