/*
 * tsan_report.h -- structured TSan reports (tsan_parse.h) -> findings.
 *
 * Each report becomes one "dynamic" finding located at the first frame of
 * the user's code, with a stable fingerprint (no addresses, pids, thread or
 * mutex ids, nor which access TSan printed first) and the whole report as
 * the finding's `detail` JSON.
 */
#ifndef RC_TSAN_REPORT_H
#define RC_TSAN_REPORT_H

#include "findings.h"
#include "tsan_parse.h"

/* Append a finding per report of log, and an error (about origin) per fatal
 * runtime error.  Paths under the current directory are made relative. */
void tsan_log_findings(const tsan_log *log, rc_findings *fs, const char *origin);

/* Parse log text and append its findings, as tsan_parse + tsan_log_findings
 * would, but a few megabytes at a time (cut before a report's opening
 * separator), so that a huge log never holds all its reports in memory. */
void tsan_text_findings(const char *text, size_t len, rc_findings *fs, const char *origin);

/* The finding for one report (exposed for tests). */
rc_finding *tsan_report_finding(const tsan_report *r, rc_findings *fs);

/* Make a path relative to the current directory when it lies below it;
 * returns a new string (NULL in, NULL out). */
char *tsan_display_path(const char *file);

#endif
