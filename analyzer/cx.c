/*
 * cx.c -- find libclang, dlopen() it and fill the function table (cx.h).
 *
 * The library is the one racecheck was built against (RC_LIBCLANG_PATH), or
 * $RACECHECK_LIBCLANG when set: a libclang of the same major version moved
 * elsewhere, or a debug build of it.
 */
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>

#include "util.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CX_ENTRY(name) __typeof__(name) *rc_cx_##name;
#include "cx_list.h"
#undef CX_ENTRY

static pthread_once_t cx_once = PTHREAD_ONCE_INIT;
static char cx_err[512];
static double cx_seconds;   /* how long loading took (written once) */

static const char *library_path(void)
{
    const char *env = getenv("RACECHECK_LIBCLANG");
    return env && *env ? env : RC_LIBCLANG_PATH;
}

/* Fill one table slot; 0 and an error naming the symbol when it is missing. */
static int bind(void *lib, void **slot, const char *name)
{
    *slot = dlsym(lib, name);
    if (!*slot)
        snprintf(cx_err, sizeof cx_err, "cannot load libclang from '%s': it has no %s",
                 library_path(), name);
    return *slot != NULL;
}

static void load_once(void)
{
    const char *path = library_path();
    double start = rc_now();
    /* Never dlclose()d: its pointers live as long as the process.  Lazy,
     * as for a linked program: the calls libclang and LLVM make through
     * their PLTs are bound as they are first made, not all up front
     * (0.25% of the instructions of a run over ten corpus files). */
    void *lib = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    if (!lib) {
        snprintf(cx_err, sizeof cx_err,
                 "cannot load libclang (%s); set RACECHECK_LIBCLANG to its path", dlerror());
        return;
    }
#define CX_ENTRY(name) if (!bind(lib, (void **)&rc_cx_##name, #name)) return;
#include "cx_list.h"
#undef CX_ENTRY
    cx_seconds = rc_now() - start;
}

int cx_load(void)
{
    pthread_once(&cx_once, load_once);
    return cx_err[0] ? -1 : 0;
}

static void *preload_thread(void *arg)
{
    (void)arg;
    cx_load();
    return NULL;
}

void cx_preload(void)
{
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* No thread to be had: the first unit loads it, as without this. */
    (void)pthread_create(&t, &attr, preload_thread, NULL);
    pthread_attr_destroy(&attr);
}

double cx_load_seconds(void)
{
    return cx_seconds;
}

const char *cx_error(void)
{
    return cx_err;
}

char *cx_library_id(void)
{
    const char *path = library_path();
    struct stat st;
    if (stat(path, &st) < 0)
        return xasprintf("%s:missing", path);
    return xasprintf("%s:%lld:%lld.%09ld", path, (long long)st.st_size,
                     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}
