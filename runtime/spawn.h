/*
 * spawn.h -- run a program with posix_spawnp (argv, never a shell) in its
 * own process group, with stdin/stdout/stderr redirected, a timeout, and a
 * kill that takes the whole group down.  Every started program is kept in a
 * registry until it is reaped, for spawn_kill_all_and_freeze().
 */
#ifndef RC_SPAWN_H
#define RC_SPAWN_H

#include <sys/types.h>

typedef struct spawn_opts {
    char *const *argv;       /* argv[0] is searched in PATH */
    char *const *envp;       /* NULL: the current environment */
    const char *stdin_path;  /* NULL: inherit */
    const char *out_path;    /* stdout and stderr to this file; NULL: inherit */
} spawn_opts;

enum { SPAWN_EXITED, SPAWN_SIGNALED, SPAWN_TIMEOUT };

/* Start the program in a new process group; 0 or an errno value. */
int spawn_start(const spawn_opts *o, pid_t *pid);

/* Wait at most timeout seconds (<= 0: no limit).  SPAWN_EXITED (*code =
 * exit status) or SPAWN_SIGNALED (*code = signal): the process is reaped and
 * whatever remains of its group killed.  SPAWN_TIMEOUT: still running. */
int spawn_wait(pid_t pid, double timeout, int *code);

/* SIGKILL the process group of pid and reap pid. */
void spawn_kill(pid_t pid);

/* spawn_start + spawn_wait, killing on timeout; SPAWN_* or -errno. */
int spawn_run(const spawn_opts *o, double timeout, int *code);

/* Leftovers that escaped their process group (setsid, daemons) are found by
 * a tag in their environment: an entry starting with TAG (for example
 * "RACECHECK_JOB=123.4." given to the program through envp).  SIGKILL every
 * process of this user whose environment has one, until none is left, and
 * reap those that were re-parented to us. */
void spawn_kill_tagged(const char *tag);

/* Become the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER), so that
 * leftovers can be reaped rather than left as zombies. */
void spawn_become_reaper(void);

/* For a fatal signal: SIGKILL the process group of every program started by
 * spawn_start and not yet reaped.  Takes the registry lock and keeps it, so
 * that no further program can start. */
void spawn_kill_all_and_freeze(void);

#endif
