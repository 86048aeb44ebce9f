/*
 * suppress.c -- find suppression comments and drop what they silence.
 */
#include "suppress.h"
#include "srcfile.h"
#include "util.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

typedef struct marker {
    const char *file;        /* borrowed from the files list */
    unsigned line, column;
    unsigned first, last;    /* the lines it silences */
    char *items;             /* comma-separated list, or NULL for "all" */
    int ours;                /* names racecheck: may be reported unused */
    int used;
    char *text;              /* as written, for the unused report */
} marker;

typedef struct markers {
    marker *v;
    size_t n, cap;
} markers;

typedef struct spelling {
    const char *word;
    int next_line;           /* silences the next line only */
    int this_or_above;       /* silences its own line and the next */
    int racecheck_only;      /* list items need no prefix; always ours */
} spelling;

/* Longest first, so NOLINTNEXTLINE is not read as NOLINT. */
static const spelling spellings[] = {
    {"NOLINTNEXTLINE", 1, 0, 0},
    {"NOLINT", 0, 0, 0},
    {"racecheck-ignore", 0, 1, 1},
};

static int item_names_racecheck(const char *item, size_t len)
{
    return (len >= 10 && !strncmp(item, "racecheck-", 10)) || (len == 1 && *item == '*');
}

static void scan_line(markers *ms, const char *file, unsigned line, const char *s, size_t len)
{
    char *text = xstrndup(s, len);
    for (char *p = text; *p;) {
        const spelling *sp = NULL;
        char *hit = NULL;
        for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++) {
            char *h = strstr(p, spellings[i].word);
            if (h && (!hit || h < hit))
                hit = h, sp = &spellings[i];
        }
        if (!hit)
            break;
        char *end = hit + strlen(sp->word);
        /* NOLINTBEGIN/END and longer words are not ours. */
        if ((*end >= 'A' && *end <= 'Z') || *end == '_' || (*end >= 'a' && *end <= 'z')) {
            p = end;
            continue;
        }
        marker m = {file, line, (unsigned)(hit - text) + 1, line, line, NULL,
                    sp->racecheck_only, 0, NULL};
        if (sp->next_line)
            m.first = m.last = line + 1;
        if (sp->this_or_above)
            m.last = line + 1;
        char close = *end == '(' ? ')' : *end == '[' ? ']' : 0;
        char *stop = end;
        if (close && (stop = strchr(end + 1, close)) != NULL) {
            m.items = xstrndup(end + 1, (size_t)(stop - end - 1));
            if (!sp->racecheck_only) {
                for (char *it = m.items; *it;) {
                    it += strspn(it, " ");
                    size_t l = strcspn(it, ",");
                    size_t t = l;
                    while (t && it[t - 1] == ' ')
                        t--;
                    if (item_names_racecheck(it, t))
                        m.ours = 1;
                    it += l + (it[l] == ',');
                }
            }
            stop++;
        } else {
            stop = end;
        }
        /* A bare NOLINT may be meant for clang-tidy: never ours to flag. */
        m.text = xstrndup(hit, (size_t)(stop - hit));
        VEC_PUSH(ms->v, ms->n, ms->cap, m);
        p = stop;
    }
    free(text);
}

static void scan_file(markers *ms, srcfile_cache *sc, const char *file)
{
    size_t n = srcfile_nlines(sc, file);
    for (unsigned l = 1; l <= n; l++) {
        size_t len;
        const char *s = srcfile_line(sc, file, l, &len);
        /* Cheap filter before the real scan. */
        if (s && (memmem(s, len, "NOLINT", 6) || memmem(s, len, "racecheck-ignore", 16)))
            scan_line(ms, file, l, s, len);
    }
}

static int item_matches(const char *item, size_t len, const char *check, int racecheck_only)
{
    char *pat = xstrndup(item, len);
    char *full = xasprintf("racecheck-%s", check);
    int ok = !fnmatch(pat, full, 0) || (racecheck_only && !fnmatch(pat, check, 0));
    free(full);
    free(pat);
    return ok;
}

static int silences(const marker *m, const rc_finding *f)
{
    if (!f->file || strcmp(m->file, f->file) || f->line < m->first || f->line > m->last)
        return 0;
    if (!m->items)
        return 1;
    for (const char *it = m->items; *it;) {
        it += strspn(it, " ");
        size_t l = strcspn(it, ","), t = l;
        while (t && it[t - 1] == ' ')
            t--;
        if (t && item_matches(it, t, f->check, strncmp(m->text, "racecheck", 9) == 0))
            return 1;
        it += l + (it[l] == ',');
    }
    return 0;
}

static int not_silenced(const rc_finding *f, void *ud)
{
    markers *ms = ud;
    int hit = 0;
    for (size_t k = 0; k < ms->n; k++)
        if (silences(&ms->v[k], f))
            ms->v[k].used = hit = 1;
    return !hit;
}

static void add_file(char ***files, size_t *n, size_t *cap, const char *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*files)[i], f))
            return;
    VEC_PUSH(*files, *n, *cap, xstrdup(f));
}

void suppress_apply(rc_findings *fs, char *const *sources, size_t nsources, int report_unused)
{
    char **files = NULL;
    size_t nfiles = 0, cap = 0;
    for (size_t i = 0; i < fs->n; i++)
        add_file(&files, &nfiles, &cap, fs->items[i]->file);
    if (report_unused)
        for (size_t i = 0; i < nsources; i++)
            add_file(&files, &nfiles, &cap, sources[i]);

    markers ms = {0};
    srcfile_cache sc = {0};
    for (size_t i = 0; i < nfiles; i++)
        scan_file(&ms, &sc, files[i]);
    srcfile_free(&sc);

    findings_filter(fs, not_silenced, &ms);

    for (size_t k = 0; k < ms.n; k++) {
        marker *m = &ms.v[k];
        if (report_unused && m->ours && !m->used)
            findings_add(fs, "unused-suppression", "static", m->file, m->line, m->column,
                         NULL, "suppression '%s' silences no finding", m->text);
        free(m->items);
        free(m->text);
    }
    free(ms.v);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
}
