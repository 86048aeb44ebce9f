/*
 * spawn.c -- posix_spawnp in a fresh process group, polling waits with a
 * timeout, and group kills (see spawn.h).  The child is observed with
 * waitid(WNOWAIT) so that its pid -- and so its process group id -- stays
 * reserved until the rest of the group has been killed.
 */
#include "spawn.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* --- registry of started, unreaped programs -------------------------------- */

/* Recursive: the fatal-signal path keeps it while it reaps orphans. */
static pthread_mutex_t reg_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pid_t *reg;
static size_t nreg, capreg;

/* Append pid to a growable list.  Unlike VEC_PUSH this never aborts: it
 * runs while cleaning up, where losing one entry beats dying half-way. */
static int pid_push(pid_t **v, size_t *n, size_t *cap, pid_t pid)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        pid_t *p = realloc(*v, c * sizeof *p);
        if (!p)
            return -1;
        *v = p;
        *cap = c;
    }
    (*v)[(*n)++] = pid;
    return 0;
}

static void reg_add(pid_t pid)   /* with reg_lock held */
{
    pid_push(&reg, &nreg, &capreg, pid);
}

static void reg_remove(pid_t pid)
{
    pthread_mutex_lock(&reg_lock);
    for (size_t i = 0; i < nreg; i++)
        if (reg[i] == pid) {
            reg[i] = reg[--nreg];
            break;
        }
    pthread_mutex_unlock(&reg_lock);
}

static int reg_has(pid_t pid)   /* with reg_lock held */
{
    for (size_t i = 0; i < nreg; i++)
        if (reg[i] == pid)
            return 1;
    return 0;
}

void spawn_kill_all_and_freeze(void)
{
    pthread_mutex_lock(&reg_lock);
    for (size_t i = 0; i < nreg; i++) {
        kill(-reg[i], SIGKILL);
        kill(reg[i], SIGKILL);
    }
    /* reg_lock stays held: nothing more is started.  Reap the killed (we
     * are about to die, and our init may not reap zombies), for at most 2 s. */
    for (int i = 0; i < 200; i++) {
        pid_t r;
        while ((r = waitpid(-1, NULL, WNOHANG)) > 0)
            ;
        if (r < 0 && errno == ECHILD)
            break;
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
}

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
    /* Started and registered atomically with respect to a fatal signal. */
    pthread_mutex_lock(&reg_lock);
    int err = posix_spawnp(pid, o->argv[0], &fa, &attr, o->argv,
                           o->envp ? o->envp : environ);
    if (!err)
        reg_add(*pid);
    pthread_mutex_unlock(&reg_lock);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return err;
}

static int reap(pid_t pid, int *code)
{
    kill(-pid, SIGKILL);   /* leftovers of the group (daemons, grandchildren) */
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    reg_remove(pid);
    if (WIFSIGNALED(st)) {
        *code = WTERMSIG(st);
        return SPAWN_SIGNALED;
    }
    *code = WEXITSTATUS(st);
    return SPAWN_EXITED;
}

int spawn_wait(pid_t pid, double timeout, int *code)
{
    double deadline = rc_now() + timeout;
    long delay_ns = 1000000;   /* 1 ms, doubling up to 50 ms */
    for (;;) {
        siginfo_t si = {0};
        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
            if (errno == EINTR)
                continue;
            /* Not our child any more: reaped by the fatal-signal path, which
             * holds the registry lock, so this waits for the process to die
             * rather than report a clean exit. */
            reg_remove(pid);
            *code = 0;
            return SPAWN_EXITED;
        }
        if (si.si_pid == pid)
            return reap(pid, code);
        if (timeout > 0 && rc_now() >= deadline)
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

/* --- leftovers outside the process group ------------------------------------- */

void spawn_become_reaper(void)
{
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

/* Does /proc/PID/environ have an entry starting with tag? */
static int environ_has(const char *pid, const char *tag)
{
    char path[300];
    snprintf(path, sizeof path, "/proc/%s/environ", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    static __thread char buf[1 << 16];
    size_t taglen = strlen(tag), have = 0;
    int found = 0, at_start = 1;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - have - 1);
        if (n <= 0)
            break;
        have += (size_t)n;
        /* Check every complete entry; keep an incomplete tail. */
        size_t i = 0, start = 0;
        for (; i < have; i++) {
            if (buf[i] != '\0')
                continue;
            if (at_start && i - start >= taglen && !memcmp(buf + start, tag, taglen))
                found = 1;
            at_start = 1;
            start = i + 1;
        }
        if (found)
            break;
        if (start == 0 && have >= sizeof buf - 1) {   /* an entry longer than buf */
            have = 0;
            at_start = 0;
            continue;
        }
        memmove(buf, buf + start, have - start);
        have -= start;
    }
    if (!found && at_start && have >= taglen && !memcmp(buf, tag, taglen))
        found = 1;
    close(fd);
    return found;
}

/* Parent pid and state of a process, from /proc/PID/stat. */
static int proc_stat(const char *pid, pid_t *ppid, char *state)
{
    char path[300], buf[512];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');   /* the command name may hold anything */
    int pp;
    if (!p || sscanf(p + 1, " %c %d", state, &pp) != 2)
        return -1;
    *ppid = pp;
    return 0;
}

/* Reap zombies that are our children but no program's main process (those
 * are reaped by spawn_wait): orphans re-parented to us, the subreaper. */
static void reap_orphans(void)
{
    DIR *d = opendir("/proc");
    if (!d)
        return;
    pid_t self = getpid();
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        pid_t ppid;
        char state;
        if (proc_stat(de->d_name, &ppid, &state) < 0 || ppid != self || state != 'Z')
            continue;
        pid_t pid = (pid_t)atol(de->d_name);
        pthread_mutex_lock(&reg_lock);
        int mine = reg_has(pid);
        pthread_mutex_unlock(&reg_lock);
        if (!mine)
            waitpid(pid, NULL, WNOHANG);
    }
    closedir(d);
}

void spawn_kill_tagged(const char *tag)
{
    pid_t self = getpid();
    pid_t *killed = NULL;
    size_t nkilled = 0, capkilled = 0;
    for (int pass = 0; pass < 50; pass++) {
        DIR *d = opendir("/proc");
        if (!d)
            break;
        int found = 0;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (!isdigit((unsigned char)de->d_name[0]) || de->d_type != DT_DIR)
                continue;
            pid_t pid = (pid_t)atol(de->d_name);
            if (pid == self || !environ_has(de->d_name, tag))
                continue;
            kill(pid, SIGKILL);
            found++;
            pid_push(&killed, &nkilled, &capkilled, pid);
        }
        closedir(d);
        if (!found)
            break;
        /* Let the killed ones die before looking again. */
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    /* Reap the killed that end up our children (re-parented to us, the
     * subreaper, once their parent died too); for at most 1 s. */
    for (int round = 0; nkilled && round < 200; round++) {
        size_t keep = 0;
        for (size_t i = 0; i < nkilled; i++) {
            char name[24];
            snprintf(name, sizeof name, "%ld", (long)killed[i]);
            pid_t ppid;
            char state;
            if (proc_stat(name, &ppid, &state) < 0)
                continue;                                   /* gone */
            if (ppid == self) {
                if (waitpid(killed[i], NULL, WNOHANG) == killed[i])
                    continue;
            } else if (state == 'Z' && ppid == 1) {
                continue;                                   /* init's now */
            }
            killed[keep++] = killed[i];
        }
        nkilled = keep;
        if (nkilled) {
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
        }
    }
    free(killed);
    reap_orphans();
}
