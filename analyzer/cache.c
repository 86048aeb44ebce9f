/*
 * cache.c -- store and validate per-unit results on disk (JSON, cJSON).
 *
 * An entry is `<dir>/<key>.json`: the dependencies with a hash of each one's
 * content, the unit's findings, and each stateful check's saved state.
 * Entries are written to a temporary file and renamed, so concurrent
 * racecheck runs (pre-commit in two work trees) never read half an entry.
 */
#include "cache.h"
#include "checks.h"
#include "findings_json.h"
#include "util.h"
#include "version.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

/* What this run learnt about a dependency: most files include the same
 * system headers, so each is examined once per run, not once per file. */
typedef struct dep_memo {
    char *path;
    char *stamp;             /* "size:mtime" now */
    char *hash;              /* content hash, computed on demand */
} dep_memo;

struct rc_cache {
    char *dir;
    char *binary_id;         /* size and mtime of racecheck and of libclang */
    char *cwd;               /* the directory display names are relative to */
    dep_memo *memo;
    size_t nmemo, capmemo;
    pthread_mutex_t mu;      /* workers share the memo */
};

static int mkdir_p(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0777);
            *s = '/';
        }
    int r = mkdir(p, 0777) == 0 || errno == EEXIST ? 0 : -1;
    free(p);
    return r;
}

char *cache_default_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/racecheck", xdg);
    if (home && *home)
        return xasprintf("%s/.cache/racecheck", home);
    return NULL;
}

rc_cache *cache_open(const char *dir)
{
    struct stat st;
    if (!dir || mkdir_p(dir) < 0 || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
        access(dir, W_OK) < 0) {
        if (dir)
            rc_warn("cache directory '%s' is not usable (%s); running without a cache",
                    dir, strerror(errno ? errno : ENOTDIR));
        return NULL;
    }
    rc_cache *c = xcalloc(1, sizeof *c);
    /* Absolute, and the working directory taken now: libclang chdir()s
     * into each compile command's directory while it parses. */
    char real[PATH_MAX], cwd[PATH_MAX];
    c->dir = xstrdup(realpath(dir, real) ? real : dir);
    c->cwd = xstrdup(getcwd(cwd, sizeof cwd) ? cwd : "");
    pthread_mutex_init(&c->mu, NULL);
    /* A rebuilt racecheck, or another libclang, may analyse differently
     * under the same version numbers: entries are only valid for the
     * binaries that wrote them.  libclang is named by file, not asked its
     * version, so that a run served from the cache never loads it. */
    struct stat self;
    char *lib = cx_library_id();
    c->binary_id = stat("/proc/self/exe", &self) == 0
                       ? xasprintf("%lld:%lld.%09ld %s", (long long)self.st_size,
                                   (long long)self.st_mtim.tv_sec, self.st_mtim.tv_nsec, lib)
                       : xstrdup(lib);
    free(lib);
    return c;
}

/* Entries unused for this long are removed: renamed files, changed flags
 * and old racecheck binaries would otherwise pile up. */
#define CACHE_MAX_AGE (30L * 24 * 3600)

static void evict_old(rc_cache *c)
{
    DIR *d = opendir(c->dir);
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || (strcmp(e->d_name + n - 5, ".json") && !strstr(e->d_name, ".tmp")))
            continue;
        char *p = xasprintf("%s/%s", c->dir, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && now - st.st_mtime > CACHE_MAX_AGE)
            unlink(p);
        free(p);
    }
    closedir(d);
}

void cache_close(rc_cache *c)
{
    if (!c)
        return;
    evict_old(c);
    for (size_t i = 0; i < c->nmemo; i++) {
        free(c->memo[i].path);
        free(c->memo[i].stamp);
        free(c->memo[i].hash);
    }
    free(c->memo);
    pthread_mutex_destroy(&c->mu);
    free(c->dir);
    free(c->binary_id);
    free(c->cwd);
    free(c);
}

char *cache_key(const rc_cache *c, const rc_input *in, const int *enabled)
{
    uint64_t h = hash_str(HASH_INIT, "racecheck " RC_VERSION);
    h = hash_str(h, c->binary_id);
    h = hash_str(h, c->cwd);
    h = hash_str(h, in->display);
    h = hash_str(h, in->parse_path);
    for (int i = 0; i < in->nargs; i++)
        h = hash_str(h, in->args[i]);
    for (unsigned i = 0; i < rc_nchecks; i++)
        if (enabled[i])
            h = hash_str(h, rc_checks[i]->name);
    return xasprintf("%016llx", (unsigned long long)h);
}

/* The content hash of a file, or "" when it cannot be read. */
static char *content_hash(const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return xstrdup("");
    uint64_t h = hash_bytes(HASH_INIT, text, len);
    free(text);
    return xasprintf("%016llx:%zu", (unsigned long long)h, len);
}

static char *entry_path(rc_cache *c, const char *key)
{
    return xasprintf("%s/%s.json", c->dir, key);
}

/* "size:mtime" of a file, or "" when it is gone. */
static char *stamp_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return xstrdup("");
    return xasprintf("%lld:%lld.%09ld", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec);
}

/* The memo entry for path (created on first use).  Call with c->mu held. */
static dep_memo *memo_of(rc_cache *c, const char *path)
{
    for (size_t i = 0; i < c->nmemo; i++)
        if (!strcmp(c->memo[i].path, path))
            return &c->memo[i];
    dep_memo m = {xstrdup(path), stamp_of(path), NULL};
    VEC_PUSH(c->memo, c->nmemo, c->capmemo, m);
    return &c->memo[c->nmemo - 1];
}

/* A dependency's stamp and content hash as they are now (malloc'd). */
static void dep_now(rc_cache *c, const char *path, int want_hash, char **stamp, char **hash)
{
    pthread_mutex_lock(&c->mu);
    dep_memo *m = memo_of(c, path);
    if (want_hash && !m->hash)
        m->hash = content_hash(path);
    *stamp = xstrdup(m->stamp);
    *hash = xstrdup(m->hash);
    pthread_mutex_unlock(&c->mu);
}

/* Unchanged: the same size and mtime (no need to read it), or failing that
 * the same content (a touched but unedited file). */
static int deps_unchanged(rc_cache *c, const cJSON *deps)
{
    const cJSON *d;
    if (!cJSON_IsArray(deps))
        return 0;
    cJSON_ArrayForEach(d, deps) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(d, "path");
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(d, "stamp");
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(d, "hash");
        if (!cJSON_IsString(p) || !cJSON_IsString(st) || !cJSON_IsString(h))
            return 0;
        char *stamp, *hash;
        dep_now(c, p->valuestring, 0, &stamp, &hash);
        int same = *stamp && !strcmp(stamp, st->valuestring);
        free(stamp);
        free(hash);
        if (!same) {
            dep_now(c, p->valuestring, 1, &stamp, &hash);
            same = *hash && !strcmp(hash, h->valuestring);
            free(stamp);
            free(hash);
        }
        if (!same)
            return 0;
    }
    return 1;
}

int cache_lookup(rc_cache *c, const char *key, const int *enabled, rc_findings *out,
                 void **states)
{
    if (!c)
        return 0;
    char *path = entry_path(c, key);
    size_t len;
    char *text = read_file(path, &len);
    free(path);
    if (!text)
        return 0;
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    int ok = root && deps_unchanged(c, cJSON_GetObjectItemCaseSensitive(root, "deps"));
    const cJSON *saved = cJSON_GetObjectItemCaseSensitive(root, "states");
    void *loaded[64] = {0};
    for (unsigned i = 0; ok && i < rc_nchecks; i++) {
        if (!enabled[i] || !rc_checks[i]->begin)
            continue;
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(saved, rc_checks[i]->name);
        if (!s || !rc_checks[i]->load || !(loaded[i] = rc_checks[i]->load(s)))
            ok = 0;
    }
    if (ok) {
        char *p = entry_path(c, key);
        utime(p, NULL);  /* still in use: keep it from eviction */
        free(p);
        rc_findings tmp;
        findings_init(&tmp);
        const cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(root, "findings"))
            finding_from_json(&tmp, f);
        findings_move(out, &tmp);
        for (unsigned i = 0; i < rc_nchecks; i++)
            if (loaded[i])
                states[i] = loaded[i];
    } else {
        /* A stale or broken entry: drop what was loaded and re-analyse. */
        for (unsigned i = 0; i < rc_nchecks; i++)
            if (loaded[i] && rc_checks[i]->end) {
                rc_findings sink;
                findings_init(&sink);
                rc_checks[i]->end(loaded[i], &sink);
                findings_free(&sink);
            }
    }
    cJSON_Delete(root);
    return ok;
}

typedef struct dep_walk {
    rc_cache *c;
    cJSON *deps;
} dep_walk;

static void add_dep(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData d)
{
    (void)stack;
    (void)depth;
    dep_walk *w = d;
    char *name = cx_take_file_name(f);
    char real[PATH_MAX];
    const char *path = realpath(name, real) ? real : name;
    char *stamp, *hash;
    dep_now(w->c, path, 1, &stamp, &hash);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", path);
    cJSON_AddStringToObject(o, "stamp", stamp);
    cJSON_AddStringToObject(o, "hash", hash);
    cJSON_AddItemToArray(w->deps, o);
    free(stamp);
    free(hash);
    free(name);
}

void cache_store(rc_cache *c, const char *key, CXTranslationUnit tu, const int *enabled,
                 const rc_findings *out, void *const *states)
{
    if (!c || out->nerrors)
        return;  /* errors may go away without any dependency changing */
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "racecheck", RC_VERSION);
    cJSON *saved = cJSON_AddObjectToObject(root, "states");
    for (unsigned i = 0; i < rc_nchecks; i++) {
        if (!enabled[i] || !rc_checks[i]->begin)
            continue;
        cJSON *s = rc_checks[i]->save ? rc_checks[i]->save(states[i]) : NULL;
        if (!s) {
            cJSON_Delete(root);
            return;
        }
        cJSON_AddItemToObject(saved, rc_checks[i]->name, s);
    }
    dep_walk w = {c, cJSON_AddArrayToObject(root, "deps")};
    clang_getInclusions(tu, add_dep, &w);
    cJSON *arr = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < out->n; i++)
        cJSON_AddItemToArray(arr, finding_to_json(out->items[i]));
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    char *path = entry_path(c, key);
    char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid() ^ (long)(uintptr_t)states);
    FILE *f = fopen(tmp, "w");
    int ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
    free(tmp);
    free(path);
    free(text);
}
