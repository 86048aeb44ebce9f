/*
 * config.c -- find, parse and query the `.racecheck` project config.
 */
#include "config.h"
#include "util.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Append the words of s, separated by any of seps, to *v. */
static void split_words(char ***v, size_t *n, const char *s, const char *seps)
{
    size_t cap = *n;
    while (*s) {
        s += strspn(s, seps);
        size_t len = strcspn(s, seps);
        if (len)
            VEC_PUSH(*v, *n, cap, xstrndup(s, len));
        s += len;
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

int config_parse(rc_config *c, const char *path, const char *text, size_t len, rc_findings *errs)
{
    char *copy = xstrndup(text, len);
    int ok = 0;
    unsigned lineno = 0;
    if (memchr(text, '\0', len)) {
        findings_error(errs, path, "not a text file");
        free(copy);
        return -1;
    }
    for (char *line = copy, *next; line && ok == 0; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *l = trim(line);
        if (!*l)
            continue;
        char *eq = strchr(l, '=');
        if (!eq) {
            findings_error(errs, path, "line %u: expected 'key = value'", lineno);
            ok = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(l), *val = trim(eq + 1);
        if (!strcmp(key, "checks")) {
            free(c->checks);
            c->checks = xstrdup(val);
        } else if (!strcmp(key, "exclude")) {
            split_words(&c->exclude, &c->nexclude, val, " \t,");
        } else if (!strcmp(key, "compile-flags")) {
            /* Blanks only: a comma may belong to a flag (-Wl,...). */
            split_words(&c->flags, &c->nflags, val, " \t");
        } else if (!strcmp(key, "timeout")) {
            char *end;
            errno = 0;
            long t = strtol(val, &end, 10);
            if (errno || *end || end == val || t <= 0 || t > 86400) {
                findings_error(errs, path, "line %u: timeout must be a number of seconds (1-86400)", lineno);
                ok = -1;
            } else {
                c->timeout = (int)t;
            }
        } else {
            findings_error(errs, path, "line %u: unknown key '%s' (expected checks, exclude, compile-flags or timeout)",
                           lineno, key);
            ok = -1;
        }
    }
    free(copy);
    return ok;
}

int config_load(rc_config *c, const char *explicit_path, rc_findings *errs)
{
    memset(c, 0, sizeof *c);
    char cwd[PATH_MAX], *found = NULL;
    if (explicit_path) {
        found = xstrdup(explicit_path);
    } else if (getcwd(cwd, sizeof cwd)) {
        /* Walk up: the nearest .racecheck wins, as with .clang-tidy. */
        for (;;) {
            char *cand = xasprintf("%s/.racecheck", strcmp(cwd, "/") ? cwd : "");
            if (access(cand, F_OK) == 0) {
                found = cand;
                break;
            }
            free(cand);
            char *slash = strrchr(cwd, '/');
            if (!slash || slash == cwd)
                break;
            *slash = '\0';
        }
    }
    if (!found)
        return 0;
    size_t len;
    char *text = read_file(found, &len);
    if (!text) {
        findings_error(errs, found, "cannot read config: %s", strerror(errno));
        free(found);
        return -1;
    }
    c->path = found;
    char real[PATH_MAX];
    c->dir = xstrdup(realpath(found, real) ? real : found);
    char *slash = strrchr(c->dir, '/');
    if (slash)
        slash == c->dir ? (void)(slash[1] = '\0') : (void)(*slash = '\0');
    int r = config_parse(c, found, text, len, errs);
    free(text);
    return r;
}

int config_excluded(const rc_config *c, const char *path)
{
    if (!c->nexclude)
        return 0;
    char real[PATH_MAX];
    const char *rel = path;
    size_t n = strlen(c->dir);
    if (realpath(path, real) && !strncmp(real, c->dir, n) && real[n] == '/')
        rel = real + n + 1;
    for (size_t i = 0; i < c->nexclude; i++) {
        const char *pat = c->exclude[i];
        size_t pl = strlen(pat);
        while (pl > 1 && pat[pl - 1] == '/')
            pl--;
        char *p = xstrndup(pat, pl);
        /* A directory excludes everything below it. */
        int hit = !fnmatch(p, rel, 0) ||
                  (!strncmp(rel, p, pl) && rel[pl] == '/');
        free(p);
        if (hit)
            return 1;
    }
    return 0;
}

void config_free(rc_config *c)
{
    free(c->path);
    free(c->dir);
    free(c->checks);
    for (size_t i = 0; i < c->nexclude; i++)
        free(c->exclude[i]);
    free(c->exclude);
    for (size_t i = 0; i < c->nflags; i++)
        free(c->flags[i]);
    free(c->flags);
    memset(c, 0, sizeof *c);
}
