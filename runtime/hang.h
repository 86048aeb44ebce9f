/*
 * hang.h -- a program ran past its timeout: find out where it is stuck.
 */
#ifndef RC_HANG_H
#define RC_HANG_H

#include <sys/types.h>

#include "findings.h"

/* pid is still running.  Take backtraces of all its threads with gdb
 * (output in DIR/gdb.log), then add a `deadlock` finding at the user frame
 * of a thread blocked acquiring a lock, or else a `timeout` finding (about
 * origin when no user frame is known).  Does not kill pid. */
void hang_report(pid_t pid, double timeout, const char *dir, const char *origin,
                 rc_findings *fs);

#endif
