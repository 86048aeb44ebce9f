/*
 * util.c -- allocation, growable strings, hashing and file reading.
 */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *rc_progname = "racecheck";

static void oom(void)
{
    fprintf(stderr, "%s: out of memory\n", rc_progname);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return xstrdup("");
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void vec_reserve(void **items, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap)
        return;
    size_t c = *cap ? *cap : 8;
    while (c < n)
        c *= 2;
    *items = xrealloc(*items, c * elem);
    *cap = c;
}

void buf_add(rc_buf *b, const char *s, size_t n)
{
    vec_reserve((void **)&b->s, &b->cap, b->len + n + 1, 1);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void buf_puts(rc_buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_printf(rc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    buf_puts(b, s);
    free(s);
}

char *buf_take(rc_buf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

size_t dec_format(long long v, char out[DEC_MAX])
{
    char digits[DEC_MAX], *d = digits + sizeof digits;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        *--d = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--d = '-';
    size_t len = (size_t)(digits + sizeof digits - d);
    memcpy(out, d, len);
    out[len] = '\0';
    return len;
}

double rc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define RC_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RC_SANITIZED 1
#endif

void rc_bury(void *obj, void (*dispose)(void *))
{
#ifdef RC_SANITIZED
    dispose(obj);
#else
    (void)dispose;
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static void **buried;
    static size_t n, cap;
    pthread_mutex_lock(&mu);
    VEC_PUSH(buried, n, cap, obj);
    pthread_mutex_unlock(&mu);
#endif
}

uint64_t hash_str(uint64_t h, const char *s)
{
    return hash_bytes(h, s ? s : "", (s ? strlen(s) : 0) + 1);
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    rc_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        free(b.s);
        errno = err;
        return NULL;
    }
    if (len)
        *len = b.len;
    return buf_take(&b);
}

void rc_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", rc_progname);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static char user_cwd[PATH_MAX];

void path_remember_cwd(void)
{
    if (!getcwd(user_cwd, sizeof user_cwd))
        user_cwd[0] = '\0';
}

const char *path_user_cwd(char *buf)
{
    return user_cwd[0] ? user_cwd : getcwd(buf, PATH_MAX);
}

char *path_display(const char *path)
{
    char real[PATH_MAX], now[PATH_MAX];
    if (path[0] != '/')
        return xstrdup(path);
    const char *p = realpath(path, real) ? real : path;
    const char *cwd = path_user_cwd(now);
    size_t n;
    if (cwd && (n = strlen(cwd)) > 1 && !strncmp(p, cwd, n) && p[n] == '/')
        return xstrdup(p + n + 1);
    return xstrdup(p);
}
