/*
 * tempdir.h -- private temp dirs that are gone when racecheck is, however
 * it ends: removed by their owner, or on SIGINT, SIGTERM, SIGHUP or
 * SIGQUIT by a thread that waits for those signals.
 */
#ifndef RC_TEMPDIR_H
#define RC_TEMPDIR_H

/* Block the fatal signals in this thread and every thread it starts from
 * now on, and start the thread that takes them: it calls on_signal (may be
 * NULL), removes every temp dir, prints "racecheck: interrupted by SIGxxx;
 * <what>" and dies of the same signal.  Call before starting any thread. */
void tempdir_install_signals(void (*on_signal)(void), const char *what);

/* A new empty dir $TMPDIR/racecheck.XXXXXX (absolute), or NULL. */
char *tempdir_make(void);

/* Remove the dir and all it holds, and free the name. */
void tempdir_remove(char *dir);

#endif
