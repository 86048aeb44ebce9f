/*
 * tsan_supp.h -- ThreadSanitizer suppression files, applied by racecheck
 * itself to the runtime's findings: `racecheck parse` honours them on logs
 * made elsewhere, and --report-unused-suppressions can name the ones that
 * matched nothing.  The format is TSan's own:
 *
 *   # comment
 *   race:hash_insert            a frame's function, file or module, or
 *   race_top:^worker$           the racing global (race); race_top: top frames
 *   thread:start_pool           thread-leak
 *   mutex:legacy_unlock         mutex-* and locked-mutex-destroy
 *   signal:on_sigusr1           signal-unsafe-call, errno-in-signal-handler
 *   deadlock:db_lock            lock-order-inversion and racecheck's deadlock
 *   called_from_lib:libfoo.so   any report with a frame in that module
 *
 * A pattern matches as a substring; `*` is a wildcard, `^` and `$` anchor.
 */
#ifndef RC_TSAN_SUPP_H
#define RC_TSAN_SUPP_H

#include "cli.h"
#include "findings.h"

/* The --suppressions option, shared by `run` and `parse`. */
#define TSAN_SUPP_OPT (CLI_OPT_FIRST_FREE + 64)
#define TSAN_SUPP_LONGOPT {"suppressions", required_argument, NULL, TSAN_SUPP_OPT}
#define TSAN_SUPP_HELP \
    "  --suppressions=FILE    drop the reports a TSan suppressions file matches\n"

typedef struct tsan_supps tsan_supps;

/* Read a suppressions file; NULL after adding an error naming the file and
 * line to errs. */
tsan_supps *tsan_supps_load(const char *path, rc_findings *errs);

/* Drop the dynamic findings a suppression matches. */
void tsan_supps_apply(tsan_supps *s, rc_findings *fs);

/* Add an `unused-suppression` finding for each suppression that matched
 * nothing (at its line in the file). */
void tsan_supps_report_unused(const tsan_supps *s, rc_findings *fs);

void tsan_supps_free(tsan_supps *s);

/* What `run` and `parse` do with --suppressions=FILE (path may be NULL):
 * load, apply, optionally report the unused ones, free. */
void tsan_supps_run(const char *path, int report_unused, rc_findings *fs);

#endif
