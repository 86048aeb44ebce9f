/*
 * check_states.c -- the per-unit states of stateful checks (checks.h:
 * begin/unit/merge/save/load/end) give the findings of one shared state.
 *
 *   check_states DIR...
 *
 * Each DIR holds annotation tests: every NAME.c is a group of one unit,
 * every subdirectory a group of its .c files, and all single files of a
 * DIR together form one more group.  For each group and each check with
 * state, the findings (messages, notes, order) of
 *   A  one state fed every unit, then end()               -- the reference
 *   B  a state per unit, merged left to right in input order, then end()
 *   C  a state per unit, saved to JSON text, parsed and loaded (saving the
 *      loaded state must give the same text), merged right to left (the
 *      last two first), the result saved and loaded again, then end()
 * must be identical.  Then every node of every saved unit is corrupted in
 * turn (wrong numbers, wrong types, removed): load() must return NULL or a
 * state that end() can solve -- never crash.
 */
#include "checks.h"
#include "claims.h"
#include "input.h"
#include "locktype.h"
#include "tu.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int failures;

#define FAIL(...) (fprintf(stderr, "FAIL: " __VA_ARGS__), fputc('\n', stderr), failures++)

typedef struct strv {
    char **v;
    size_t n, cap;
} strv;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, strv *files, strv *subdirs)
{
    DIR *d = opendir(dir);
    if (!d) {
        FAIL("cannot open %s", dir);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        size_t len = strlen(e->d_name);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && subdirs)
            VEC_PUSH(subdirs->v, subdirs->n, subdirs->cap, p);
        else if (len > 2 && !strcmp(e->d_name + len - 2, ".c"))
            VEC_PUSH(files->v, files->n, files->cap, p);
        else
            free(p);
    }
    closedir(d);
    qsort(files->v, files->n, sizeof *files->v, cmp_str);
    if (subdirs)
        qsort(subdirs->v, subdirs->n, sizeof *subdirs->v, cmp_str);
}

/* Findings as text, in order: what "identical" means here. */
static char *findings_text(const rc_findings *fs)
{
    rc_buf b = {0};
    for (size_t i = 0; i < fs->n; i++) {
        const rc_finding *f = fs->items[i];
        buf_printf(&b, "%s %s:%u:%u [%s] %s\n", f->check, f->file ? f->file : "-", f->line,
                   f->column, f->function ? f->function : "-", f->message);
        for (size_t k = 0; k < f->nnotes; k++)
            buf_printf(&b, "  note %s:%u:%u %s\n", f->notes[k].file ? f->notes[k].file : "-",
                       f->notes[k].line, f->notes[k].column, f->notes[k].message);
    }
    for (size_t i = 0; i < fs->nerrors; i++)
        buf_printf(&b, "error %s: %s\n", fs->errors[i].file ? fs->errors[i].file : "-",
                   fs->errors[i].message);
    return b.s ? buf_take(&b) : xstrdup("");
}

/* The parsed units of a group, alive for the whole group. */
typedef struct units {
    rc_inputs in;            /* the rc_tus point into it */
    rc_tu *tus;
    CXTranslationUnit *cx;
    size_t n;
} units;

static int parse_group(CXIndex idx, char **files, size_t n, units *u)
{
    rc_findings errs;
    findings_init(&errs);
    memset(u, 0, sizeof *u);
    rc_inputs in = {0};
    inputs_collect(&in, files, (int)n, NULL, 0, NULL, &errs);
    u->in = in;
    int ok = errs.nerrors == 0 && in.n == n;
    u->tus = xcalloc(n ? n : 1, sizeof *u->tus);
    u->cx = xcalloc(n ? n : 1, sizeof *u->cx);
    u->n = 0;
    for (size_t i = 0; i < in.n && ok; i++) {
        CXTranslationUnit cx = NULL;
        if (clang_parseTranslationUnit2(idx, in.v[i].parse_path,
                                        (const char *const *)in.v[i].args, in.v[i].nargs,
                                        NULL, 0, CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles,
                                        &cx) != CXError_Success || !cx) {
            FAIL("cannot parse %s", in.v[i].display);
            ok = 0;
            break;
        }
        u->cx[u->n] = cx;
        tu_init(&u->tus[u->n], cx, in.v[i].parse_path, in.v[i].display, in.v[i].dir);
        u->n++;
    }
    findings_free(&errs);
    return ok;
}

static void free_group(units *u)
{
    for (size_t i = 0; i < u->n; i++) {
        tu_dispose(&u->tus[i]);
        clang_disposeTranslationUnit(u->cx[i]);
    }
    free(u->tus);
    free(u->cx);
    inputs_free(&u->in);
}

static void run_unit(const rc_check *ck, void *state, rc_tu *tu, size_t index,
                     rc_claims *claims, rc_findings *out)
{
    rc_unit unit;
    unit_init(&unit, tu, index, claims);
    ck->unit(state, &unit, out);
    unit_dispose(&unit);
}

/* save -> text -> parse -> load; the loaded state must save to the same text. */
static void *round_trip(const rc_check *ck, const void *state, cJSON **saved_out)
{
    cJSON *j = ck->save(state);
    char *text = cJSON_PrintUnformatted(j);
    cJSON *parsed = cJSON_Parse(text);
    void *back = parsed ? ck->load(parsed) : NULL;
    if (!back) {
        FAIL("%s: load() refused what save() wrote", ck->name);
    } else {
        cJSON *again = ck->save(back);
        char *text2 = cJSON_PrintUnformatted(again);
        if (strcmp(text, text2))
            FAIL("%s: save(load(save(s))) differs from save(s)", ck->name);
        free(text2);
        cJSON_Delete(again);
    }
    free(text);
    cJSON_Delete(j);
    if (saved_out)
        *saved_out = parsed;
    else
        cJSON_Delete(parsed);
    return back;
}

/* Put item back at position `at` of node's children (cJSON's own insert
 * does not, in some versions): the first child's prev is the last child. */
static void splice(cJSON *node, cJSON *item, int at)
{
    if (at == 0 || !node->child) {
        item->next = node->child;
        item->prev = node->child ? node->child->prev : item;
        if (node->child)
            node->child->prev = item;
        node->child = item;
        return;
    }
    cJSON *p = node->child;
    while (--at > 0 && p->next)
        p = p->next;
    item->next = p->next;
    item->prev = p;
    if (p->next)
        p->next->prev = item;
    else
        node->child->prev = item;
    p->next = item;
}

/* Corrupt each node of `saved` in turn; load must refuse or give a state
 * that solves.  Returns how many corruptions were loaded anyway. */
/* Load a (perhaps corrupted) saved state; if accepted, it must also solve
 * cleanly.  1 when load accepted it. */
static int load_and_solve(const rc_check *ck, cJSON *root)
{
    void *s = ck->load(root);
    if (!s)
        return 0;
    rc_findings scratch;
    findings_init(&scratch);
    if (ck->end)
        ck->end(s, &scratch, 1);
    ck->discard(s);
    findings_free(&scratch);
    return 1;
}

static size_t corrupt_all(const rc_check *ck, cJSON *root, cJSON *node, size_t *tried)
{
    size_t accepted = 0;
    for (cJSON *x = node->child; x; x = x->next) {
        accepted += corrupt_all(ck, root, x, tried);
        /* other values in place of x */
        cJSON *subs[] = {cJSON_CreateNumber(-1), cJSON_CreateNumber(-7),
                         cJSON_CreateNumber(1e9), cJSON_CreateNumber(0.5),
                         cJSON_CreateNumber(cJSON_IsNumber(x) ? x->valuedouble + 1 : 3),
                         cJSON_CreateString("x"), cJSON_CreateNull(), cJSON_CreateArray(),
                         cJSON_CreateObject(), NULL, NULL, NULL, NULL};
        size_t nsubs = 9;
        if (cJSON_IsString(x)) {
            /* the text of a string of numbers, damaged: cut short, an
             * extra separator, a number too large, a sign alone */
            const char *t = x->valuestring;
            size_t len = strlen(t);
            char *half = xstrndup(t, len / 2), *more = xasprintf("%s|", t),
                 *big = xasprintf("%s 99999999999", t), *sign = xasprintf("-|%s", t);
            subs[nsubs++] = cJSON_CreateString(half);
            subs[nsubs++] = cJSON_CreateString(more);
            subs[nsubs++] = cJSON_CreateString(big);
            subs[nsubs++] = cJSON_CreateString(sign);
            free(half);
            free(more);
            free(big);
            free(sign);
        }
        for (size_t k = 0; k < nsubs; k++) {
            cJSON *orig = cJSON_Duplicate(x, 1);
            if (x->string)
                subs[k]->string = xstrdup(x->string);
            cJSON_ReplaceItemViaPointer(node, x, subs[k]);
            x = subs[k];
            (*tried)++;
            accepted += load_and_solve(ck, root);
            cJSON_ReplaceItemViaPointer(node, x, orig);
            x = orig;
        }
        /* x removed, then put back where it was */
        int at = 0;
        for (cJSON *y = node->child; y != x; y = y->next)
            at++;
        cJSON *detached = cJSON_DetachItemViaPointer(node, x);
        (*tried)++;
        accepted += load_and_solve(ck, root);
        splice(node, detached, at);
        x = detached;
    }
    return accepted;
}

static size_t total_findings, units_borrowing;

static void check_group(CXIndex idx, const rc_check *ck, char **files, size_t n, int fuzz)
{
    units u;
    if (!parse_group(idx, files, n, &u)) {
        free_group(&u);
        return;
    }
    /* A: the reference */
    rc_findings a;
    findings_init(&a);
    void *shared = ck->begin();
    for (size_t i = 0; i < u.n; i++)
        run_unit(ck, shared, &u.tus[i], i, NULL, &a);
    ck->end(shared, &a, 1);
    ck->discard(shared);
    char *ta = findings_text(&a);
    total_findings += a.n;

    /* B: one state per unit, folded left to right; units may leave out
     * what an earlier one provides (claims.h), as in a real run */
    rc_findings b;
    findings_init(&b);
    void **st = xcalloc(u.n, sizeof *st);
    rc_claims *claims = claims_new();
    for (size_t i = 0; i < u.n; i++) {
        st[i] = ck->begin();
        run_unit(ck, st[i], &u.tus[i], i, claims, &b);
        if (ck->complete && !ck->complete(NULL, st[i]))
            units_borrowing++;
    }
    claims_free(claims);
    /* C's states: each unit's, through JSON */
    void **ld = xcalloc(u.n, sizeof *ld);
    cJSON **saved = xcalloc(u.n, sizeof *saved);
    for (size_t i = 0; i < u.n; i++)
        ld[i] = round_trip(ck, st[i], &saved[i]);
    for (size_t i = 1; i < u.n; i++) {
        if (ck->complete && !ck->complete(st[0], st[i]))
            FAIL("%s on %s: unit %zu left out what no earlier unit provides", ck->name,
                 files[0], i);
        ck->merge(st[0], st[i]);
    }
    if (ck->complete && u.n && !ck->complete(NULL, st[0]))
        FAIL("%s on %s: the first unit left something out", ck->name, files[0]);
    ck->end(st[0], &b, 3);
    ck->discard(st[0]);
    char *tb = findings_text(&b);

    rc_findings c;
    findings_init(&c);
    for (size_t i = 0; i < u.n; i++) {
        /* the unit phase's findings, again in input order */
        void *scratch = ck->begin();
        run_unit(ck, scratch, &u.tus[i], i, NULL, &c);
        ck->merge(ld[i] ? ld[i] : (ld[i] = ck->begin()), scratch);
    }
    for (size_t i = u.n - 1; i-- > 0;)
        ck->merge(ld[i], ld[i + 1]);
    void *final = round_trip(ck, ld[0], NULL);
    rc_findings discard;
    findings_init(&discard);
    ck->end(ld[0], &discard, 2);
    ck->discard(ld[0]);
    findings_free(&discard);
    if (final) {
        ck->merge(final, ck->begin());  /* an empty unit changes nothing */
        ck->end(final, &c, 2);
        ck->discard(final);
    }
    char *tc = findings_text(&c);

    if (strcmp(ta, tb))
        FAIL("%s on %s (+%zu): merged in order differs from one state\n--- one state:\n%s"
             "--- merged:\n%s", ck->name, files[0], n - 1, ta, tb);
    if (strcmp(ta, tc))
        FAIL("%s on %s (+%zu): saved, loaded, merged differs from one state\n--- one state:\n%s"
             "--- loaded:\n%s", ck->name, files[0], n - 1, ta, tc);

    if (fuzz) {
        size_t tried = 0, accepted = 0;
        for (size_t i = 0; i < u.n; i++)
            if (saved[i])
                accepted += corrupt_all(ck, saved[i], saved[i], &tried);
        printf("  %s: %zu corruptions of %s..., %zu loaded and solved\n", ck->name, tried,
               files[0], accepted);
        if (ck->load(NULL) || ck->load(cJSON_GetArrayItem(saved[0], 0)))
            FAIL("%s: load() accepted nothing at all", ck->name);
    }
    for (size_t i = 0; i < u.n; i++)
        cJSON_Delete(saved[i]);
    free(saved);
    free(st);
    free(ld);
    free(ta);
    free(tb);
    free(tc);
    findings_free(&a);
    findings_free(&b);
    findings_free(&c);
    free_group(&u);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: check_states DIR...\n");
        return 2;
    }
    if (cx_load() < 0) {
        fprintf(stderr, "check_states: %s\n", cx_error());
        return 2;
    }
    CXIndex idx = clang_createIndex(0, 0);
    int tested = 0;
    for (unsigned k = 0; k < rc_nchecks; k++) {
        const rc_check *ck = rc_checks[k];
        if (!ck->begin)
            continue;
        if (!ck->merge || !ck->save || !ck->load || !ck->end) {
            FAIL("%s has state but no merge/save/load/end", ck->name);
            continue;
        }
        tested++;
        for (int d = 1; d < argc; d++) {
            strv files = {0}, subdirs = {0};
            list_dir(argv[d], &files, &subdirs);
            for (size_t i = 0; i < files.n; i++)
                check_group(idx, ck, &files.v[i], 1, i == 0);
            if (files.n > 1)
                check_group(idx, ck, files.v, files.n, 0);
            for (size_t i = 0; i < subdirs.n; i++) {
                strv sub = {0};
                list_dir(subdirs.v[i], &sub, NULL);
                if (sub.n)
                    check_group(idx, ck, sub.v, sub.n, 1);
                for (size_t j = 0; j < sub.n; j++)
                    free(sub.v[j]);
                free(sub.v);
            }
            for (size_t i = 0; i < files.n; i++)
                free(files.v[i]);
            for (size_t i = 0; i < subdirs.n; i++)
                free(subdirs.v[i]);
            free(files.v);
            free(subdirs.v);
        }
    }
    clang_disposeIndex(idx);
    if (tested && !total_findings)
        FAIL("no findings at all: the comparison proved nothing");
    if (tested && !units_borrowing)
        FAIL("no unit left out a definition: the claims went untested");
    printf("%d stateful check(s), %zu findings compared, %d failure(s)\n", tested,
           total_findings, failures);
    return failures ? 1 : 0;
}
