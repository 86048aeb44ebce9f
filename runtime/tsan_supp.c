/*
 * tsan_supp.c -- parse TSan suppression files and match them against the
 * stacks in a runtime finding's `detail`.
 */
#include "tsan_supp.h"
#include "findings_json.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct supp {
    char *type;
    char *pattern;
    unsigned line;
    unsigned hits;
} supp;

struct tsan_supps {
    char *path;
    supp *v;
    size_t n, cap;
};

static const char *const known_types[] = {
    "race", "race_top", "thread", "mutex", "signal", "deadlock", "called_from_lib",
};

tsan_supps *tsan_supps_load(const char *path, rc_findings *errs)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        findings_error(errs, path, "cannot read suppressions: %s", strerror(errno));
        return NULL;
    }
    tsan_supps *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    unsigned lineno = 0;
    for (char *line = text, *next; line; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line += strspn(line, " \t");
        char *end = line + strlen(line);
        while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
            *--end = '\0';
        if (!*line || *line == '#')
            continue;
        char *colon = strchr(line, ':');
        int known = 0;
        if (colon) {
            *colon = '\0';
            for (size_t i = 0; i < sizeof known_types / sizeof *known_types; i++)
                known |= !strcmp(line, known_types[i]);
        }
        if (!colon || !known || !colon[1]) {
            findings_error(errs, path, "line %u: expected TYPE:PATTERN with TYPE one of race, "
                           "race_top, thread, mutex, signal, deadlock, called_from_lib", lineno);
            tsan_supps_free(s);
            free(text);
            return NULL;
        }
        supp e = {xstrdup(line), xstrdup(colon + 1), lineno, 0};
        VEC_PUSH(s->v, s->n, s->cap, e);
    }
    free(text);
    return s;
}

void tsan_supps_free(tsan_supps *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].type);
        free(s->v[i].pattern);
    }
    free(s->v);
    free(s->path);
    free(s);
}

/* Whole-string glob match of s against [p, pe) with `*` as the only
 * wildcard; iterative, backtracking to the last star. */
static int glob(const char *p, const char *pe, const char *s)
{
    const char *star = NULL, *mark = NULL;
    while (*s) {
        if (p < pe && *p == '*') {
            star = ++p;
            mark = s;
        } else if (p < pe && *p == *s) {
            p++, s++;
        } else if (star) {
            p = star;
            s = ++mark;
        } else {
            return 0;
        }
    }
    while (p < pe && *p == '*')
        p++;
    return p == pe;
}

/* TSan's template match: a substring unless `^` or `$` anchors it. */
static int template_match(const char *t, const char *s)
{
    if (!s || !*t)
        return 0;
    int anchor_start = *t == '^';
    size_t tl = strlen(t + anchor_start);
    int anchor_end = tl && t[anchor_start + tl - 1] == '$';
    char *pat = xasprintf("%s%.*s%s", anchor_start ? "" : "*", (int)(tl - anchor_end),
                          t + anchor_start, anchor_end ? "" : "*");
    int ok = glob(pat, pat + strlen(pat), s);
    free(pat);
    return ok;
}

static int type_applies(const char *type, const char *check)
{
    if (!strcmp(type, "race") || !strcmp(type, "race_top"))
        return !strncmp(check, "data-race", 9) || !strncmp(check, "heap-use-after-free", 19);
    if (!strcmp(type, "thread"))
        return !strcmp(check, "thread-leak");
    if (!strcmp(type, "mutex"))
        return !strncmp(check, "mutex-", 6) || !strcmp(check, "locked-mutex-destroy");
    if (!strcmp(type, "signal"))
        return !strcmp(check, "signal-unsafe-call") || !strcmp(check, "errno-in-signal-handler");
    if (!strcmp(type, "deadlock"))
        return !strcmp(check, "lock-order-inversion") || !strcmp(check, "deadlock");
    return !strcmp(type, "called_from_lib");
}

/* Does the pattern match a frame of any stack in the detail (only top
 * frames for race_top; only modules for called_from_lib), or the racing
 * location's name? */
static int detail_matches(const supp *e, const cJSON *detail)
{
    int top_only = !strcmp(e->type, "race_top"), lib = !strcmp(e->type, "called_from_lib");
    const cJSON **work = NULL;
    size_t n = 0, cap = 0;
    int hit = 0;
    VEC_PUSH(work, n, cap, detail);
    while (n && !hit) {
        const cJSON *o = work[--n], *c;
        const cJSON *frames = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, "stack") : NULL;
        int k = 0;
        const cJSON *stack = cJSON_IsArray(frames) ? frames : NULL;
        cJSON_ArrayForEach(c, stack) {
            if (top_only && k++ > 0)
                break;
            hit |= lib ? template_match(e->pattern, json_get_str(c, "module"))
                       : template_match(e->pattern, json_get_str(c, "function")) ||
                             template_match(e->pattern, json_get_str(c, "file")) ||
                             template_match(e->pattern, json_get_str(c, "module"));
        }
        if (!lib && !strncmp(e->type, "race", 4) && cJSON_IsObject(o))
            hit |= template_match(e->pattern, json_get_str(o, "name"));
        if (cJSON_IsObject(o) || cJSON_IsArray(o))
            cJSON_ArrayForEach(c, o)
                if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && c != frames)
                    VEC_PUSH(work, n, cap, c);
    }
    free(work);
    return hit;
}

static int not_suppressed(const rc_finding *f, void *ud)
{
    tsan_supps *s = ud;
    if (strcmp(f->source, "dynamic"))
        return 1;
    int hit = 0;
    for (size_t i = 0; i < s->n; i++)
        if (type_applies(s->v[i].type, f->check) && f->detail &&
            detail_matches(&s->v[i], f->detail)) {
            s->v[i].hits++;
            hit = 1;
        }
    return !hit;
}

void tsan_supps_apply(tsan_supps *s, rc_findings *fs)
{
    if (s)
        findings_filter(fs, not_suppressed, s);
}

void tsan_supps_report_unused(const tsan_supps *s, rc_findings *fs)
{
    for (size_t i = 0; s && i < s->n; i++)
        if (!s->v[i].hits)
            findings_add(fs, "unused-suppression", "dynamic", s->path, s->v[i].line, 1, NULL,
                         "suppression '%s:%s' matched no report", s->v[i].type, s->v[i].pattern);
}

void tsan_supps_run(const char *path, int report_unused, rc_findings *fs)
{
    if (!path)
        return;
    tsan_supps *s = tsan_supps_load(path, fs);
    if (!s)
        return;
    tsan_supps_apply(s, fs);
    if (report_unused)
        tsan_supps_report_unused(s, fs);
    tsan_supps_free(s);
}
