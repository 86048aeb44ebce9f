/*
 * pipeline.h -- analyse translation units, in parallel, through the cache.
 */
#ifndef RC_PIPELINE_H
#define RC_PIPELINE_H

#include "cache.h"
#include "findings.h"
#include "input.h"
#include "preamble.h"

/* Where a run's wall time went (--time-report), in seconds.  What runs
 * on one thread while the others wait -- waiting for libclang to load,
 * the fold and the whole-program pass -- bounds what -j can gain. */
typedef struct rc_timings {
    double plan;            /* ordering the units, planning preambles */
    double units;           /* parsing and checking, all workers */
    double busy;            /* the workers' time on units, summed */
    double load;            /* loading libclang (0: not loaded) */
    double wait;            /* of units: the longest a worker waited for it */
    double waited;          /* of busy: the workers' waits for it, summed */
    double fold;            /* folding the units' states in input order */
    double whole;           /* the checks' whole-program pass */
    unsigned workers;
    size_t analysed, cached;
} rc_timings;

/* Analyse every input with the enabled checks on `jobs` threads, then run
 * the checks' whole-program pass.  Findings and errors go to out; their
 * order does not depend on scheduling (units are folded in input order).
 * pch: when to parse the #include lines files share once (preamble.h);
 * times: filled in when not NULL. */
void pipeline_run(const rc_inputs *in, const int *enabled, unsigned jobs, rc_cache *cache,
                  rc_pch_mode pch, rc_findings *out, rc_timings *times);

#endif
