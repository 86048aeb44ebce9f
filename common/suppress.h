/*
 * suppress.h -- suppression comments in the source.
 *
 *   x = y;   // NOLINT(racecheck-copylock)      this line, clang-tidy style
 *   // NOLINTNEXTLINE(racecheck-*)             the next line
 *   x = y;   // racecheck-ignore[copylock]     this line, racecheck's spelling
 *   // racecheck-ignore[copylock]              ... or on the line above
 *
 * A bare NOLINT / NOLINTNEXTLINE / racecheck-ignore silences every check;
 * lists take check names or globs (with or without the racecheck- prefix).
 */
#ifndef RC_SUPPRESS_H
#define RC_SUPPRESS_H

#include <stddef.h>

#include "findings.h"

/* Drop the findings that a comment silences.  sources: files to scan for
 * suppressions besides the files findings point into.  With report_unused,
 * every racecheck suppression that silenced nothing becomes a finding of
 * check "unused-suppression". */
void suppress_apply(rc_findings *fs, char *const *sources, size_t nsources, int report_unused);

#endif
