/*
 * spawn.h -- run a program with posix_spawnp (argv, never a shell) in its
 * own process group, with stdin/stdout/stderr redirected, a timeout, and a
 * kill that takes the whole group down.
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

#endif
