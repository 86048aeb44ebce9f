/*
 * tsan_parse.c -- ThreadSanitizer log text -> structured reports (see
 * tsan_parse.h).  A line-oriented state machine: outside a report it looks
 * for report headers, deadly signals and fatal runtime errors; inside one it
 * sorts each indented header line into a section and collects the frames
 * that follow it.  Markers are searched anywhere in a line, because a
 * program's own output can precede them on the same line.
 */
#include "tsan_parse.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Header text -> the runtime's own slug (tsan_debugging.cpp). */
static const struct { const char *header, *slug; } tsan_kinds[] = {
    {"data race on vptr (ctor/dtor vs virtual call)", "data-race-vptr"},
    {"data race", "data-race"},
    {"heap-use-after-free (virtual call vs free)", "heap-use-after-free-vptr"},
    {"heap-use-after-free", "heap-use-after-free"},
    {"race on external object", "external-race"},
    {"thread leak", "thread-leak"},
    {"destroy of a locked mutex", "locked-mutex-destroy"},
    {"double lock of a mutex", "mutex-double-lock"},
    {"use of an invalid mutex", "mutex-invalid-access"},
    {"unlock of an unlocked mutex", "mutex-bad-unlock"},
    {"read lock of a write locked mutex", "mutex-bad-read-lock"},
    {"read unlock of a write locked mutex", "mutex-bad-read-unlock"},
    {"signal-unsafe call inside of a signal", "signal-unsafe-call"},
    {"signal handler spoils errno", "errno-in-signal-handler"},
    {"lock-order-inversion", "lock-order-inversion"},
    {"mutex held in the wrong context", "mutex-held-in-wrong-context"},
};

char *tsan_check_slug(const char *header)
{
    size_t best = 0;
    const char *slug = NULL;
    for (size_t i = 0; i < sizeof tsan_kinds / sizeof *tsan_kinds; i++) {
        size_t n = strlen(tsan_kinds[i].header);
        char after = header[n < strlen(header) ? n : strlen(header)];
        if (n > best && !strncmp(header, tsan_kinds[i].header, n) &&
            (after == '\0' || after == ' ' || after == '(')) {
            best = n;
            slug = tsan_kinds[i].slug;
        }
    }
    if (slug)
        return xstrdup(slug);
    /* Unknown kind: keep it, named after its words up to a parenthesis. */
    rc_buf b = {0};
    for (const char *p = header; *p && *p != '('; p++) {
        if (isalnum((unsigned char)*p)) {
            char c = (char)tolower((unsigned char)*p);
            buf_add(&b, &c, 1);
        } else if (b.len && b.s[b.len - 1] != '-') {
            buf_add(&b, "-", 1);
        }
    }
    while (b.len && b.s[b.len - 1] == '-')
        b.s[--b.len] = '\0';
    if (!b.len)
        buf_puts(&b, "tsan-report");
    return buf_take(&b);
}

/* --- frames -------------------------------------------------------------- */

void tsan_frame_free(tsan_frame *f)
{
    free(f->function);
    free(f->file);
    free(f->module);
}

static int is_digits(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int starts_with(const char *s, const char *prefix)
{
    return s && !strncmp(s, prefix, strlen(prefix));
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static int is_runtime_module(const char *module)
{
    if (!module)
        return 0;
    const char *base = strrchr(module, '/');
    base = base ? base + 1 : module;
    static const char *const libs[] = {"libtsan", "libc.so", "libc-", "ld-linux",
                                       "ld64.so", "libpthread", "libgcc_s",
                                       "libstdc++", "libclang_rt", "libdl", "libm.so"};
    for (size_t i = 0; i < sizeof libs / sizeof *libs; i++)
        if (starts_with(base, libs[i]))
            return 1;
    return 0;
}

static int is_runtime_function(const char *fn)
{
    static const char *const pre[] = {"__interceptor_", "__tsan", "__sanitizer",
                                      "__libc_start", "_start", "__asan", "__ubsan",
                                      "__cxa_", "start_thread", "clone"};
    if (!fn)
        return 0;
    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
        if (starts_with(fn, pre[i]))
            return 1;
    return 0;
}

static int is_runtime_file(const char *file)
{
    return strstr(file, "libsanitizer/") || strstr(file, "compiler-rt/") ||
           strstr(file, "sanitizer_common") || strstr(file, "/tsan/") ||
           ends_with(file, ".o") || starts_with(file, "../sysdeps/") ||
           starts_with(file, "csu/") || starts_with(file, "../csu/") ||
           strstr(file, "/sysdeps/") || starts_with(file, "nptl/") ||
           starts_with(file, "./nptl/") || starts_with(file, "/usr/include/") ||
           starts_with(file, "/usr/lib/");
}

void tsan_frame_classify(tsan_frame *f)
{
    f->user = f->file && !is_runtime_file(f->file) && !is_runtime_module(f->module) &&
              !is_runtime_function(f->function);
}

int tsan_parse_frame(const char *line, tsan_frame *out)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '#' || !isdigit((unsigned char)p[1])) {
        /* Program output may precede the frame on the same line. */
        const char *q = strstr(line, "    #");
        if (!q || q == line)
            return 0;
        return tsan_parse_frame(q, out);
    }
    memset(out, 0, sizeof *out);
    p++;
    while (isdigit((unsigned char)*p))
        out->index = out->index * 10 + (unsigned)(*p++ - '0');
    if (*p != ' ')
        return 0;
    while (*p == ' ')
        p++;
    char *s = xstrdup(p);
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    /* From the right: " (BuildId: HEX)", then " (MODULE+0xOFF)". */
    char *bid = strstr(s, " (BuildId: ");
    if (bid && ends_with(bid, ")")) {
        *bid = '\0';
        n = strlen(s);
    }
    if (n && s[n - 1] == ')') {
        char *open = strrchr(s, '(');
        if (open && (open == s || open[-1] == ' ')) {
            out->module = xstrndup(open + 1, (size_t)(s + n - 1 - (open + 1)));
            *open = '\0';
            n = strlen(s);
            while (n && s[n - 1] == ' ')
                s[--n] = '\0';
        }
    }
    /* Now "FUNC LOC" (FUNC may contain spaces) or a lone token. */
    char *sp = strrchr(s, ' ');
    char *loc = sp ? sp + 1 : NULL;
    if (sp)
        *sp = '\0';
    if (strcmp(s, "<null>") && *s)
        out->function = xstrdup(s);
    if (loc && strcmp(loc, "<null>")) {
        unsigned nums[2];
        int k = 0;
        char *colon;
        while (k < 2 && (colon = strrchr(loc, ':')) != NULL &&
               is_digits(colon + 1, strlen(colon + 1))) {
            nums[k++] = (unsigned)strtoul(colon + 1, NULL, 10);
            *colon = '\0';
        }
        if (k == 2) {
            out->line = nums[1];
            out->column = nums[0];
        } else if (k == 1) {
            out->line = nums[0];
        }
        if (*loc)
            out->file = xstrdup(loc);
    }
    free(s);
    tsan_frame_classify(out);
    return 1;
}

const tsan_frame *tsan_user_frame(const tsan_section *s)
{
    for (size_t i = 0; i < s->nframes; i++)
        if (s->frames[i].user)
            return &s->frames[i];
    /* No debug info: the first named frame outside the runtime. */
    for (size_t i = 0; i < s->nframes; i++) {
        const tsan_frame *f = &s->frames[i];
        if (f->function && !f->file && !is_runtime_function(f->function) &&
            !is_runtime_module(f->module) && f->module && !starts_with(f->module, "0x"))
            return f;
    }
    return NULL;
}

/* --- the log ------------------------------------------------------------- */

void tsan_log_init(tsan_log *log)
{
    memset(log, 0, sizeof *log);
    log->reported = -1;
}

static void section_free(tsan_section *s)
{
    free(s->text);
    free(s->thread);
    free(s->mutexes);
    free(s->loc_kind);
    free(s->name);
    free(s->id);
    free(s->held);
    free(s->status);
    free(s->creator);
    for (size_t i = 0; i < s->nframes; i++)
        tsan_frame_free(&s->frames[i]);
    free(s->frames);
}

static void report_free(tsan_report *r)
{
    free(r->header);
    free(r->check);
    free(r->cycle);
    free(r->summary);
    free(r->crash_cause);
    for (size_t i = 0; i < r->nsecs; i++)
        section_free(&r->secs[i]);
    free(r->secs);
}

void tsan_log_free(tsan_log *log)
{
    for (size_t i = 0; i < log->n; i++)
        report_free(&log->reports[i]);
    free(log->reports);
    for (size_t i = 0; i < log->nfatal; i++)
        free(log->fatal[i]);
    free(log->fatal);
    tsan_log_init(log);
}

typedef struct pstate {
    tsan_log *log;
    tsan_report *cur;        /* the open report, or NULL */
    tsan_section *sec;       /* the section frames go to, or NULL */
    int closed;              /* cur saw its closing line */
    int deadly;              /* saw "ThreadSanitizer:DEADLYSIGNAL" */
} pstate;

static tsan_section *new_section(pstate *st, tsan_sec_kind kind, const char *text)
{
    tsan_report *r = st->cur;
    tsan_section s = {0};
    s.kind = kind;
    s.text = xstrdup(text);
    VEC_PUSH(r->secs, r->nsecs, r->capsecs, s);
    st->sec = &r->secs[r->nsecs - 1];
    return st->sec;
}

static void end_report(pstate *st)
{
    if (st->cur && !st->closed)
        st->cur->truncated = 1;
    st->cur = NULL;
    st->sec = NULL;
    st->closed = 0;
}

static void start_report(pstate *st, const char *header, int crash)
{
    end_report(st);
    tsan_report r = {0};
    char *h = xstrdup(header);
    /* " (pid=N)" for warnings, " (pc 0x... bp ... sp ... T123)" for signals. */
    char *tail = crash ? strstr(h, " (pc ") : strstr(h, " (pid=");
    if (tail) {
        if (!crash)
            r.pid = strtol(tail + 6, NULL, 10);
        *tail = '\0';
    }
    size_t n = strlen(h);
    while (n && isspace((unsigned char)h[n - 1]))
        h[--n] = '\0';
    r.header = h;
    r.crash = crash;
    r.check = crash ? xstrdup("crash") : tsan_check_slug(h);
    VEC_PUSH(st->log->reports, st->log->n, st->log->cap, r);
    st->cur = &st->log->reports[st->log->n - 1];
    st->sec = NULL;
    st->closed = 0;
}

static void add_fatal(pstate *st, const char *msg)
{
    end_report(st);
    char *m = xstrdup(msg);
    size_t n = strlen(m);
    while (n && isspace((unsigned char)m[n - 1]))
        m[--n] = '\0';
    if (strstr(m, "unexpected memory mapping"))
        st->log->memory_mapping = 1;
    VEC_PUSH(st->log->fatal, st->log->nfatal, st->log->capfatal, m);
}

/* Copy of s up to the first occurrence of stop (or the end). */
static char *upto(const char *s, const char *stop)
{
    const char *e = stop ? strstr(s, stop) : NULL;
    return e ? xstrndup(s, (size_t)(e - s)) : xstrdup(s);
}

/* "... by thread T1 ..." / "... by main thread ..." -> "T1" / "main thread". */
static char *thread_after(const char *s, const char *key)
{
    const char *p = strstr(s, key);
    if (!p)
        return NULL;
    p += strlen(key);
    if (starts_with(p, "main thread"))
        return xstrdup("main thread");
    if (starts_with(p, "thread "))
        p += 7;
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != ':' && p[n] != '.' && p[n] != ',')
        n++;
    return n ? xstrndup(p, n) : NULL;
}

/* "[Previous ][atomic ]write|read of size N at 0x.. by ...:" */
static int parse_access(pstate *st, const char *t)
{
    const char *p = t;
    int previous = 0, atomic = 0, write;
    if (!strncasecmp(p, "previous ", 9)) {
        previous = 1;
        p += 9;
    }
    if (!strncasecmp(p, "atomic ", 7)) {
        atomic = 1;
        p += 7;
    }
    if (!strncasecmp(p, "write of size ", 14))
        write = 1;
    else if (!strncasecmp(p, "read of size ", 13))
        write = 0;
    else
        return 0;
    tsan_section *s = new_section(st, TSAN_SEC_ACCESS, t);
    s->previous = previous;
    s->atomic = atomic;
    s->write = write;
    s->size = (unsigned)strtoul(p + (write ? 14 : 13), NULL, 10);
    s->thread = thread_after(p, " by ");
    const char *m = strstr(p, "(mutexes: ");
    if (m)
        s->mutexes = upto(m + 10, ")");
    return 1;
}

static void parse_location(pstate *st, const char *t)
{
    const char *p = t + strlen("Location is ");
    static const struct { const char *prefix, *kind; } kinds[] = {
        {"global ", "global"}, {"heap ", "heap"}, {"stack ", "stack"},
        {"TLS ", "tls"}, {"file descriptor ", "fd"}};
    const char *kind = "other";
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (starts_with(p, kinds[i].prefix))
            kind = kinds[i].kind;
    char *name = NULL;
    if (!strcmp(kind, "global")) {
        const char *q = strchr(p, '\'');
        const char *e = q ? strchr(q + 1, '\'') : NULL;
        if (e)
            name = xstrndup(q + 1, (size_t)(e - q - 1));
        /* A bogus global after a stack or TLS location: drop it. */
        tsan_report *r = st->cur;
        if (name && (!strcmp(name, "??") || !strcmp(name, "<null>")) && r->nsecs &&
            r->secs[r->nsecs - 1].kind == TSAN_SEC_LOCATION) {
            free(name);
            st->sec = NULL;
            return;
        }
    }
    tsan_section *s = new_section(st, TSAN_SEC_LOCATION, t);
    s->loc_kind = xstrdup(kind);
    s->name = name;
    const char *sz = strstr(p, "of size ");
    if (sz)
        s->size = (unsigned)strtoul(sz + 8, NULL, 10);
    if (!strcmp(kind, "stack") || !strcmp(kind, "tls"))
        s->thread = thread_after(p, " of ");
    else
        s->thread = thread_after(p, " by ");
}

static void parse_mutex_line(pstate *st, const char *t)
{
    const char *p = t + 6;
    char *id = upto(p, " ");
    if (strstr(t, " acquired here while holding mutex ")) {
        tsan_section *s = new_section(st, TSAN_SEC_EDGE, t);
        s->id = id;
        s->held = upto(strstr(t, "holding mutex ") + 14, " ");
        s->thread = thread_after(t, " in ");
    } else if (strstr(t, " previously acquired by the same thread here")) {
        tsan_section *s = new_section(st, TSAN_SEC_EDGE_PREV, t);
        s->id = id;
    } else if (strstr(t, " is already destroyed")) {
        /* v2: attaches to the mutex block of the same id. */
        for (size_t i = st->cur->nsecs; i-- > 0;) {
            tsan_section *m = &st->cur->secs[i];
            if (m->kind == TSAN_SEC_MUTEX && m->id && !strcmp(m->id, id)) {
                m->destroyed = 1;
                break;
            }
        }
        free(id);
        st->sec = NULL;
    } else {
        tsan_section *s = new_section(st, TSAN_SEC_MUTEX, t);
        s->id = id;
    }
}

static void parse_thread_line(pstate *st, const char *t)
{
    tsan_section *s = new_section(st, TSAN_SEC_THREAD, t);
    const char *p = t + 7;
    s->id = upto(p, " ");
    const char *q = strchr(p, ' ');
    if (q && q[1] == '\'') {
        const char *e = strchr(q + 2, '\'');
        if (e)
            s->name = xstrndup(q + 2, (size_t)(e - q - 2));
    }
    if (strstr(t, ", running)"))
        s->status = xstrdup("running");
    else if (strstr(t, ", finished)"))
        s->status = xstrdup("finished");
    const char *c = strstr(t, " created by ");
    if (c)
        s->creator = upto(c + 12, " at:");
}

/* One line inside a warning report. */
static void in_report_line(pstate *st, const char *line)
{
    tsan_report *r = st->cur;
    const char *t = line;
    while (*t == ' ' || *t == '\t')
        t++;
    tsan_frame f;
    if (!*t) {
        st->sec = NULL;
        return;
    }
    if (tsan_parse_frame(line, &f)) {
        if (!st->sec)
            new_section(st, TSAN_SEC_STACK, NULL);
        VEC_PUSH(st->sec->frames, st->sec->nframes, st->sec->capframes, f);
        return;
    }
    if (strstr(t, "[failed to restore the stack]")) {
        if (!st->sec)
            new_section(st, TSAN_SEC_STACK, NULL);
        st->sec->failed = 1;
        return;
    }
    const char *sum = strstr(t, "SUMMARY: ThreadSanitizer: ");
    if (sum) {
        free(r->summary);
        r->summary = xstrdup(sum + 26);
        st->sec = NULL;
        return;
    }
    if (!strcmp(t, "and:")) {
        new_section(st, TSAN_SEC_STACK, NULL);
        return;
    }
    if (starts_with(t, "Cycle in lock order graph: ")) {
        free(r->cycle);
        r->cycle = xstrdup(t + 27);
        st->sec = NULL;
        return;
    }
    if (starts_with(t, "And ") && strstr(t, " more similar")) {
        r->more_similar = (unsigned)strtoul(t + 4, NULL, 10);
        return;
    }
    if (parse_access(st, t))
        return;
    if (starts_with(t, "Location is ")) {
        parse_location(st, t);
        return;
    }
    if (starts_with(t, "Mutex M")) {
        parse_mutex_line(st, t);
        return;
    }
    if (starts_with(t, "Thread T") && strstr(t, "created")) {
        parse_thread_line(st, t);
        return;
    }
    if (starts_with(t, "As if synchronized via sleep")) {
        new_section(st, TSAN_SEC_SLEEP, t);
        return;
    }
    if (line[0] == ' ' && ends_with(t, ":") && !starts_with(t, "Hint") &&
        !starts_with(t, "HINT")) {
        new_section(st, TSAN_SEC_OTHER, t);
        return;
    }
    /* Anything else (hints, symbolizer noise, program output): skip. */
}

/* One line inside a deadly-signal report. */
static void in_crash_line(pstate *st, const char *line)
{
    tsan_report *r = st->cur;
    tsan_frame f;
    if (tsan_parse_frame(line, &f)) {
        if (!st->sec)
            new_section(st, TSAN_SEC_STACK, NULL);
        VEC_PUSH(st->sec->frames, st->sec->nframes, st->sec->capframes, f);
        return;
    }
    const char *p;
    if ((p = strstr(line, "The signal is caused by ")) != NULL) {
        free(r->crash_cause);
        r->crash_cause = xstrdup(p);
    } else if ((p = strstr(line, "SUMMARY: ThreadSanitizer: ")) != NULL) {
        free(r->summary);
        r->summary = xstrdup(p + 26);
        st->closed = 1;
    } else if (strstr(line, "==ABORTING")) {
        st->closed = 1;
        end_report(st);
    } else if (!*line) {
        st->sec = NULL;
    }
}

static int is_signal_error(const char *what)
{
    static const char *const sigs[] = {"SEGV", "BUS", "FPE", "ILL", "ABRT", "TRAP",
                                       "SIG", "stack-overflow", "deadly signal"};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (starts_with(what, sigs[i]))
            return 1;
    return 0;
}

static void parse_line(pstate *st, const char *line)
{
    const char *p;
    if ((p = strstr(line, "WARNING: ThreadSanitizer: ")) != NULL) {
        start_report(st, p + 26, 0);
        return;
    }
    if (strstr(line, "ThreadSanitizer:DEADLYSIGNAL")) {
        end_report(st);
        st->deadly = 1;
        return;
    }
    if ((p = strstr(line, "ERROR: ThreadSanitizer: ")) != NULL) {
        p += 24;
        if (st->deadly || is_signal_error(p))
            start_report(st, p, 1);
        else
            add_fatal(st, p);
        st->deadly = 0;
        return;
    }
    if ((p = strstr(line, "FATAL: ThreadSanitizer")) != NULL ||
        (p = strstr(line, "ThreadSanitizer: CHECK failed")) != NULL ||
        (p = strstr(line, "ThreadSanitizer: failed to read suppressions")) != NULL) {
        add_fatal(st, p);
        return;
    }
    if ((p = strstr(line, "ThreadSanitizer: reported ")) != NULL) {
        end_report(st);
        st->log->reported = (int)strtol(p + 26, NULL, 10);
        return;
    }
    if (!st->cur)
        return;
    if (st->cur->crash) {
        in_crash_line(st, line);
        return;
    }
    if (strstr(line, "==================")) {
        st->closed = 1;
        end_report(st);
        return;
    }
    in_report_line(st, line);
}

void tsan_parse(tsan_log *log, const char *text, size_t len)
{
    pstate st = {log, NULL, NULL, 0, 0};
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        size_t n = j - i;
        if (n && text[i + n - 1] == '\r')
            n--;
        char *line = xstrndup(text + i, n);   /* an embedded NUL ends it */
        parse_line(&st, line);
        free(line);
        i = j + 1;
    }
    end_report(&st);
}
