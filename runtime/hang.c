/*
 * hang.c -- backtraces of a hung process (gdb -p PID -batch) and the
 * deadlock-or-timeout verdict (see hang.h).
 */
#include "hang.h"
#include "spawn.h"
#include "tsan_parse.h"
#include "tsan_report.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

typedef struct hthread {
    unsigned num;              /* gdb's thread number; 1 is the main thread */
    tsan_frame *frames;
    size_t n, cap;
} hthread;

/* "#5  0x000055cc0cf0e102 in main () at /path/a.c:9" / "... from /lib/x.so" */
static int gdb_frame(const char *line, tsan_frame *f)
{
    const char *p = line;
    if (*p != '#')
        return 0;
    memset(f, 0, sizeof *f);
    f->index = (unsigned)strtoul(p + 1, (char **)&p, 10);
    while (*p == ' ')
        p++;
    if (!strncmp(p, "0x", 2)) {
        const char *in = strstr(p, " in ");
        if (!in)
            return 1;
        p = in + 4;
    }
    const char *paren = strstr(p, " (");
    f->function = paren ? xstrndup(p, (size_t)(paren - p)) : xstrdup(p);
    const char *at = NULL, *q = p;
    while ((q = strstr(q, " at ")) != NULL)
        at = q++;
    const char *from = strstr(p, ") from ");
    if (at) {
        const char *colon = strrchr(at, ':');
        if (colon && colon > at + 4) {
            f->file = xstrndup(at + 4, (size_t)(colon - at - 4));
            f->line = (unsigned)strtoul(colon + 1, NULL, 10);
        }
    } else if (from) {
        f->module = xstrdup(from + 7);
    }
    tsan_frame_classify(f);
    return 1;
}

static size_t parse_gdb(const char *text, hthread **out)
{
    hthread *ts = NULL;
    size_t n = 0, cap = 0;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        char *line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
        tsan_frame f;
        if (!strncmp(line, "Thread ", 7) && strstr(line, "(Thread ")) {
            hthread t = {(unsigned)strtoul(line + 7, NULL, 10), NULL, 0, 0};
            VEC_PUSH(ts, n, cap, t);
        } else if (n && gdb_frame(line, &f)) {
            VEC_PUSH(ts[n - 1].frames, ts[n - 1].n, ts[n - 1].cap, f);
        }
        free(line);
        p = nl ? nl + 1 : NULL;
    }
    *out = ts;
    return n;
}

static const tsan_frame *user_frame(const hthread *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->frames[i].user)
            return &t->frames[i];
    return NULL;
}

/* The lock function a thread is blocked in, or NULL. */
static const char *blocked_on_lock(const hthread *t)
{
    static const char *const locks[] = {"pthread_mutex_lock", "pthread_mutex_timedlock",
                                        "pthread_rwlock_rdlock", "pthread_rwlock_wrlock",
                                        "pthread_spin_lock", "mtx_lock"};
    const tsan_frame *u = user_frame(t);
    for (size_t i = 0; i < t->n && &t->frames[i] != u; i++)
        for (size_t k = 0; k < sizeof locks / sizeof *locks; k++)
            if (t->frames[i].function && strstr(t->frames[i].function, locks[k]))
                return locks[k];
    return NULL;
}

static int thread_cmp(const hthread *a, const hthread *b)
{
    const tsan_frame *x = user_frame(a), *y = user_frame(b);
    int c = strcmp(x->file, y->file);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static void free_threads(hthread *ts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < ts[i].n; k++)
            tsan_frame_free(&ts[i].frames[k]);
        free(ts[i].frames);
    }
    free(ts);
}

void hang_report(pid_t pid, double timeout, const char *dir, const char *origin,
                 rc_findings *fs)
{
    char *log = xasprintf("%s/gdb.log", dir);
    char *pidstr = xasprintf("%d", (int)pid);
    char *argv[] = {"gdb", "-nx", "-batch", "-p", pidstr, "-ex", "set pagination off",
                    "-ex", "set width 0", "-ex", "thread apply all bt", NULL};
    spawn_opts o = {argv, NULL, "/dev/null", log};
    int code = 0;
    int r = spawn_run(&o, 60, &code);
    char *text = r >= 0 ? read_file(log, NULL) : NULL;
    hthread *ts = NULL;
    size_t n = text ? parse_gdb(text, &ts) : 0;

    /* A thread blocked on a lock (the smallest location, for determinism);
     * else the main thread, else any thread with a user frame. */
    const hthread *dead = NULL, *where = NULL;
    const char *lockfn = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!user_frame(&ts[i]))
            continue;
        const char *l = blocked_on_lock(&ts[i]);
        if (l && (!dead || thread_cmp(&ts[i], dead) < 0)) {
            dead = &ts[i];
            lockfn = l;
        }
        if (!where || ts[i].num == 1)
            where = &ts[i];
    }
    const hthread *t = dead ? dead : where;
    const tsan_frame *u = t ? user_frame(t) : NULL;
    char *file = u ? tsan_display_path(u->file) : xstrdup(origin);
    rc_finding *f;
    if (dead)
        f = findings_add(fs, "deadlock", "dynamic", file, u->line, 0, u->function,
                         "deadlock: thread %u blocked forever in %s (program killed after %g s)",
                         t->num, lockfn, timeout);
    else if (r < 0)
        f = findings_add(fs, "timeout", "dynamic", file, 0, 0, NULL,
                         "program did not finish within %g s (no backtraces: cannot run gdb: %s)",
                         timeout, strerror(-r));
    else
        f = findings_add(fs, "timeout", "dynamic", file, u ? u->line : 0, 0,
                         u ? u->function : NULL,
                         "program did not finish within %g s%s", timeout,
                         u ? "; a thread was running here" : " (gdb found no user frame)");
    /* Where every other thread was. */
    for (size_t i = 0; i < n; i++) {
        const tsan_frame *v = user_frame(&ts[i]);
        if (&ts[i] == t || !v)
            continue;
        char *vf = tsan_display_path(v->file);
        const char *l = blocked_on_lock(&ts[i]);
        finding_note(f, vf, v->line, 0, "thread %u %s %s", ts[i].num,
                     l ? "blocked in" : "was in", l ? l : v->function ? v->function : "?");
        free(vf);
    }
    /* The backtraces themselves go into detail, for the curious. */
    f->detail = cJSON_CreateObject();
    cJSON_AddStringToObject(f->detail, "tool", "gdb");
    cJSON_AddNumberToObject(f->detail, "timeout", timeout);
    if (text)
        cJSON_AddStringToObject(f->detail, "backtraces", text);
    free(file);
    free_threads(ts, n);
    free(text);
    free(pidstr);
    free(log);
}
