/*
 * preamble.h -- parse the #include lines that files share once: units
 * whose files begin with the same includes (and #defines), compiled with
 * the same flags from the same directory, read those headers from one
 * precompiled preamble instead of each parsing them again.
 */
#ifndef RC_PREAMBLE_H
#define RC_PREAMBLE_H

#include "cx.h"
#include "input.h"

typedef struct rc_preambles rc_preambles;

/* --pch: never; when enough units share heavy enough headers to gain;
 * whenever two units share any (for tests). */
typedef enum { PCH_AUTO, PCH_NEVER, PCH_ALWAYS } rc_pch_mode;  /* zero: auto */

/* Where the preamble of a file's text ends (0: it has none): after the
 * last #include, #define or #undef outside any #if (and after an
 * #include), in a run of only those and #if-family lines, blank lines and
 * comments from the start. */
size_t preamble_end(const char *text, size_t n);

/* Plan which of the units in todo (indices into in) share a preamble.
 * NULL when none do; every function below accepts NULL. */
rc_preambles *preambles_plan(const rc_inputs *in, const size_t *todo, size_t ntodo,
                             rc_pch_mode mode);

/* Parse unit `index` as clang_parseTranslationUnit2 would, with `options`:
 * from its group's preamble when there is one (precompiled here by the
 * group's second unit to need it), else alone.  A unit that does not parse
 * cleanly with the preamble is parsed again alone, so what is reported
 * about it never depends on the sharing. */
enum CXErrorCode preambles_parse(rc_preambles *p, CXIndex idx, const rc_inputs *in,
                                 size_t index, unsigned options, CXTranslationUnit *out);

/* Unit `index` will not parse again in this pass (parsed, or answered by
 * the cache): a preamble no unit still needs is deleted. */
void preambles_done(rc_preambles *p, size_t index);

/* How many units were parsed from a preamble. */
size_t preambles_used(rc_preambles *p);

/* Delete what is left (the temp dir) and free the plan. */
void preambles_free(rc_preambles *p);

#endif
