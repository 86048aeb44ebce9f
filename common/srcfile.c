/*
 * srcfile.c -- a one-file cache of source text split into lines.
 */
#include "srcfile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void load(srcfile_cache *c, const char *path)
{
    if (c->path && !strcmp(c->path, path))
        return;
    srcfile_free(c);
    c->path = xstrdup(path);
    c->text = read_file(path, &c->len);
    if (!c->text)
        return;
    size_t cap = 0;
    for (size_t i = 0; i < c->len;) {
        VEC_PUSH(c->starts, c->nlines, cap, i);
        const char *nl = memchr(c->text + i, '\n', c->len - i);
        i = nl ? (size_t)(nl - c->text) + 1 : c->len;
    }
}

size_t srcfile_nlines(srcfile_cache *c, const char *path)
{
    load(c, path);
    return c->nlines;
}

const char *srcfile_line(srcfile_cache *c, const char *path, unsigned line, size_t *len)
{
    if (!path || !line)
        return NULL;
    load(c, path);
    if (!c->text || line > c->nlines)
        return NULL;
    size_t start = c->starts[line - 1];
    size_t end = line < c->nlines ? c->starts[line] : c->len;
    while (end > start && (c->text[end - 1] == '\n' || c->text[end - 1] == '\r'))
        end--;
    *len = end - start;
    return c->text + start;
}

void srcfile_free(srcfile_cache *c)
{
    free(c->path);
    free(c->text);
    free(c->starts);
    memset(c, 0, sizeof *c);
}
