/*
 * cache.c -- store and validate per-unit results on disk (JSON, cJSON).
 *
 * An entry is `<dir>/<key>.json`: the dependencies with a hash of each one's
 * content, the unit's findings, and the id (content hash) of the stateful
 * checks' saved states, which are in `<key>.states.json`.  A run whose
 * units all come from entries looks for `run-<run key>.json`, the findings
 * of the whole-program pass over exactly those states.  Files are written
 * to a temporary file and renamed, so concurrent racecheck runs
 * (pre-commit in two work trees) never read half a file.
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

/* A file's name as libclang gives it, and the real path it stands for. */
typedef struct dep_name {
    char *name;
    char *real;
} dep_name;

struct rc_cache {
    char *dir;
    char *binary_id;         /* size and mtime of racecheck and of libclang */
    char *cwd;               /* the directory display names are relative to */
    dep_memo *memo;
    size_t nmemo, capmemo;
    dep_name *names;         /* realpath() of every name met, once per run */
    size_t nnames, capnames;
    pthread_mutex_t mu;      /* workers share the memos */
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
    /* Absolute, and the user's working directory (path_user_cwd): libclang
     * chdir()s into each compile command's directory while it parses. */
    char real[PATH_MAX], cwd[PATH_MAX];
    c->dir = xstrdup(realpath(dir, real) ? real : dir);
    const char *user = path_user_cwd(cwd);
    c->cwd = xstrdup(user ? user : "");
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
    for (size_t i = 0; i < c->nnames; i++) {
        free(c->names[i].name);
        free(c->names[i].real);
    }
    free(c->names);
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

/* The identity of some content: its hash and length, malloc'd.  Headers'
 * contents, and the states file an entry goes with, are named by it. */
static char *text_id(const char *text, size_t len)
{
    return xasprintf("%016llx:%zu", (unsigned long long)hash_bytes(HASH_INIT, text, len), len);
}

/* The content hash of a file, or "" when it cannot be read. */
static char *content_hash(const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return xstrdup("");
    char *id = text_id(text, len);
    free(text);
    return id;
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

/* The real path of a dependency named `name` (malloc'd).  Each unit names
 * the same hundred headers, and realpath() asks the kernel for every
 * component of every one: 0.4 s of a cold run over the corpus. */
static char *dep_real(rc_cache *c, const char *name)
{
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->nnames; i++)
        if (!strcmp(c->names[i].name, name)) {
            char *r = xstrdup(c->names[i].real);
            pthread_mutex_unlock(&c->mu);
            return r;
        }
    pthread_mutex_unlock(&c->mu);
    char real[PATH_MAX];
    dep_name n = {xstrdup(name), xstrdup(realpath(name, real) ? real : name)};
    pthread_mutex_lock(&c->mu);
    VEC_PUSH(c->names, c->nnames, c->capnames, n);
    pthread_mutex_unlock(&c->mu);
    return xstrdup(n.real);
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

/* Write text to path atomically: a temporary file, then a rename. */
static void write_atomic(const char *path, const char *text)
{
    static unsigned long seq;
    unsigned long n = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
    char *tmp = xasprintf("%s.%ld.%lu.tmp", path, (long)getpid(), n);
    FILE *f = fopen(tmp, "w");
    int ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
    free(tmp);
}

/* Read and parse a cache file; NULL when missing or not JSON.  With id,
 * also the content's identity (hash and length), malloc'd. */
static cJSON *read_json(const char *path, char **id)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return NULL;
    if (id)
        *id = text_id(text, len);
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    return root;
}

static void findings_from_array(const cJSON *arr, rc_findings *out)
{
    rc_findings tmp;
    findings_init(&tmp);
    const cJSON *f;
    cJSON_ArrayForEach(f, arr)
        finding_from_json(&tmp, f);
    findings_move(out, &tmp);
}

static void findings_to_array(cJSON *parent, const char *name, const rc_findings *fs)
{
    cJSON *arr = cJSON_AddArrayToObject(parent, name);
    for (size_t i = 0; i < fs->n; i++)
        cJSON_AddItemToArray(arr, finding_to_json(fs->items[i]));
}

static char *states_path(rc_cache *c, const char *key)
{
    return xasprintf("%s/%s.states.json", c->dir, key);
}

static char *run_path(rc_cache *c, const char *run_key)
{
    return xasprintf("%s/run-%s.json", c->dir, run_key);
}

int cache_lookup(rc_cache *c, const char *key, rc_findings *out, char **states_id)
{
    if (!c)
        return 0;
    char *path = entry_path(c, key);
    cJSON *root = read_json(path, NULL);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "states");
    int ok = root && cJSON_IsString(id) &&
             deps_unchanged(c, cJSON_GetObjectItemCaseSensitive(root, "deps"));
    if (ok) {
        utime(path, NULL);  /* still in use: keep it from eviction */
        findings_from_array(cJSON_GetObjectItemCaseSensitive(root, "findings"), out);
        *states_id = xstrdup(id->valuestring);
    }
    free(path);
    cJSON_Delete(root);
    return ok;
}

int cache_load_states(rc_cache *c, const char *key, const char *states_id, const int *enabled,
                      void **states)
{
    char *path = states_path(c, key), *id = NULL;
    cJSON *root = read_json(path, &id);
    /* The states must be the ones written with the entry, not a later
     * rewrite by another racecheck run. */
    int ok = root && !strcmp(id, states_id);
    void *loaded[64] = {0};
    for (unsigned i = 0; ok && i < rc_nchecks; i++) {
        if (!enabled[i] || !rc_checks[i]->begin)
            continue;
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, rc_checks[i]->name);
        if (!s || !rc_checks[i]->load || !(loaded[i] = rc_checks[i]->load(s)))
            ok = 0;
    }
    for (unsigned i = 0; i < rc_nchecks; i++) {
        if (ok)
            states[i] = loaded[i] ? loaded[i] : states[i];
        else if (loaded[i])
            rc_checks[i]->discard(loaded[i]);  /* broken: the caller re-analyses */
    }
    if (ok)
        utime(path, NULL);
    free(path);
    free(id);
    cJSON_Delete(root);
    return ok;
}

char *cache_run_key(char *const *keys, char *const *states_ids, size_t n)
{
    uint64_t h = hash_str(HASH_INIT, "run");
    for (size_t i = 0; i < n; i++) {
        h = hash_str(h, keys[i]);
        h = hash_str(h, states_ids[i]);
    }
    return xasprintf("%016llx", (unsigned long long)h);
}

int cache_run_lookup(rc_cache *c, const char *run_key, rc_findings *out)
{
    if (!c)
        return 0;
    char *path = run_path(c, run_key);
    cJSON *root = read_json(path, NULL);
    const cJSON *found = cJSON_GetObjectItemCaseSensitive(root, "findings");
    int ok = cJSON_IsArray(found);
    if (ok) {
        utime(path, NULL);
        findings_from_array(found, out);
    }
    free(path);
    cJSON_Delete(root);
    return ok;
}

void cache_run_store(rc_cache *c, const char *run_key, const rc_findings *found)
{
    if (!c || found->nerrors)
        return;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "racecheck", RC_VERSION);
    findings_to_array(root, "findings", found);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    char *path = run_path(c, run_key);
    write_atomic(path, text);
    free(path);
    free(text);
}

typedef struct dep_walk {
    rc_cache *c;
    cJSON *deps;
    const char *dir;         /* relative names are relative to it (cx_file_path) */
} dep_walk;

static void add_dep(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData d)
{
    (void)stack;
    (void)depth;
    dep_walk *w = d;
    char *name = cx_file_path(f, w->dir);
    char *path = dep_real(w->c, name);
    char *stamp, *hash;
    dep_now(w->c, path, 1, &stamp, &hash);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", path);
    cJSON_AddStringToObject(o, "stamp", stamp);
    cJSON_AddStringToObject(o, "hash", hash);
    cJSON_AddItemToArray(w->deps, o);
    free(stamp);
    free(hash);
    free(path);
    free(name);
}

/* The states as one JSON text, or NULL when a check cannot save its own. */
static char *states_text(const int *enabled, void *const *states)
{
    cJSON *saved = cJSON_CreateObject();
    for (unsigned i = 0; i < rc_nchecks; i++) {
        if (!enabled[i] || !rc_checks[i]->begin)
            continue;
        cJSON *s = rc_checks[i]->save ? rc_checks[i]->save(states[i]) : NULL;
        if (!s) {
            cJSON_Delete(saved);
            return NULL;
        }
        cJSON_AddItemToObject(saved, rc_checks[i]->name, s);
    }
    char *text = cJSON_PrintUnformatted(saved);
    cJSON_Delete(saved);
    return text;
}

char *cache_store(rc_cache *c, const char *key, CXTranslationUnit tu, const char *dir,
                  const int *enabled, const rc_findings *out, void *const *states)
{
    if (!c || out->nerrors)
        return NULL;  /* errors may go away without any dependency changing */
    /* The states first, in their own file: a warm run whose whole-program
     * result is cached (cache_run_lookup) never reads them. */
    char *text = states_text(enabled, states);
    if (!text)
        return NULL;
    char *id = text_id(text, strlen(text));
    char *path = states_path(c, key);
    write_atomic(path, text);
    free(path);
    free(text);

    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "racecheck", RC_VERSION);
    cJSON_AddStringToObject(root, "states", id);
    dep_walk w = {c, cJSON_AddArrayToObject(root, "deps"), dir};
    clang_getInclusions(tu, add_dep, &w);
    findings_to_array(root, "findings", out);
    text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    path = entry_path(c, key);
    write_atomic(path, text);
    free(path);
    free(text);
    return id;
}
