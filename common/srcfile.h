/*
 * srcfile.h -- source lines by file and number, for the text reporter's
 * snippets and for suppression comments.  Keeps the last file read: callers
 * go through findings sorted by file, so each file is read about once.
 */
#ifndef RC_SRCFILE_H
#define RC_SRCFILE_H

#include <stddef.h>

typedef struct srcfile_cache {
    char *path;
    char *text;          /* NULL when the file could not be read */
    size_t len;
    size_t *starts;      /* offset of each line */
    size_t nlines;
} srcfile_cache;

/* Line `line` (1-based) of `path`, without its newline; NULL if none. */
const char *srcfile_line(srcfile_cache *c, const char *path, unsigned line, size_t *len);
/* How many lines the file has (0 if unreadable). */
size_t srcfile_nlines(srcfile_cache *c, const char *path);
void srcfile_free(srcfile_cache *c);

#endif
