/*
 * findings.h -- the findings model shared by both halves of racecheck.
 *
 * The static analyzer and the TSan runtime both produce rc_finding values
 * into an rc_findings list; the reporters (report.h) print that list and
 * know nothing about which check produced what.  Strings are owned by the
 * list (copied in), so producers may pass temporaries.
 */
#ifndef RC_FINDINGS_H
#define RC_FINDINGS_H

#include <stdarg.h>
#include <stddef.h>

struct cJSON;

typedef struct rc_note {
    char *file;              /* may be NULL when the note has no location */
    unsigned line, column;   /* 1-based; 0 = unknown */
    char *message;
} rc_note;

typedef struct rc_finding {
    char *check;             /* "copylock", "data-race", ... */
    const char *source;      /* "static" or "dynamic" (static storage) */
    const char *severity;    /* "warning" or "error" (static storage) */
    char *file;              /* path as the user named it; NULL if unknown */
    unsigned line, column;   /* 1-based; 0 = unknown */
    char *function;          /* enclosing function, or NULL */
    char *message;
    rc_note *notes;
    size_t nnotes;
    unsigned count;          /* identical reports collapsed into this one */
    char *fingerprint;       /* stable identity; set by findings_finish() if NULL */
    struct cJSON *detail;    /* optional extra JSON (owned), e.g. a TSan report */
} rc_finding;

typedef struct rc_error {
    char *file;              /* the input the error is about; may be NULL */
    char *message;
} rc_error;

typedef struct rc_findings {
    rc_finding **items;
    size_t n, cap;
    rc_error *errors;
    size_t nerrors, errcap;
} rc_findings;

void findings_init(rc_findings *fs);
void findings_free(rc_findings *fs);

/* Append a finding; the message is printf-formatted.  Returns the new
 * finding so that notes, a fingerprint or detail can be attached. */
rc_finding *findings_add(rc_findings *fs, const char *check, const char *source,
                         const char *file, unsigned line, unsigned column,
                         const char *function, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

void finding_note(rc_finding *f, const char *file, unsigned line,
                  unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Record an input error (missing file, parse failure, bad log ...). */
void findings_error(rc_findings *fs, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Move every finding and error of src to the end of dst; src is left empty. */
void findings_move(rc_findings *dst, rc_findings *src);

/* Keep only the findings for which keep() says 1 (asked in order); the
 * others are freed.  Returns how many were dropped. */
size_t findings_filter(rc_findings *fs, int (*keep)(const rc_finding *f, void *ud), void *ud);

/* Final pass before reporting: fill in missing fingerprints, collapse
 * findings with equal fingerprints into one (summing counts, keeping the
 * first), and sort by file, line, column, check, message so that output is
 * deterministic whatever order the producers ran in. */
void findings_finish(rc_findings *fs);

/* Exit status contract: 2 if any error, else 1 if any finding, else 0. */
int findings_exit_status(const rc_findings *fs);

#endif
