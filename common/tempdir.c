/*
 * tempdir.c -- racecheck's temp dirs and the signals that must not strand
 * them.
 *
 * Both halves leave files while they work (the runtime its programs and
 * logs, the analyzer its shared preambles), and a user's Ctrl-C must not
 * leave them in $TMPDIR.  The signals are taken with sigwait on a thread
 * of their own rather than in a handler, so cleaning up may use anything
 * (nftw, locks, stdio).
 */
#include "tempdir.h"
#include "util.h"

#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t dirs_lock = PTHREAD_MUTEX_INITIALIZER;
static char **dirs;
static size_t ndirs, capdirs;

static sigset_t fatal_set;
static void (*signal_hook)(void);
static const char *signal_what;

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *tempdir_make(void)
{
    const char *t = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/racecheck.XXXXXX", t && *t ? t : "/tmp");
    /* Absolute: TSan's log_path must survive the program's chdir. */
    if (tmpl[0] != '/') {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) {
            free(tmpl);
            return NULL;
        }
        char *abs = xasprintf("%s/%s", cwd, tmpl);
        free(tmpl);
        tmpl = abs;
    }
    pthread_mutex_lock(&dirs_lock);
    if (!mkdtemp(tmpl)) {
        pthread_mutex_unlock(&dirs_lock);
        free(tmpl);
        return NULL;
    }
    VEC_PUSH(dirs, ndirs, capdirs, tmpl);
    pthread_mutex_unlock(&dirs_lock);
    return tmpl;
}

void tempdir_remove(char *dir)
{
    rm_tree(dir);
    pthread_mutex_lock(&dirs_lock);
    for (size_t i = 0; i < ndirs; i++)
        if (dirs[i] == dir) {
            dirs[i] = dirs[--ndirs];
            break;
        }
    pthread_mutex_unlock(&dirs_lock);
    free(dir);
}

static void *signal_thread(void *arg)
{
    (void)arg;
    int sig;
    while (sigwait(&fatal_set, &sig) != 0)
        ;
    if (signal_hook)
        signal_hook();
    pthread_mutex_lock(&dirs_lock);   /* kept: no new dirs */
    for (size_t i = 0; i < ndirs; i++)
        rm_tree(dirs[i]);
    fprintf(stderr, "%s: interrupted by SIG%s; %s\n", rc_progname, sigabbrev_np(sig),
            signal_what);
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig);
}

void tempdir_install_signals(void (*on_signal)(void), const char *what)
{
    signal_hook = on_signal;
    signal_what = what;
    sigemptyset(&fatal_set);
    sigaddset(&fatal_set, SIGINT);
    sigaddset(&fatal_set, SIGTERM);
    sigaddset(&fatal_set, SIGHUP);
    sigaddset(&fatal_set, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &fatal_set, NULL);
    pthread_t t;
    if (pthread_create(&t, NULL, signal_thread, NULL) == 0)
        pthread_detach(t);
}
