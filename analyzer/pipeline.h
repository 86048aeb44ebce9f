/*
 * pipeline.h -- analyse translation units, in parallel, through the cache.
 */
#ifndef RC_PIPELINE_H
#define RC_PIPELINE_H

#include "cache.h"
#include "findings.h"
#include "input.h"
#include "preamble.h"

/* Analyse every input with the enabled checks on `jobs` threads, then run
 * the checks' whole-program pass.  Findings and errors go to out; their
 * order does not depend on scheduling (units are folded in input order). */
/* pch: when to parse the #include lines files share once (preamble.h). */
void pipeline_run(const rc_inputs *in, const int *enabled, unsigned jobs, rc_cache *cache,
                  rc_pch_mode pch, rc_findings *out);

#endif
