/*
 * checks.h -- the checks registry and the interface every check implements.
 *
 * A check consumes shared facts (locktype.h, copies.h, ...) and emits
 * findings.  It sees each translation unit in turn, then, once all are
 * done, gets a chance at whole-program work (linking summaries across
 * files).  Checks know nothing of reporters, and reporters nothing of checks.
 */
#ifndef RC_CHECKS_H
#define RC_CHECKS_H

#include "findings.h"
#include "locktype.h"
#include "tu.h"

/* What a check gets for each translation unit: the unit and the facts
 * already computed for it. */
typedef struct rc_unit {
    rc_tu *tu;
    locktype_cache *locktypes;
    struct rc_forest *forest;  /* the unit's syntax trees (forest.h) */
    size_t index;              /* its place in the input order */
    /* The run's shared definitions (claims.h): a check may leave out what
     * a unit before this one provided, and must then say so in its state
     * (see complete below).  NULL: leave nothing out. */
    struct rc_claims *claims;
} rc_unit;

/* Compute a parsed unit's shared facts, and make its forest the one this
 * thread's ast_children consults; unit_dispose undoes both.  claims may be
 * NULL. */
void unit_init(rc_unit *u, rc_tu *tu, size_t index, struct rc_claims *claims);
void unit_dispose(rc_unit *u);

typedef struct rc_check {
    const char *name;        /* "copylock": --checks and [racecheck-NAME] */
    const char *summary;     /* one line, for --list-checks */
    const char *description; /* a paragraph: what is reported and why */
    const char *help;        /* how to fix what it reports */
    /* Whole-program state, for checks that link facts across files.  The
     * driver calls begin() once per translation unit and unit() with that
     * unit's state (units may be analysed in parallel, on other threads);
     * then it folds the states into the first with merge(), in input order,
     * and calls end() on the result.  NULL begin: no state at all. */
    void *(*begin)(void);
    void (*unit)(void *state, rc_unit *u, rc_findings *out);
    void (*merge)(void *into, void *from);       /* frees `from` */
    /* May be NULL; may use up to `jobs` threads, with the same findings. */
    void (*end)(void *state, rc_findings *out, unsigned jobs);
    /* The result cache stores a unit's state between runs: save() it as
     * JSON, load() it back (NULL on a malformed entry).  A check with state
     * but no save/load makes the driver skip the cache for every file. */
    struct cJSON *(*save)(const void *state);
    void *(*load)(const struct cJSON *saved);
    /* May a unit's state be folded after `before` (the fold of the states
     * of the units ahead of it, NULL when there are none)?  0 when the
     * unit left out a definition it took an earlier unit to provide
     * (rc_unit.claims) and none did -- the one that did was changed since
     * this state was cached, say; the driver then analyses the unit again,
     * with nothing left out, and frees the old state with discard().
     * NULL: always. */
    int (*complete)(const void *before, const void *state);
    void (*discard)(void *state);  /* frees a state (after end(), too) */
} rc_check;

extern const rc_check *const rc_checks[];
extern const unsigned rc_nchecks;

/* Apply a clang-tidy style list ("-*,copylock", "-copylock") to enabled[],
 * one flag per rc_checks entry.  Returns -1 (and names the bad item in
 * *bad) for an unknown check. */
int checks_select(const char *list, int *enabled, const char **bad_item, size_t *bad_len);

/* Add a static finding at cursor c, unless c is in a system header.
 * Returns the finding (to attach notes) or NULL when nothing was added. */
rc_finding *check_report(rc_findings *out, rc_tu *tu, const char *check, CXCursor c,
                         const char *function, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
