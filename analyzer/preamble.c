/*
 * preamble.c -- shared preambles (preamble.h): the headers that many files
 * include first are parsed once per run, not once per file.
 *
 * A preamble is, as in clang's own (clangd, libclang's reparse), the run of
 * leading lines of a file that are only preprocessor directives.  Ours is
 * narrower: #include, #define and #undef lines and balanced #if/#ifdef/
 * #ifndef/#elif/#else/#endif, among blank lines and comments; anything
 * else (#pragma, a declaration) ends it.  A macro defined there lives, for
 * a unit parsed from the preamble, in the precompiled header's file, not
 * the unit's: a finding in one of its expansions is still placed where it
 * is used (tu.c), and racecheck looks no further.
 *
 * The unit is parsed with `-include-pch P -Xclang -preamble-bytes=N,1`:
 * clang takes the headers' declarations and macros from P and starts lexing
 * the main file at byte N, the end of the file's own preamble.  No header
 * is read twice (unguarded ones included) and every location in the main
 * file is its own.  Files share a preamble when their directives are the
 * same (comments and line breaks aside), their arguments are the same and
 * they are in the same directory, where a quoted include starts looking.
 * A file may share its first directives only: each unit takes the longest
 * run of them, ending after an #include, that enough units have.
 *
 * On the generated corpus the headers are 60% of a file's parse.  Real
 * code bases share less (a project header first, then each file its own),
 * which the longest-shared-run rule is for.
 */
#include "preamble.h"
#include "tempdir.h"
#include "tu.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCAN_MAX (64 * 1024)  /* bytes of a file read looking for its preamble */
/* --pch=auto.  Precompiling costs about one parse of the headers and a
 * write, and each unit pays again for what it reads back (racecheck's
 * walks load every declaration): a few units, or light headers, lose
 * time.  In instructions on mosquitto, whose files share mostly a small
 * config.h and a few system headers: groups of 3 cost 5% more than no
 * sharing, groups of 6 with 150 kB of headers or more 0.7% less, of 10
 * 0.3% more (fewer, shallower groups); memcached, libuv, redis and the
 * generated corpus gain 10-30% at 6. */
#define AUTO_MIN_SHARE 6
#define AUTO_MIN_WEIGHT ((size_t)150 * 1000)

typedef enum { G_NEW, G_BUILDING, G_READY, G_FAILED, G_GONE } group_state;

typedef struct group {
    char *key;               /* directory, arguments, directives: members match it */
    size_t nkey;
    const char *text;        /* the directives, inside key */
    size_t ntext;
    char *pch;               /* the precompiled preamble, once built */
    size_t left;             /* members that may still parse */
    size_t weight;           /* bytes of the headers it includes, once known */
    int weighed;             /* weight known */
    int weighing;            /* a member is parsing alone to weigh it */
    group_state state;
} group;

typedef struct member {
    long group;              /* index in groups, -1: parses alone */
    size_t bytes;            /* where the preamble ends in the file */
} member;

struct rc_preambles {
    group *g;
    size_t ng;
    member *m;               /* by input index */
    size_t nin;
    size_t min_weight;       /* header bytes a preamble needs */
    size_t used;             /* units parsed from a preamble */
    char *dir;               /* temp dir for the preambles, made on first build */
    int no_dir;
    pthread_mutex_t mu;
};

/* --- finding a file's preamble ---------------------------------------------- */

/* A place where a preamble may end: after a directive, outside any #if. */
typedef struct cut {
    size_t bytes;            /* in the file */
    size_t ntext;            /* of the directives' text */
} cut;

typedef struct scan {
    rc_buf text;             /* the directives, a line each */
    cut *cuts;
    size_t ncuts, cap;
} scan;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Past blanks and comments from s[i] on the line ending at `end`;
 * *in_comment carries a block comment from line to line. */
static size_t skip_space(const char *s, size_t i, size_t end, int *in_comment)
{
    for (;;) {
        if (*in_comment) {
            const char *c = memmem(s + i, end - i, "*/", 2);
            if (!c)
                return end;
            i = (size_t)(c - s) + 2;
            *in_comment = 0;
        }
        while (i < end && is_blank(s[i]))
            i++;
        if (i + 1 < end && s[i] == '/' && s[i + 1] == '*') {
            *in_comment = 1;
            i += 2;
            continue;
        }
        if (i + 1 < end && s[i] == '/' && s[i + 1] == '/')
            return end;
        return i;
    }
}

/* Add the directive s[i..end) to b in a normal form, a line: comments
 * out, blanks squeezed, so that only what clang reads tells two preambles
 * apart.  0 when a comment or a quote it opens spills onto the next line:
 * the preamble ends before it. */
static int add_directive(rc_buf *b, const char *s, size_t i, size_t end)
{
    size_t start = b->len;
    int blank = 0;
    while (i < end) {
        char c = s[i];
        size_t j = i + 1;
        if (c == '/' && j < end && s[j] == '*') {
            const char *e = memmem(s + i + 2, end - i - 2, "*/", 2);
            if (!e)
                return 0;
            i = (size_t)(e - s) + 2;
            blank = 1;
            continue;
        }
        if (c == '/' && j < end && s[j] == '/')
            break;
        if (is_blank(c)) {
            i++;
            blank = 1;
            continue;
        }
        if (c == '"' || c == '\'' || c == '<') {
            char close = c == '<' ? '>' : c;
            while (j < end && s[j] != close)
                j += s[j] == '\\' && c != '<' ? 2 : 1;
            if (j >= end && c != '<')
                return 0;
            /* `#if a < b` has no '>' to come: just the '<'. */
            j = j >= end ? i + 1 : j + 1;
        }
        if (blank && b->len > start + 1)  /* "#  include": "#include" */
            buf_add(b, " ", 1);
        blank = 0;
        buf_add(b, s + i, j - i);
        i = j;
    }
    buf_add(b, "\n", 1);
    return 1;
}

static int word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && !memcmp(s, w, n);
}

/* The cuts of the file's preamble, s[0..n). */
static void scan_preamble(const char *s, size_t n, scan *out)
{
    size_t i = n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;
    int in_comment = 0, depth = 0, includes = 0;
    for (;;) {
        const char *nl = memchr(s + i, '\n', n - i);
        if (!nl)
            return;  /* a last line without its newline, or SCAN_MAX */
        size_t end = (size_t)(nl - s), last = end;
        while (last > i && s[last - 1] == '\r')
            last--;
        if (last > i && s[last - 1] == '\\')
            return;  /* a continued line: not worth following */
        size_t k = skip_space(s, i, end, &in_comment);
        if (k == end) {
            i = end + 1;
            continue;
        }
        if (s[k] != '#')
            return;
        size_t w = k + 1;
        while (w < end && is_blank(s[w]))
            w++;
        size_t we = w;
        while (we < end && (s[we] == '_' || (s[we] >= 'a' && s[we] <= 'z')))
            we++;
        const char *name = s + w;
        size_t nname = we - w;
        if (word_is(name, nname, "include"))
            includes++;
        else if (word_is(name, nname, "if") || word_is(name, nname, "ifdef") ||
                 word_is(name, nname, "ifndef"))
            depth++;
        else if ((word_is(name, nname, "elif") || word_is(name, nname, "else")) && depth)
            ;
        else if (word_is(name, nname, "endif") && depth)
            depth--;
        else if (!word_is(name, nname, "define") && !word_is(name, nname, "undef"))
            return;
        size_t before = out->text.len;
        if (!add_directive(&out->text, s, k, end)) {
            out->text.len = before;
            return;
        }
        if (!depth && includes) {
            cut c = {end + 1, out->text.len};
            VEC_PUSH(out->cuts, out->ncuts, out->cap, c);
        }
        i = end + 1;
    }
}

size_t preamble_end(const char *text, size_t n)
{
    scan s = {0};
    scan_preamble(text, n, &s);
    size_t end = s.ncuts ? s.cuts[s.ncuts - 1].bytes : 0;
    free(s.text.s);
    free(s.cuts);
    return end;
}

/* Arguments that change what a precompiled header would hold, or that
 * clang would apply twice with one: such units parse alone. */
static int args_shareable(const rc_input *u)
{
    for (int i = 0; i < u->nargs; i++) {
        const char *a = u->args[i];
        if (!strncmp(a, "-include", 8) || !strncmp(a, "--include", 9) ||
            !strncmp(a, "-imacros", 8) || !strncmp(a, "--imacros", 9) ||
            !strncmp(a, "-Xclang", 7) || !strncmp(a, "-emit", 5))
            return 0;
    }
    return 1;
}

/* The directory a quoted include in the file starts from, as spelt. */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

/* What units must share to share a preamble, up to the directives. */
static void key_head(rc_buf *b, const rc_input *u)
{
    buf_add(b, u->parse_path, dir_len(u->parse_path));
    buf_add(b, "", 1);
    for (int i = 0; i < u->nargs; i++)
        buf_add(b, u->args[i], strlen(u->args[i]) + 1);
    buf_add(b, "", 1);
}

/* The start of the file (SCAN_MAX bytes at most), or NULL. */
static char *read_head(const rc_input *u, size_t *n)
{
    char *path = input_path(u);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return NULL;
    char *s = xmalloc(SCAN_MAX);
    *n = fread(s, 1, SCAN_MAX, f);
    fclose(f);
    return s;
}

/* --- planning ------------------------------------------------------------------ */

/* A count per hash, open addressing: the cuts of every unit. */
typedef struct counts {
    uint64_t *h;
    size_t *n;
    size_t cap;
} counts;

static size_t *count_slot(counts *c, uint64_t h)
{
    size_t i = (size_t)(h * 0x9E3779B97F4A7C15ULL) & (c->cap - 1);
    while (c->n[i] && c->h[i] != h)
        i = (i + 1) & (c->cap - 1);
    c->h[i] = h;
    return &c->n[i];
}

typedef struct unit_scan {
    scan s;
    uint64_t *hash;          /* of the key up to each cut */
    size_t level;            /* the cuts it shares (0: none) */
} unit_scan;

/* The deepest of the unit's first `level` cuts that enough units have. */
static size_t shared_level(counts *c, const unit_scan *u, size_t level, size_t min)
{
    while (level > 0 && *count_slot(c, u->hash[level - 1]) < min)
        level--;
    return level;
}

/* Each unit takes its deepest cut that enough units have; but units that
 * have it may have gone deeper, leaving too few at this one.  Those move
 * up a cut, until every group is big enough (levels only shrink). */
static void settle_levels(counts *c, unit_scan *us, size_t n, size_t min)
{
    for (size_t t = 0; t < n; t++)
        us[t].level = shared_level(c, &us[t], us[t].s.ncuts, min);
    counts size = {xcalloc(c->cap, sizeof *c->h), xcalloc(c->cap, sizeof *c->n), c->cap};
    for (int changed = 1; changed;) {
        changed = 0;
        memset(size.n, 0, size.cap * sizeof *size.n);
        for (size_t t = 0; t < n; t++)
            if (us[t].level)
                ++*count_slot(&size, us[t].hash[us[t].level - 1]);
        for (size_t t = 0; t < n; t++)
            if (us[t].level && *count_slot(&size, us[t].hash[us[t].level - 1]) < min) {
                us[t].level = shared_level(c, &us[t], us[t].level - 1, min);
                changed = 1;
            }
    }
    free(size.h);
    free(size.n);
}

rc_preambles *preambles_plan(const rc_inputs *in, const size_t *todo, size_t ntodo,
                             rc_pch_mode mode)
{
    size_t min_share = mode == PCH_ALWAYS ? 2 : AUTO_MIN_SHARE;
    if (mode == PCH_NEVER || ntodo < min_share)
        return NULL;
    unit_scan *us = xcalloc(ntodo, sizeof *us);
    size_t total = 0;
    rc_buf head = {0};
    for (size_t t = 0; t < ntodo; t++) {
        const rc_input *u = &in->v[todo[t]];
        size_t n;
        char *text = args_shareable(u) ? read_head(u, &n) : NULL;
        if (!text)
            continue;
        scan_preamble(text, n, &us[t].s);
        free(text);
        if (!us[t].s.ncuts)
            continue;
        head.len = 0;
        key_head(&head, u);
        uint64_t h = hash_bytes(HASH_INIT, head.s, head.len);
        us[t].hash = xmalloc(us[t].s.ncuts * sizeof *us[t].hash);
        size_t from = 0;
        for (size_t k = 0; k < us[t].s.ncuts; k++) {
            h = hash_bytes(h, us[t].s.text.s + from, us[t].s.cuts[k].ntext - from);
            from = us[t].s.cuts[k].ntext;
            us[t].hash[k] = h;
        }
        total += us[t].s.ncuts;
    }
    counts c = {NULL, NULL, 16};
    while (c.cap < 2 * total)
        c.cap *= 2;
    c.h = xcalloc(c.cap, sizeof *c.h);
    c.n = xcalloc(c.cap, sizeof *c.n);
    for (size_t t = 0; t < ntodo; t++)
        for (size_t k = 0; k < us[t].s.ncuts; k++)
            ++*count_slot(&c, us[t].hash[k]);

    rc_preambles *p = xcalloc(1, sizeof *p);
    p->nin = in->n;
    p->min_weight = mode == PCH_ALWAYS ? 0 : AUTO_MIN_WEIGHT;
    p->m = xmalloc((in->n ? in->n : 1) * sizeof *p->m);
    for (size_t i = 0; i < in->n; i++)
        p->m[i].group = -1;
    pthread_mutex_init(&p->mu, NULL);
    settle_levels(&c, us, ntodo, min_share);
    /* Groups are found by their cut's hash (slot: index + 1). */
    counts gi = {xcalloc(c.cap, sizeof *c.h), xcalloc(c.cap, sizeof *c.n), c.cap};
    size_t gcap = 0;
    for (size_t t = 0; t < ntodo; t++) {
        size_t k = us[t].level;
        if (!k)
            continue;
        const cut *cu = &us[t].s.cuts[k - 1];
        const rc_input *u = &in->v[todo[t]];
        head.len = 0;
        key_head(&head, u);
        size_t nhead = head.len;
        buf_add(&head, us[t].s.text.s, cu->ntext);
        size_t *slot = count_slot(&gi, us[t].hash[k - 1]);
        if (!*slot) {
            group g = {0};
            g.nkey = head.len;
            g.key = xmalloc(head.len);
            memcpy(g.key, head.s, head.len);
            g.text = g.key + nhead;
            g.ntext = cu->ntext;
            VEC_PUSH(p->g, p->ng, gcap, g);
            *slot = p->ng;
        }
        group *g = &p->g[*slot - 1];
        /* Equal hashes, equal keys, but a collision must not share. */
        if (g->nkey != head.len || memcmp(g->key, head.s, head.len))
            continue;
        g->left++;
        p->m[todo[t]].group = (long)(*slot - 1);
        p->m[todo[t]].bytes = cu->bytes;
    }
    for (size_t t = 0; t < ntodo; t++) {
        free(us[t].s.text.s);
        free(us[t].s.cuts);
        free(us[t].hash);
    }
    free(us);
    free(head.s);
    free(c.h);
    free(c.n);
    free(gi.h);
    free(gi.n);
    if (!p->ng) {
        preambles_free(p);
        return NULL;
    }
    return p;
}

/* --- building and using -------------------------------------------------------- */

typedef struct weigh { CXTranslationUnit tu; size_t end, bytes; } weigh;

static void weigh_inclusion(CXFile f, CXSourceLocation *stack, unsigned depth,
                            CXClientData data)
{
    weigh *w = data;
    unsigned offset;
    if (!depth)
        return;  /* the main file */
    clang_getFileLocation(stack[depth - 1], NULL, NULL, NULL, &offset);
    size_t size;
    if (offset < w->end && clang_getFileContents(w->tu, f, &size))
        w->bytes += size;
}

/* Bytes of the headers that the first `end` bytes of tu's file include:
 * how much a preamble would spare each unit that shares it. */
static size_t preamble_weight(CXTranslationUnit tu, size_t end)
{
    weigh w = {tu, end, 0};
    clang_getInclusions(tu, weigh_inclusion, &w);
    return w.bytes;
}

/* The unit's arguments and `nmore` more after them (an array to free,
 * whose strings are borrowed). */
static const char **args_plus(const rc_input *u, const char *const *more, int nmore)
{
    const char **args = xmalloc(((size_t)u->nargs + (size_t)nmore) * sizeof *args);
    memcpy(args, u->args, (size_t)u->nargs * sizeof *args);
    memcpy(args + u->nargs, more, (size_t)nmore * sizeof *args);
    return args;
}

/* Precompile group gi's directives, as its member u would see them. */
static int build(rc_preambles *p, size_t gi, CXIndex idx, const rc_input *u)
{
    pthread_mutex_lock(&p->mu);
    if (!p->dir && !p->no_dir)
        p->no_dir = !(p->dir = tempdir_make());
    const char *dir = p->dir;
    pthread_mutex_unlock(&p->mu);
    if (!dir)
        return 0;
    group *g = &p->g[gi];
    /* A header next to the file (unsaved: nothing is written there), so
     * that quoted includes start where the file's own would. */
    char *header = xasprintf("%.*s.racecheck-preamble-%zu.h", (int)dir_len(u->parse_path),
                             u->parse_path, gi);
    char *pch = xasprintf("%s/%zu.pch", dir, gi);
    static const char *const as_header[] = {"-x", "c-header"};
    const char **args = args_plus(u, as_header, 2);
    struct CXUnsavedFile f = {header, g->text, (unsigned long)g->ntext};
    CXTranslationUnit tu = NULL;
    enum CXErrorCode err = clang_parseTranslationUnit2(
        idx, header, args, u->nargs + 2, &f, 1,
        CXTranslationUnit_ForSerialization | CXTranslationUnit_Incomplete, &tu);
    char *error = err == CXError_Success && tu ? tu_first_error(tu) : NULL;
    int ok = err == CXError_Success && tu && !error &&
             clang_saveTranslationUnit(tu, pch, clang_defaultSaveOptions(tu)) ==
                 CXSaveError_None;
    if (tu)
        clang_disposeTranslationUnit(tu);
    free(error);
    free(args);
    free(header);
    if (ok)
        g->pch = pch;
    else {
        unlink(pch);
        free(pch);
    }
    return ok;
}

static enum CXErrorCode parse_alone(CXIndex idx, const rc_input *u, unsigned options,
                                    CXTranslationUnit *out)
{
    return clang_parseTranslationUnit2(idx, u->parse_path, (const char *const *)u->args,
                                       u->nargs, NULL, 0, options, out);
}

static enum CXErrorCode parse_with(CXIndex idx, const rc_input *u, const char *pch,
                                   size_t bytes, unsigned options, CXTranslationUnit *out)
{
    char *skip = xasprintf("-preamble-bytes=%zu,1", bytes);
    const char *const from_pch[] = {"-include-pch", pch, "-Xclang", skip};
    const char **args = args_plus(u, from_pch, 4);
    enum CXErrorCode err = clang_parseTranslationUnit2(idx, u->parse_path, args, u->nargs + 4,
                                                       NULL, 0, options, out);
    free(skip);
    free(args);
    return err;
}

/* The group unit `index` belongs to, or -1. */
static long group_of(const rc_preambles *p, size_t index)
{
    return p && index < p->nin ? p->m[index].group : -1;
}

enum CXErrorCode preambles_parse(rc_preambles *p, CXIndex idx, const rc_inputs *in,
                                 size_t index, unsigned options, CXTranslationUnit *out)
{
    *out = NULL;
    const rc_input *u = &in->v[index];
    long gi = group_of(p, index);
    if (gi >= 0) {
        group *g = &p->g[gi];
        pthread_mutex_lock(&p->mu);
        /* The first member parses alone (if it is the only one the cache
         * cannot answer for, precompiling would be wasted) and weighs the
         * headers; if it cannot be parsed, the next one does.  The next to
         * come once they are known heavy enough builds; members arriving
         * meanwhile parse alone.  Under -j, a second member may come while
         * the first is still being weighed: it builds at once, rather than
         * parse alone too (a build costs about one parse of the headers,
         * which is little when they turn out light; the weigher then stops
         * the others from using it). */
        int weigher = g->state == G_NEW && !g->weighed && !g->weighing;
        if (weigher)
            g->weighing = 1;
        int mine = g->state == G_NEW && (g->weighed || (g->weighing && !weigher));
        if (mine)
            g->state = !g->weighed || g->weight >= p->min_weight ? G_BUILDING : G_FAILED;
        mine = g->state == G_BUILDING && mine;
        /* READY stays so until every member is done, this one included. */
        int ready = g->state == G_READY;
        pthread_mutex_unlock(&p->mu);
        if (mine) {
            ready = build(p, (size_t)gi, idx, u);
            pthread_mutex_lock(&p->mu);
            if (g->state == G_BUILDING)  /* else the weigher found it light */
                g->state = ready ? G_READY : G_FAILED;
            pthread_mutex_unlock(&p->mu);
        }
        if (ready) {
            enum CXErrorCode err = parse_with(idx, u, g->pch, p->m[index].bytes, options, out);
            char *error = err == CXError_Success && *out ? tu_first_error(*out) : NULL;
            if (err == CXError_Success && *out && !error) {
                pthread_mutex_lock(&p->mu);
                p->used++;
                pthread_mutex_unlock(&p->mu);
                return err;
            }
            free(error);
            if (*out)
                clang_disposeTranslationUnit(*out);
            *out = NULL;
        }
        enum CXErrorCode err = parse_alone(idx, u, options, out);
        if (weigher) {
            int parsed = err == CXError_Success && *out;
            size_t w = parsed ? preamble_weight(*out, p->m[index].bytes) : 0;
            pthread_mutex_lock(&p->mu);
            g->weight = w;
            g->weighed = parsed;
            g->weighing = 0;
            if (parsed && w < p->min_weight)
                g->state = G_FAILED;  /* built while weighing: too light to use */
            pthread_mutex_unlock(&p->mu);
        }
        return err;
    }
    return parse_alone(idx, u, options, out);
}

void preambles_done(rc_preambles *p, size_t index)
{
    long gi = group_of(p, index);
    if (gi < 0)
        return;
    group *g = &p->g[gi];
    pthread_mutex_lock(&p->mu);
    /* The last member done: no unit parses from the group again (one
     * analysed again later parses alone).  The builder is a member, so
     * no build is under way. */
    if (g->left && !--g->left) {
        if (g->pch)
            unlink(g->pch);
        g->state = G_GONE;
    }
    pthread_mutex_unlock(&p->mu);
}

size_t preambles_used(rc_preambles *p)
{
    if (!p)
        return 0;
    pthread_mutex_lock(&p->mu);
    size_t n = p->used;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void preambles_free(rc_preambles *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ng; i++) {
        free(p->g[i].key);
        free(p->g[i].pch);
    }
    if (p->dir)
        tempdir_remove(p->dir);
    free(p->g);
    free(p->m);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
