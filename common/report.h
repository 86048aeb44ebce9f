/*
 * report.h -- reporters: print an rc_findings list as text, JSON or SARIF.
 *
 * Reporters know nothing of checks: everything they print comes from the
 * findings model.  Call findings_finish() first.
 */
#ifndef RC_REPORT_H
#define RC_REPORT_H

#include <stdio.h>

#include "findings.h"

typedef enum { RC_FORMAT_TEXT, RC_FORMAT_JSON, RC_FORMAT_SARIF } rc_format;

/* What a check is, for formats that describe their rules (SARIF).  Each
 * command passes the rules it can produce; reporters never list checks. */
typedef struct rc_rule {
    const char *id;          /* the check's name: "copylock" */
    const char *summary;     /* one line */
    const char *description; /* a paragraph */
    const char *help;        /* how to fix it */
} rc_rule;

/* "text" / "json" / "sarif" -> format; returns -1 for an unknown name. */
int report_format_parse(const char *name, rc_format *out);

/* Compiler-style text: "FILE:LINE:COL: warning: MSG [racecheck-CHECK]",
 * the source line with a caret, then notes; errors as "FILE: error: MSG".
 * color: highlight with ANSI escapes. */
void report_text(FILE *out, const rc_findings *fs, int color);

/* The JSON contract: {"version":1,"tool":{...},"findings":[...],"errors":[...]}. */
void report_json(FILE *out, const rc_findings *fs);

/* SARIF 2.1.0 for code scanning.  Paths become URIs relative to
 * %SRCROOT% (root_dir, an absolute directory); rules describe the checks. */
void report_sarif(FILE *out, const rc_findings *fs, const rc_rule *rules, size_t nrules,
                  const char *root_dir);

#endif
