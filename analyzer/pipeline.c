/*
 * pipeline.c -- parse and check translation units on worker threads.
 *
 * Each unit gets its own findings list and its own check states, so
 * workers share nothing but a counter.  The states are folded in input
 * order (checks.h: merge) -- under -j, by the main thread as the workers
 * finish units -- and then the whole-program pass runs once.
 * Workers run on threads with a large stack: libclang's parser and visitor
 * recurse as deep as the user's expressions nest, and a generated
 * 20 000-term expression must not take racecheck down.
 */
#include "pipeline.h"
#include "checks.h"
#include "claims.h"
#include "preamble.h"
#include "tu.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WORKER_STACK_SIZE ((size_t)1 << 30)  /* reserved, touched on demand */
#define MAX_CHECKS 16

typedef struct unit_result {
    rc_findings out;
    void *states[MAX_CHECKS];
    char *key;               /* its cache key (NULL: uncached) */
    char *states_id;         /* the id of its states in the cache, if there */
    int from_cache;          /* states still on disk: cache_load_states */
    int failed;              /* not parsed: it adds nothing to the program */
} unit_result;

typedef struct pool {
    const rc_inputs *in;
    const int *enabled;
    rc_cache *cache;
    unit_result *results;
    void **shared;           /* one state for every unit (see pipeline_run) */
    const size_t *todo;      /* the units to analyse, by index */
    size_t ntodo, next;
    double busy;             /* seconds the workers spent on units */
    double wait, waited;     /* of busy: waiting for libclang, max and sum */
    int lookup;              /* answer from the cache when it can */
    rc_claims *claims;       /* shared definitions (NULL: units omit none) */
    rc_preambles *preambles; /* headers parsed once for many units (or NULL) */
    void **fold;             /* the fold of units [0, folded): its states... */
    rc_findings *out;        /* ...and their findings */
    size_t folded;
    int early;               /* fold as the workers go (see fold_early) */
    unsigned jobs;           /* threads for the whole-program pass too */
    unsigned char *done;     /* per unit: analysed by now (when early) */
    double finished;         /* when the last worker ran out of units */
    double tail;             /* the early fold's time after that */
    pthread_mutex_t mu;
    pthread_cond_t done_cv;  /* a unit is done */
} pool;

/* Analyse unit `index`; *waited gets the time spent waiting for libclang
 * to load. */
static void analyse_unit(pool *p, CXIndex *idx, size_t index, double *waited)
{
    const rc_input *in = &p->in->v[index];
    unit_result *r = &p->results[index];
    r->failed = 1;   /* until it is parsed */
    if (p->cache && !r->key)
        r->key = cache_key(p->cache, in, p->enabled);
    if (r->key && p->lookup && cache_lookup(p->cache, r->key, &r->out, &r->states_id)) {
        r->from_cache = 1;
        r->failed = 0;
        return;
    }
    /* The first file the cache cannot answer for loads libclang. */
    if (!*idx) {
        double start = rc_now();
        if (cx_load() == 0)
            *idx = clang_createIndex(0, 0);
        *waited = rc_now() - start;
    }
    if (!*idx) {
        findings_error(&r->out, in->display, "%s", cx_error());
        return;
    }
    void **states = p->shared ? p->shared : r->states;
    for (unsigned i = 0; i < rc_nchecks; i++)
        if (p->enabled[i] && rc_checks[i]->begin && !p->shared)
            r->states[i] = rc_checks[i]->begin();
    CXTranslationUnit cx = NULL;
    enum CXErrorCode err = preambles_parse(p->preambles, *idx, p->in, index,
                                           CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles,
                                           &cx);
    char *error = NULL;
    if (err != CXError_Success || !cx)
        findings_error(&r->out, in->display, "libclang could not parse this file (%s)",
                       err == CXError_Crashed ? "libclang crashed on it"
                       : err == CXError_InvalidArguments ? "invalid compiler arguments"
                       : err == CXError_ASTReadError ? "not a C source file"
                       : "parse failure");
    else if ((error = tu_first_error(cx)) != NULL)
        findings_error(&r->out, in->display, "cannot parse: %s", error);
    else {
        r->failed = 0;
        rc_tu tu;
        tu_init(&tu, cx, in->parse_path, in->display, in->dir);
        /* The shared facts (the forest) cost a walk of the unit: none
         * when no check will read them (--checks='-*' only parses). */
        unsigned nenabled = 0;
        for (unsigned i = 0; i < rc_nchecks; i++)
            nenabled += p->enabled[i] != 0;
        if (nenabled) {
            rc_unit unit;
            unit_init(&unit, &tu, index, p->claims);
            for (unsigned i = 0; i < rc_nchecks; i++)
                if (p->enabled[i])
                    rc_checks[i]->unit(states[i], &unit, &r->out);
            unit_dispose(&unit);
        }
        tu_dispose(&tu);
        if (r->key)
            r->states_id = cache_store(p->cache, r->key, cx, in->dir, p->enabled, &r->out,
                                       r->states);
    }
    free(error);
    if (cx)
        clang_disposeTranslationUnit(cx);
}

static void *worker(void *arg)
{
    pool *p = arg;
    CXIndex idx = NULL;
    double spent = 0, waited = 0;
    size_t k = (size_t)-1;   /* the unit just done, if any */
    for (;;) {
        pthread_mutex_lock(&p->mu);
        p->busy += spent;
        p->waited += waited;
        if (waited > p->wait)
            p->wait = waited;
        if (p->early && k < p->ntodo) {
            p->done[p->todo[k]] = 1;
            pthread_cond_signal(&p->done_cv);
        }
        k = p->next++;
        if (k >= p->ntodo)
            p->finished = rc_now();
        pthread_mutex_unlock(&p->mu);
        if (k >= p->ntodo)
            break;
        double start = rc_now();
        waited = 0;
        analyse_unit(p, &idx, p->todo[k], &waited);
        /* Only once the unit is gone: a unit may read its preamble's file
         * as long as it lives. */
        preambles_done(p->preambles, p->todo[k]);
        spent = rc_now() - start;
    }
    if (idx)
        clang_disposeIndex(idx);
    return NULL;
}

static void fold_early(pool *p);

/* Analyse the units in todo on up to `jobs` large-stack threads; returns
 * how many workers ran. */
static unsigned run_workers(pool *p, const size_t *todo, size_t ntodo, unsigned jobs)
{
    p->todo = todo;
    p->ntodo = ntodo;
    p->next = 0;
    if (jobs > ntodo)
        jobs = ntodo ? (unsigned)ntodo : 1;
    pthread_t *th = xcalloc(jobs, sizeof *th);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK_SIZE);
    unsigned started = 0;
    for (unsigned t = 0; t < jobs; t++)
        if (pthread_create(&th[t], &attr, worker, p) == 0)
            started++;
        else
            break;
    if (!started) {
        p->early = 0;
        worker(p);  /* no thread to be had: do our best on this stack */
    }
    if (p->early)
        fold_early(p);
    for (unsigned t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    double joined = rc_now();
    if (p->early && joined > p->finished)
        p->tail = joined - p->finished;
    p->early = 0;  /* the first round only: it has every unit */
    pthread_attr_destroy(&attr);
    free(th);
    return started ? started : 1;
}

/* The order in which several workers take the units.  Input order, so
 * that the main thread can fold them as they come (fold_early); but the
 * units holding the last eighth of the bytes largest first, so that the
 * run does not end with one worker on a big file while the others idle.
 * The order of work changes no output (results are folded by index). */
typedef struct sized { off_t size; size_t index; } sized;

static int larger_first(const void *a, const void *b)
{
    const sized *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void order_for_workers(const rc_inputs *in, size_t *todo, size_t n)
{
    sized *v = xmalloc((n ? n : 1) * sizeof *v);
    off_t total = 0, last = 0;
    for (size_t k = 0; k < n; k++) {
        struct stat st;
        v[k].index = todo[k];
        char *path = input_path(&in->v[todo[k]]);
        v[k].size = stat(path, &st) == 0 ? st.st_size : 0;
        total += v[k].size;
        free(path);
    }
    size_t from = n;
    while (from > 0 && last < total / 8)
        last += v[--from].size;
    qsort(v + from, n - from, sizeof *v, larger_first);
    for (size_t k = 0; k < n; k++)
        todo[k] = v[k].index;
    free(v);
}

/* The whole-program key when every unit's states are in the cache.  A
 * unit that could not be parsed stands in it as such: it is parsed again
 * on every run (whether it still fails depends on files it could not
 * find, which no key covers), and while it fails it adds nothing to the
 * program, so the cached whole-program findings still hold. */
static char *run_key_of(const pool *p)
{
    size_t n = p->in->n;
    if (!p->cache || !n)
        return NULL;
    char **keys = xmalloc(n * sizeof *keys), **ids = xmalloc(n * sizeof *ids);
    int complete = 1;
    for (size_t i = 0; i < n && complete; i++) {
        keys[i] = p->results[i].key;
        ids[i] = p->results[i].failed ? "(not parsed)" : p->results[i].states_id;
        complete = keys[i] && ids[i];
    }
    char *key = complete ? cache_run_key(keys, ids, n) : NULL;
    free(keys);
    free(ids);
    return key;
}

/* Load the states of units answered from the cache; the indices of those
 * whose states are gone or broken go to redo[] (returns how many). */
static size_t load_cached_states(pool *p, size_t *redo)
{
    size_t n = 0;
    for (size_t i = 0; i < p->in->n; i++) {
        unit_result *r = &p->results[i];
        if (!r->from_cache)
            continue;
        r->from_cache = 0;
        if (!cache_load_states(p->cache, r->key, r->states_id, p->enabled, r->states)) {
            findings_free(&r->out);
            findings_init(&r->out);
            free(r->states_id);
            r->states_id = NULL;
            redo[n++] = i;
        }
    }
    return n;
}

/* Can unit r's states follow the fold of the units before it (checks.h:
 * complete)? */
static int unit_complete(const unit_result *r, void *const *folded)
{
    for (unsigned c = 0; c < rc_nchecks; c++)
        if (r->states[c] && rc_checks[c]->complete &&
            !rc_checks[c]->complete(folded[c], r->states[c]))
            return 0;
    return 1;
}

/* Analyse unit i again, with nothing left out and without the cache's
 * answer (which the fold just refused). */
static void redo_unit(pool *p, size_t i)
{
    unit_result *r = &p->results[i];
    for (unsigned c = 0; c < rc_nchecks; c++)
        if (r->states[c]) {
            rc_checks[c]->discard(r->states[c]);
            r->states[c] = NULL;
        }
    findings_free(&r->out);
    findings_init(&r->out);
    free(r->states_id);
    r->states_id = NULL;
    rc_claims *claims = p->claims;
    int lookup = p->lookup;
    p->claims = NULL;
    p->lookup = 0;
    run_workers(p, &i, 1, 1);
    p->claims = claims;
    p->lookup = lookup;
}

/* Fold the next unit in input order (the result cannot depend on which
 * worker did what). */
static void fold_next(pool *p)
{
    unit_result *r = &p->results[p->folded++];
    findings_move(p->out, &r->out);
    for (unsigned c = 0; c < rc_nchecks; c++) {
        if (!r->states[c])
            continue;
        if (!p->fold[c])
            p->fold[c] = r->states[c];
        else
            rc_checks[c]->merge(p->fold[c], r->states[c]);
        r->states[c] = NULL;
    }
}

/* Under -j, the main thread folds units as the workers finish them,
 * rather than only wait: the fold is work on one thread (a tenth of git's
 * serial time), and here it overlaps the parsing.  It stops at the first
 * unit it cannot take yet -- one whose states are still in the cache, or
 * one that must be analysed again -- and fold_and_end goes on from there
 * once the workers are done. */
static void fold_early(pool *p)
{
    while (p->folded < p->in->n) {
        size_t i = p->folded;
        pthread_mutex_lock(&p->mu);
        while (!p->done[i])
            pthread_cond_wait(&p->done_cv, &p->mu);
        pthread_mutex_unlock(&p->mu);
        const unit_result *r = &p->results[i];
        if (r->from_cache || !unit_complete(r, p->fold))
            break;
        fold_next(p);
    }
}

/* Fold the units not folded yet, and run the whole-program pass; its
 * findings go to found.  Returns how many units had to be analysed
 * again. */
static size_t fold_and_end(pool *p, rc_findings *found, rc_timings *times)
{
    double start = rc_now();
    size_t redone = 0;
    void **states = p->fold;
    while (p->folded < p->in->n) {
        if (!unit_complete(&p->results[p->folded], states)) {
            redo_unit(p, p->folded);
            redone++;
        }
        fold_next(p);
    }
    double folded = rc_now();
    for (unsigned c = 0; c < rc_nchecks; c++)
        if (p->enabled[c] && rc_checks[c]->begin && rc_checks[c]->end) {
            if (!states[c])
                states[c] = rc_checks[c]->begin();
            rc_checks[c]->end(states[c], found, p->jobs);
            /* The whole program is of no more use, and freeing it piece
             * by piece would be time on this one thread (util.h). */
            rc_bury(states[c], rc_checks[c]->discard);
        }
    if (times) {
        times->fold = p->tail + folded - start;
        times->whole = rc_now() - folded;
    }
    return redone;
}

void pipeline_run(const rc_inputs *in, const int *enabled, unsigned jobs, rc_cache *cache,
                  rc_pch_mode pch, rc_findings *out, rc_timings *times)
{
    double start = rc_now();
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
    if (jobs < 1)
        jobs = 1;
    pool p = {.in = in, .enabled = enabled, .cache = can_cache && can_merge ? cache : NULL,
              .results = xcalloc(in->n ? in->n : 1, sizeof *p.results),
              .shared = can_merge ? NULL : shared, .lookup = 1, .claims = claims_new(),
              .fold = shared, .out = out, .early = jobs > 1, .jobs = jobs,
              .done = xcalloc(in->n ? in->n : 1, 1), .mu = PTHREAD_MUTEX_INITIALIZER,
              .done_cv = PTHREAD_COND_INITIALIZER};
    size_t *todo = xmalloc((in->n ? in->n : 1) * sizeof *todo);
    for (size_t i = 0; i < in->n; i++) {
        findings_init(&p.results[i].out);
        todo[i] = i;
    }
    /* libclang chdir()s into a compile command's -working-directory as it
     * parses: the reporters must find the user's directory afterwards. */
    int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (jobs > 1)
        order_for_workers(in, todo, in->n);
    p.preambles = preambles_plan(in, todo, in->n, pch);
    double planned = rc_now();
    unsigned workers = run_workers(&p, todo, in->n, jobs);
    if (times) {
        times->plan = planned - start;
        times->workers = workers;
        for (size_t i = 0; i < in->n; i++)
            times->cached += p.results[i].from_cache;
        times->analysed = in->n - times->cached;
    }

    rc_findings found;
    findings_init(&found);
    int all_cached = 1;
    for (size_t i = 0; i < in->n; i++)
        all_cached &= p.results[i].from_cache || p.results[i].failed;
    char *run_key = run_key_of(&p);
    double worked;   /* the units are done, the fold not begun */
    if (run_key && all_cached && cache_run_lookup(p.cache, run_key, &found)) {
        worked = rc_now();
        for (size_t i = 0; i < in->n; i++)
            findings_move(out, &p.results[i].out);
    } else {
        size_t nredo = p.cache ? load_cached_states(&p, todo) : 0;
        if (nredo) {
            p.lookup = 0;
            run_workers(&p, todo, nredo, jobs);
            free(run_key);
            run_key = run_key_of(&p);
        }
        worked = rc_now();
        if (fold_and_end(&p, &found, times)) {
            free(run_key);
            run_key = run_key_of(&p);
        }
        if (run_key)
            cache_run_store(p.cache, run_key, &found);
    }
    if (times) {
        times->units = worked - planned - p.tail;
        times->busy = p.busy;
        times->load = cx_load_seconds();
        times->wait = p.wait;
        times->waited = p.waited;
    }
    findings_move(out, &found);
    if (cwd >= 0) {
        if (fchdir(cwd) < 0)
            rc_warn("cannot return to the working directory: %s", strerror(errno));
        close(cwd);
    }
    for (size_t i = 0; i < in->n; i++) {
        free(p.results[i].key);
        free(p.results[i].states_id);
    }
    free(run_key);
    free(todo);
    free(p.done);
    free(p.results);
    claims_free(p.claims);
    preambles_free(p.preambles);
}
