/*
 * tsan_report.c -- one structured TSan report -> one finding: where it is
 * (the first user frame of the right stack), what it says, a fingerprint
 * that survives re-runs, and the `detail` JSON carrying the whole report.
 */
#include "tsan_report.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *tsan_display_path(const char *file)
{
    if (!file)
        return NULL;
    char cwd[PATH_MAX];
    if (file[0] == '/' && getcwd(cwd, sizeof cwd)) {
        size_t n = strlen(cwd);
        if (n > 1 && !strncmp(file, cwd, n) && file[n] == '/' && file[n + 1])
            return xstrdup(file + n + 1);
    }
    return xstrdup(file);
}

/* --- detail JSON ------------------------------------------------------------ */

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static cJSON *stack_json(const tsan_section *s)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < s->nframes; i++) {
        const tsan_frame *f = &s->frames[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "function", f->function);
        add_str(o, "file", f->file);
        cJSON_AddNumberToObject(o, "line", f->line);
        cJSON_AddNumberToObject(o, "column", f->column);
        add_str(o, "module", f->module);
        cJSON_AddBoolToObject(o, "user", f->user);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *section_json(const tsan_section *s)
{
    cJSON *o = cJSON_CreateObject();
    switch (s->kind) {
    case TSAN_SEC_ACCESS:
        cJSON_AddStringToObject(o, "type", s->write ? "write" : "read");
        cJSON_AddNumberToObject(o, "size", s->size);
        cJSON_AddBoolToObject(o, "atomic", s->atomic);
        cJSON_AddBoolToObject(o, "previous", s->previous);
        add_str(o, "thread", s->thread);
        add_str(o, "mutexes", s->mutexes);
        break;
    case TSAN_SEC_LOCATION:
        add_str(o, "kind", s->loc_kind);
        add_str(o, "name", s->name);
        cJSON_AddNumberToObject(o, "size", s->size);
        add_str(o, "thread", s->thread);
        break;
    case TSAN_SEC_MUTEX:
        add_str(o, "id", s->id);
        cJSON_AddBoolToObject(o, "destroyed", s->destroyed);
        break;
    case TSAN_SEC_THREAD:
        add_str(o, "id", s->id);
        add_str(o, "name", s->name);
        add_str(o, "status", s->status);
        add_str(o, "created_by", s->creator);
        break;
    case TSAN_SEC_EDGE:
        add_str(o, "mutex", s->id);
        add_str(o, "held", s->held);
        add_str(o, "thread", s->thread);
        break;
    case TSAN_SEC_EDGE_PREV:
        add_str(o, "mutex", s->id);
        break;
    default:
        break;
    }
    add_str(o, "text", s->text);
    cJSON_AddBoolToObject(o, "stack_lost", s->failed);
    cJSON_AddItemToObject(o, "stack", stack_json(s));
    return o;
}

static cJSON *report_json(const tsan_report *r)
{
    static const char *const keys[] = {
        [TSAN_SEC_STACK] = "stacks", [TSAN_SEC_ACCESS] = "accesses",
        [TSAN_SEC_SLEEP] = "sleeps", [TSAN_SEC_LOCATION] = "locations",
        [TSAN_SEC_MUTEX] = "mutexes", [TSAN_SEC_THREAD] = "threads",
        [TSAN_SEC_EDGE] = "edges", [TSAN_SEC_EDGE_PREV] = "edges",
        [TSAN_SEC_OTHER] = "other"};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "tool", "ThreadSanitizer");
    add_str(o, "kind", r->header);
    cJSON_AddNumberToObject(o, "pid", (double)r->pid);
    cJSON_AddBoolToObject(o, "truncated", r->truncated);
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        if (k != TSAN_SEC_EDGE_PREV)
            cJSON_AddArrayToObject(o, keys[k]);
    cJSON *last_edge = NULL;
    for (size_t i = 0; i < r->nsecs; i++) {
        const tsan_section *s = &r->secs[i];
        if (s->kind == TSAN_SEC_EDGE_PREV && last_edge) {
            /* second_deadlock_stack: where the held mutex was taken. */
            cJSON_AddItemToObject(last_edge, "held_acquired_at", stack_json(s));
            continue;
        }
        cJSON *j = section_json(s);
        if (s->kind == TSAN_SEC_STACK)
            cJSON_AddItemToArray(cJSON_GetObjectItem(o, "stacks"), j);
        else
            cJSON_AddItemToArray(cJSON_GetObjectItem(o, keys[s->kind]), j);
        if (s->kind == TSAN_SEC_EDGE)
            last_edge = j;
    }
    add_str(o, "cycle", r->cycle);
    if (r->more_similar)
        cJSON_AddNumberToObject(o, "more_similar", r->more_similar);
    add_str(o, "crash_cause", r->crash_cause);
    add_str(o, "summary", r->summary);
    return o;
}

/* --- choosing what the finding says ---------------------------------------- */

static const tsan_section *first_of(const tsan_report *r, tsan_sec_kind kind)
{
    for (size_t i = 0; i < r->nsecs; i++)
        if (r->secs[i].kind == kind)
            return &r->secs[i];
    return NULL;
}

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int frame_cmp(const tsan_frame *a, const tsan_frame *b)
{
    if (!a || !b)
        return a ? -1 : b ? 1 : 0;       /* a located frame sorts first */
    /* A frame whose line the debug info lost (clang -O1 may drop it for
     * inlined code) is a worse place to point at than one with a line. */
    if (!a->line != !b->line)
        return a->line ? -1 : 1;
    int c = strcmp0(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    return 0;
}

static int in_free(const tsan_section *s)
{
    const char *fn = s->nframes ? s->frames[0].function : NULL;
    return fn && (strstr(fn, "free") || strstr(fn, "realloc") || strstr(fn, "delete"));
}

/* Is access a a better primary location than b?  Deterministic whatever
 * order TSan printed them in: not the free of a use-after-free, then the
 * smaller (file, line, column), then a write.  Location comes before
 * read/write because TSan may report either half of a read-modify-write
 * (x++, x += n): the two lines of a race are stable from run to run, which
 * of them is labelled "write" is not. */
static int access_better(const tsan_section *a, const tsan_section *b)
{
    if (in_free(a) != in_free(b))
        return !in_free(a);
    int c = frame_cmp(tsan_user_frame(a), tsan_user_frame(b));
    if (c)
        return c < 0;
    if (a->write != b->write)
        return a->write;
    return !a->previous && b->previous;
}

static void pick_accesses(const tsan_report *r, const tsan_section **best,
                          const tsan_section **other)
{
    *best = *other = NULL;
    for (size_t i = 0; i < r->nsecs; i++)
        if (r->secs[i].kind == TSAN_SEC_ACCESS && (!*best || access_better(&r->secs[i], *best)))
            *best = &r->secs[i];
    for (size_t i = 0; i < r->nsecs; i++)
        if (r->secs[i].kind == TSAN_SEC_ACCESS && &r->secs[i] != *best) {
            *other = &r->secs[i];
            break;
        }
}

/* "M0 (0x5555) => M1 (0x5566) => M0" -> "M0 => M1 => M0". */
static char *strip_addresses(const char *s)
{
    rc_buf b = {0};
    while (s && *s) {
        if (!strncmp(s, " (0x", 4) && strchr(s, ')')) {
            s = strchr(s, ')') + 1;
            continue;
        }
        buf_add(&b, s++, 1);
    }
    return buf_take(&b);
}

static char *location_text(const tsan_section *loc)
{
    if (!loc)
        return xstrdup("memory");
    const char *k = loc->loc_kind;
    const char *th = loc->thread ? loc->thread : "a thread";
    if (!strcmp(k, "global"))
        return xasprintf("global '%s'", loc->name ? loc->name : "?");
    if (!strcmp(k, "heap"))
        return xasprintf("a heap block of size %u", loc->size);
    if (!strcmp(k, "stack"))
        return xasprintf("the stack of %s", th);
    if (!strcmp(k, "tls"))
        return xasprintf("thread-local storage of %s", th);
    if (!strcmp(k, "fd"))
        return xstrdup("a file descriptor");
    return xstrdup("memory");
}

static void note_at(rc_finding *f, const tsan_section *s, const char *fmt, const char *arg)
{
    const tsan_frame *u = s ? tsan_user_frame(s) : NULL;
    char *file = tsan_display_path(u ? u->file : NULL);
    char *where = u && !u->file && u->function ? xasprintf(" (in %s)", u->function) : xstrdup("");
    char *msg = xasprintf(fmt, arg);
    finding_note(f, file, u ? u->line : 0, u ? u->column : 0, "%s%s", msg, where);
    free(msg);
    free(where);
    free(file);
}

static char *access_text(const tsan_section *a)
{
    return xasprintf("%s%s of size %u", a->atomic ? "atomic " : "",
                     a->write ? "write" : "read", a->size);
}

/* --- fingerprint ----------------------------------------------------------- */

static void stack_key(rc_buf *b, const tsan_section *s)
{
    int any = 0;
    for (size_t i = 0; i < s->nframes; i++)
        if (s->frames[i].user) {
            const tsan_frame *f = &s->frames[i];
            buf_printf(b, "%s@%s:%u:%u;", f->function ? f->function : "?", f->file,
                       f->line, f->column);
            any = 1;
        }
    /* Without debug info, by function; without symbols at all (no
     * symbolizer), by module and offset: two reports of one kind at two
     * places must not collapse into one finding. */
    if (!any)
        for (size_t i = 0; i < s->nframes; i++) {
            const tsan_frame *f = &s->frames[i];
            buf_printf(b, "%s;", f->function ? f->function : f->module ? f->module : "?");
        }
}

static int strp_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *fingerprint(const tsan_report *r)
{
    /* One key per section that identifies the bug; thread and mutex blocks
     * (ids, creation order) are left out, and keys are sorted so that the
     * order TSan printed them in does not matter. */
    char **keys = NULL;
    size_t n = 0, cap = 0;
    int leak = !strcmp(r->check, "thread-leak");
    for (size_t i = 0; i < r->nsecs; i++) {
        const tsan_section *s = &r->secs[i];
        rc_buf b = {0};
        switch (s->kind) {
        case TSAN_SEC_ACCESS:
            buf_printf(&b, "access %d %d %u ", s->write, s->atomic, s->size);
            break;
        case TSAN_SEC_LOCATION:
            buf_printf(&b, "loc %s %s ", s->loc_kind, s->name ? s->name : "");
            break;
        case TSAN_SEC_STACK:
        case TSAN_SEC_EDGE:
        case TSAN_SEC_EDGE_PREV:
            buf_printf(&b, "stack%d ", (int)s->kind);
            break;
        case TSAN_SEC_THREAD:
            if (!leak)
                continue;
            buf_puts(&b, "thread ");
            break;
        default:
            continue;
        }
        stack_key(&b, s);
        VEC_PUSH(keys, n, cap, buf_take(&b));
    }
    if (n)
        qsort(keys, n, sizeof *keys, strp_cmp);
    uint64_t h = hash_str(HASH_INIT, r->check);
    for (size_t i = 0; i < n; i++) {
        h = hash_str(h, keys[i]);
        free(keys[i]);
    }
    free(keys);
    return xasprintf("tsan-%016llx", (unsigned long long)h);
}

/* --- the finding ------------------------------------------------------------ */

static const tsan_section *primary_section(const tsan_report *r, const tsan_section *access)
{
    if (access)
        return access;
    const tsan_section *s;
    if ((s = first_of(r, TSAN_SEC_EDGE)) || (s = first_of(r, TSAN_SEC_STACK)))
        return s;
    if (!strcmp(r->check, "thread-leak") && (s = first_of(r, TSAN_SEC_THREAD)))
        return s;
    for (size_t i = 0; i < r->nsecs; i++)     /* unknown kinds: any user frame */
        if (tsan_user_frame(&r->secs[i]))
            return &r->secs[i];
    return NULL;
}

static char *message_for(const tsan_report *r, const tsan_section *best,
                         const tsan_section *other, const tsan_section *prim)
{
    if (best) {
        char *loc = !strncmp(r->check, "heap-use-after-free", 19)
                        ? xstrdup("freed heap memory")
                        : location_text(first_of(r, TSAN_SEC_LOCATION));
        char *acc = access_text(best);
        char *msg;
        if (other) {
            char *oacc = access_text(other);
            const tsan_frame *u = tsan_user_frame(other);
            char *ofile = tsan_display_path(u ? u->file : NULL);
            char *at = u && ofile ? xasprintf(" at %s:%u", ofile, u->line) : xstrdup("");
            msg = xasprintf("%s on %s: %s races with %s in another thread%s", r->header, loc,
                            acc, oacc, at);
            free(at);
            free(ofile);
            free(oacc);
        } else {
            msg = xasprintf("%s on %s: %s", r->header, loc, acc);
        }
        free(acc);
        free(loc);
        return msg;
    }
    if (!strcmp(r->check, "lock-order-inversion")) {
        size_t edges = 0;
        for (size_t i = 0; i < r->nsecs; i++)
            edges += r->secs[i].kind == TSAN_SEC_EDGE;
        char *cycle = strip_addresses(r->cycle ? r->cycle : "?");
        char *m = xasprintf("lock-order inversion (potential deadlock): mutex %s acquired while "
                            "holding mutex %s; the %zu mutexes of the cycle %s are taken in "
                            "opposite orders elsewhere",
                            prim && prim->id ? prim->id : "?", prim && prim->held ? prim->held : "?",
                            edges, cycle);
        free(cycle);
        return m;
    }
    if (!strcmp(r->check, "thread-leak")) {
        if (r->more_similar)
            return xasprintf("thread leak: thread %s created here is never joined (and %u "
                             "more similar)", prim && prim->id ? prim->id : "?", r->more_similar);
        return xasprintf("thread leak: thread %s created here is never joined",
                         prim && prim->id ? prim->id : "?");
    }
    if (r->crash)
        return xasprintf("crash: %s%s%s", r->header, r->crash_cause ? "; " : "",
                         r->crash_cause ? r->crash_cause : "");
    /* Bare-stack kinds: name the intercepted call (malloc, pthread_mutex_unlock ...). */
    if (prim && prim->kind == TSAN_SEC_STACK && prim->nframes && !prim->frames[0].user &&
        prim->frames[0].function && &prim->frames[0] != tsan_user_frame(prim))
        return xasprintf("%s (in %s)", r->header, prim->frames[0].function);
    return xstrdup(r->header);
}

static void add_notes(rc_finding *f, const tsan_report *r, const tsan_section *prim,
                      const tsan_section *other)
{
    if (other) {
        char *acc = access_text(other);
        char *what = xasprintf("conflicting %s by %s", acc, other->thread ? other->thread : "another thread");
        note_at(f, other, "%s", what);
        free(what);
        free(acc);
    }
    for (size_t i = 0; i < r->nsecs; i++) {
        const tsan_section *s = &r->secs[i];
        if (s == prim || s == other)
            continue;
        switch (s->kind) {
        case TSAN_SEC_STACK:
            note_at(f, s, "%s", "and here");
            break;
        case TSAN_SEC_EDGE: {
            char *m = xasprintf("mutex %s acquired here while holding mutex %s",
                                s->id ? s->id : "?", s->held ? s->held : "?");
            note_at(f, s, "%s", m);
            free(m);
            break;
        }
        case TSAN_SEC_EDGE_PREV:
            note_at(f, s, "mutex %s acquired here first", s->id ? s->id : "?");
            break;
        case TSAN_SEC_LOCATION:
            if (s->nframes)
                note_at(f, s, "heap block allocated here by %s", s->thread ? s->thread : "a thread");
            break;
        case TSAN_SEC_MUTEX:
            if (s->nframes)
                note_at(f, s, "mutex %s created here", s->id ? s->id : "?");
            break;
        default:
            break;
        }
    }
}

/* A stack TSan did not symbolize (clang's runtime found no llvm-symbolizer,
 * or symbolize=0) has frames with neither function nor file, only
 * "module+0xoffset": say so, with the first few, since the finding itself
 * then has no place. */
static void note_unsymbolized(rc_finding *f, const tsan_section *s)
{
    for (size_t i = 0; i < s->nframes; i++)
        if (s->frames[i].function || s->frames[i].file)
            return;
    rc_buf b = {0};
    size_t shown = 0;
    for (size_t i = 0; i < s->nframes && shown < 3; i++)
        if (s->frames[i].module)
            buf_printf(&b, "%s%s", shown++ ? ", " : "", s->frames[i].module);
    if (shown)
        finding_note(f, NULL, 0, 0,
                     "the report's stacks are not symbolized (%s): run the program with "
                     "llvm-symbolizer in PATH (clang's runtime needs it) and without "
                     "TSAN_OPTIONS=symbolize=0",
                     b.s);
    free(b.s);
}

rc_finding *tsan_report_finding(const tsan_report *r, rc_findings *fs)
{
    const tsan_section *best, *other;
    pick_accesses(r, &best, &other);
    const tsan_section *prim = primary_section(r, best);
    const tsan_frame *u = prim ? tsan_user_frame(prim) : NULL;
    char *msg = message_for(r, best, other, prim);
    char *file = tsan_display_path(u ? u->file : NULL);
    rc_finding *f = findings_add(fs, r->check, "dynamic", file, u ? u->line : 0,
                                 u ? u->column : 0, u ? u->function : NULL, "%s", msg);
    if (!strcmp(r->check, "crash"))
        f->severity = "error";
    free(file);
    free(msg);
    add_notes(f, r, prim, other);
    if (!u && prim)
        note_unsymbolized(f, prim);
    f->fingerprint = fingerprint(r);
    f->detail = report_json(r);
    return f;
}

/* Reports repeated in one log (a loop racing a million times) collapse into
 * the first one's finding here, as findings_finish() would do, but without
 * building the notes and detail JSON of every copy.  Open addressing on the
 * fingerprint. */
typedef struct seen_set {
    char **keys;
    rc_finding **vals;
    size_t cap, n;
} seen_set;

static size_t str_hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static rc_finding **seen_slot(seen_set *t, const char *key, char ***keyslot)
{
    size_t i = str_hash(key) & (t->cap - 1);
    while (t->keys[i] && strcmp(t->keys[i], key))
        i = (i + 1) & (t->cap - 1);
    *keyslot = &t->keys[i];
    return &t->vals[i];
}

static void seen_grow(seen_set *t)
{
    seen_set nt = {xcalloc(t->cap * 2, sizeof *nt.keys), xcalloc(t->cap * 2, sizeof *nt.vals),
                   t->cap * 2, t->n};
    for (size_t i = 0; i < t->cap; i++)
        if (t->keys[i]) {
            char **k;
            rc_finding **v = seen_slot(&nt, t->keys[i], &k);
            *k = t->keys[i];
            *v = t->vals[i];
        }
    free(t->keys);
    free(t->vals);
    *t = nt;
}

void tsan_log_findings(const tsan_log *log, rc_findings *fs, const char *origin)
{
    seen_set seen = {xcalloc(64, sizeof(char *)), xcalloc(64, sizeof(rc_finding *)), 64, 0};
    for (size_t i = 0; i < log->n; i++) {
        char *fp = fingerprint(&log->reports[i]);
        char **k;
        rc_finding **v = seen_slot(&seen, fp, &k);
        if (*k && (*v)->count < UINT_MAX) {
            (*v)->count++;
            free(fp);
            continue;
        }
        free(fp);
        rc_finding *f = tsan_report_finding(&log->reports[i], fs);
        if (*k)
            continue;
        *k = f->fingerprint;
        *v = f;
        if (++seen.n * 2 > seen.cap)
            seen_grow(&seen);
    }
    free(seen.keys);
    free(seen.vals);
    for (size_t i = 0; i < log->nfatal; i++)
        findings_error(fs, origin, "ThreadSanitizer failed: %s", log->fatal[i]);
}

#define TSAN_CHUNK (4u << 20)

void tsan_text_findings(const char *text, size_t len, rc_findings *fs, const char *origin)
{
    static const char cut[] = "\n==================\nWARNING: ThreadSanitizer: ";
    size_t at = 0;
    while (at < len) {
        size_t end = len;
        if (len - at > TSAN_CHUNK) {
            const char *p = memmem(text + at + TSAN_CHUNK, len - at - TSAN_CHUNK, cut,
                                   sizeof cut - 1);
            if (p)
                end = (size_t)(p - text) + 1;   /* after the newline */
        }
        tsan_log log;
        tsan_log_init(&log);
        tsan_parse(&log, text + at, end - at);
        tsan_log_findings(&log, fs, origin);
        tsan_log_free(&log);
        at = end;
    }
}
