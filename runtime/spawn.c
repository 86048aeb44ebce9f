/*
 * spawn.c -- posix_spawnp in a fresh process group, polling waits with a
 * timeout, and group kills (see spawn.h).  The child is observed with
 * waitid(WNOWAIT) so that its pid -- and so its process group id -- stays
 * reserved until the rest of the group has been killed.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int spawn_start(const spawn_opts *o, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    if (o->stdin_path)
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, o->stdin_path, O_RDONLY, 0);
    if (o->out_path) {
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, o->out_path,
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    }
    posix_spawnattr_setpgroup(&attr, 0);
    /* Default signal dispositions and an empty mask for the child. */
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    int err = posix_spawnp(pid, o->argv[0], &fa, &attr, o->argv,
                           o->envp ? o->envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return err;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int reap(pid_t pid, int *code)
{
    kill(-pid, SIGKILL);   /* leftovers of the group (daemons, grandchildren) */
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(st)) {
        *code = WTERMSIG(st);
        return SPAWN_SIGNALED;
    }
    *code = WEXITSTATUS(st);
    return SPAWN_EXITED;
}

int spawn_wait(pid_t pid, double timeout, int *code)
{
    double deadline = now() + timeout;
    long delay_ns = 1000000;   /* 1 ms, doubling up to 50 ms */
    for (;;) {
        siginfo_t si = {0};
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
            if (errno == EINTR)
                continue;
            *code = 0;
            return SPAWN_EXITED;   /* not our child any more */
        }
        if (si.si_pid == pid)
            return reap(pid, code);
        if (timeout > 0 && now() >= deadline)
            return SPAWN_TIMEOUT;
        struct timespec ts = {0, delay_ns};
        nanosleep(&ts, NULL);
        if (delay_ns < 50000000)
            delay_ns *= 2;
    }
}

void spawn_kill(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    int code;
    reap(pid, &code);
}

int spawn_run(const spawn_opts *o, double timeout, int *code)
{
    pid_t pid;
    int err = spawn_start(o, &pid);
    if (err)
        return -err;
    int r = spawn_wait(pid, timeout, code);
    if (r == SPAWN_TIMEOUT)
        spawn_kill(pid);
    return r;
}
