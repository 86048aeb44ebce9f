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

typedef enum { RC_FORMAT_TEXT, RC_FORMAT_JSON } rc_format;

/* "text" / "json" -> format; returns -1 for an unknown name. */
int report_format_parse(const char *name, rc_format *out);

/* Compiler-style text: "FILE:LINE:COL: warning: MSG [racecheck-CHECK]",
 * the source line with a caret, then notes; errors as "FILE: error: MSG".
 * color: highlight with ANSI escapes. */
void report_text(FILE *out, const rc_findings *fs, int color);

/* The JSON contract: {"version":1,"tool":{...},"findings":[...],"errors":[...]}. */
void report_json(FILE *out, const rc_findings *fs);

/* The finding as one JSON object (shared by the JSON reporter and tests). */
struct cJSON *report_finding_json(const rc_finding *f);

#endif
