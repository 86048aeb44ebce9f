/*
 * baseline.h -- adopt racecheck on a legacy code base: record today's
 * findings once (--write-baseline), then report only new ones (--baseline).
 * Findings are matched by fingerprint, which leaves out line numbers, so a
 * baseline survives edits elsewhere in the file.
 */
#ifndef RC_BASELINE_H
#define RC_BASELINE_H

#include "findings.h"

/* Write every finding's fingerprint (with check, file and message for the
 * reader) to path.  Returns 0, or -1 after adding an error to fs. */
int baseline_write(const char *path, rc_findings *fs);

/* Drop the findings whose fingerprint the baseline lists.  An unreadable
 * or malformed baseline becomes an error in fs and drops nothing. */
void baseline_filter(const char *path, rc_findings *fs);

#endif
