/*
 * pipeline.c -- parse and check translation units on worker threads.
 *
 * Each unit gets its own findings list and its own check states, so
 * workers share nothing but a counter; afterwards the states are folded in
 * input order (checks.h: merge) and the whole-program pass runs once.
 * Workers run on threads with a large stack: libclang's parser and visitor
 * recurse as deep as the user's expressions nest, and a generated
 * 20 000-term expression must not take racecheck down.
 */
#include "pipeline.h"
#include "checks.h"
#include "tu.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORKER_STACK_SIZE ((size_t)1 << 30)  /* reserved, touched on demand */
#define MAX_CHECKS 16

typedef struct unit_result {
    rc_findings out;
    void *states[MAX_CHECKS];
} unit_result;

typedef struct pool {
    const rc_inputs *in;
    const int *enabled;
    rc_cache *cache;
    unit_result *results;
    void **shared;           /* one state for every unit (see pipeline_run) */
    size_t next;
    pthread_mutex_t mu;
} pool;

/* The first error diagnostic, as "FILE:LINE:COL: MESSAGE", or NULL. */
static char *first_error(CXTranslationUnit tu)
{
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        char *msg = NULL;
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
            msg = cx_take(clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
                                                        CXDiagnostic_DisplayColumn));
        clang_disposeDiagnostic(d);
        if (msg)
            return msg;
    }
    return NULL;
}

static void analyse_unit(pool *p, CXIndex *idx, const rc_input *in, unit_result *r)
{
    char *key = p->cache ? cache_key(p->cache, in, p->enabled) : NULL;
    if (key && cache_lookup(p->cache, key, p->enabled, &r->out, r->states)) {
        free(key);
        return;
    }
    /* The first file the cache cannot answer for loads libclang. */
    if (!*idx && cx_load() == 0)
        *idx = clang_createIndex(0, 0);
    if (!*idx) {
        findings_error(&r->out, in->display, "%s", cx_error());
        free(key);
        return;
    }
    void **states = p->shared ? p->shared : r->states;
    for (unsigned i = 0; i < rc_nchecks; i++)
        if (p->enabled[i] && rc_checks[i]->begin && !p->shared)
            r->states[i] = rc_checks[i]->begin();
    CXTranslationUnit cx = NULL;
    enum CXErrorCode err = clang_parseTranslationUnit2(
        *idx, in->parse_path, (const char *const *)in->args, in->nargs, NULL, 0,
        CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles, &cx);
    char *error = NULL;
    if (err != CXError_Success || !cx)
        findings_error(&r->out, in->display, "libclang could not parse this file (%s)",
                       err == CXError_Crashed ? "libclang crashed on it"
                       : err == CXError_InvalidArguments ? "invalid compiler arguments"
                       : err == CXError_ASTReadError ? "not a C source file"
                       : "parse failure");
    else if ((error = first_error(cx)) != NULL)
        findings_error(&r->out, in->display, "cannot parse: %s", error);
    else {
        rc_tu tu;
        tu_init(&tu, cx, in->parse_path, in->display);
        rc_unit unit;
        unit_init(&unit, &tu);
        for (unsigned i = 0; i < rc_nchecks; i++)
            if (p->enabled[i])
                rc_checks[i]->unit(states[i], &unit, &r->out);
        unit_dispose(&unit);
        tu_dispose(&tu);
        if (key)
            cache_store(p->cache, key, cx, p->enabled, &r->out, r->states);
    }
    free(error);
    if (cx)
        clang_disposeTranslationUnit(cx);
    free(key);
}

static void *worker(void *arg)
{
    pool *p = arg;
    CXIndex idx = NULL;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->in->n)
            break;
        analyse_unit(p, &idx, &p->in->v[i], &p->results[i]);
    }
    if (idx)
        clang_disposeIndex(idx);
    return NULL;
}

void pipeline_run(const rc_inputs *in, const int *enabled, unsigned jobs, rc_cache *cache,
                  rc_findings *out)
{
    /* A stateful check that cannot merge states forces one shared state and
     * one thread; one that cannot save its state turns the cache off. */
    void *shared[MAX_CHECKS] = {0};
    int can_merge = 1, can_cache = 1;
    for (unsigned c = 0; c < rc_nchecks; c++)
        if (enabled[c] && rc_checks[c]->begin) {
            can_merge &= rc_checks[c]->merge != NULL;
            can_cache &= rc_checks[c]->save && rc_checks[c]->load;
        }
    if (!can_merge) {
        for (unsigned c = 0; c < rc_nchecks; c++)
            if (enabled[c] && rc_checks[c]->begin)
                shared[c] = rc_checks[c]->begin();
        jobs = 1;
    }
    pool p = {in, enabled, can_cache && can_merge ? cache : NULL,
              xcalloc(in->n ? in->n : 1, sizeof *p.results), can_merge ? NULL : shared, 0,
              PTHREAD_MUTEX_INITIALIZER};
    for (size_t i = 0; i < in->n; i++)
        findings_init(&p.results[i].out);
    if (jobs < 1)
        jobs = 1;
    if (jobs > in->n)
        jobs = in->n ? (unsigned)in->n : 1;
    /* libclang chdir()s into a compile command's -working-directory as it
     * parses: the reporters must find the user's directory afterwards. */
    int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    pthread_t *th = xcalloc(jobs, sizeof *th);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK_SIZE);
    unsigned started = 0;
    for (unsigned t = 0; t < jobs; t++)
        if (pthread_create(&th[t], &attr, worker, &p) == 0)
            started++;
        else
            break;
    if (!started)
        worker(&p);  /* no thread to be had: do our best on this stack */
    for (unsigned t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_attr_destroy(&attr);
    free(th);
    if (cwd >= 0) {
        if (fchdir(cwd) < 0)
            rc_warn("cannot return to the working directory: %s", strerror(errno));
        close(cwd);
    }

    /* Fold in input order: the result cannot depend on which worker did what. */
    void **states = shared;
    for (size_t i = 0; i < in->n; i++) {
        unit_result *r = &p.results[i];
        findings_move(out, &r->out);
        for (unsigned c = 0; c < rc_nchecks; c++) {
            if (!r->states[c])
                continue;
            if (!states[c])
                states[c] = r->states[c];
            else
                rc_checks[c]->merge(states[c], r->states[c]);
        }
    }
    for (unsigned c = 0; c < rc_nchecks; c++)
        if (enabled[c] && rc_checks[c]->begin && rc_checks[c]->end) {
            if (!states[c])
                states[c] = rc_checks[c]->begin();
            rc_checks[c]->end(states[c], out);
        }
    free(p.results);
}
