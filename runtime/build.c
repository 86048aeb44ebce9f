/*
 * build.c -- compile a C file with TSan (see build.h).  The compiler runs
 * with posix_spawnp and an argv, never through a shell.
 */
#include "build.h"
#include "spawn.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char *build_default_cc(void)
{
    const char *cc = getenv("CC");
    return cc && *cc ? cc : "cc";
}

/* The first line that reads like an error, else the first non-empty line. */
static char *first_error_line(const char *text)
{
    const char *first = NULL;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, n);
        if (strstr(line, "error:") || strstr(line, "undefined reference"))
            return line;
        if (!first && n)
            first = p;
        free(line);
        p = nl ? nl + 1 : NULL;
    }
    if (!first)
        return NULL;
    const char *nl = strchr(first, '\n');
    return xstrndup(first, nl ? (size_t)(nl - first) : strlen(first));
}

extern char **environ;

int build_tsan(const char *cc, const char *src, const char *out, char *const *extra,
               size_t nextra, const char *log, char **err)
{
    static const char *const flags[] = {"-fsanitize=thread", "-g", "-O1", "-pthread"};
    size_t nflags = sizeof flags / sizeof *flags;
    char **argv = xcalloc(nflags + nextra + 5, sizeof *argv);
    size_t k = 0;
    argv[k++] = (char *)cc;
    for (size_t i = 0; i < nflags; i++)
        argv[k++] = (char *)flags[i];
    argv[k++] = "-o";
    argv[k++] = (char *)out;
    argv[k++] = (char *)src;
    for (size_t i = 0; i < nextra; i++)
        argv[k++] = extra[i];
    argv[k] = NULL;
    /* The compiler's own temp files (cc*.s, *.o) go to the directory of
     * OUT, so that they go with it even when the compiler is killed. */
    char **env = NULL;
    size_t n = 0, cap = 0;
    for (char **e = environ; *e; e++)
        if (strncmp(*e, "TMPDIR=", 7))
            VEC_PUSH(env, n, cap, *e);
    const char *slash = strrchr(out, '/');
    char *tmpdir = slash ? xasprintf("TMPDIR=%.*s", (int)(slash - out), out) : NULL;
    if (tmpdir)
        VEC_PUSH(env, n, cap, tmpdir);
    VEC_PUSH(env, n, cap, NULL);
    spawn_opts o = {argv, env, "/dev/null", log};
    int code = 0;
    int r = spawn_run(&o, 0, &code);
    free(argv);
    free(env);
    free(tmpdir);
    *err = NULL;
    if (r < 0) {
        *err = xasprintf("cannot run compiler '%s': %s", cc, strerror(-r));
        return -1;
    }
    if (r == SPAWN_EXITED && code == 0)
        return 0;
    char *text = read_file(log, NULL);
    char *line = text ? first_error_line(text) : NULL;
    if (line)
        *err = xasprintf("does not compile: %s", line);
    else if (r == SPAWN_SIGNALED)
        *err = xasprintf("compiler '%s' killed by signal %d", cc, code);
    else
        *err = xasprintf("compiler '%s' failed with status %d", cc, code);
    free(line);
    free(text);
    return -1;
}
