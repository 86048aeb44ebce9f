/*
 * util.h -- small allocation and string helpers used everywhere.
 *
 * Allocation failure is fatal: racecheck is a command-line tool and has
 * nothing sensible to do without memory, so x* helpers never return NULL.
 */
#ifndef RC_UTIL_H
#define RC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);            /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Grow *items (of elem bytes each) so that index n fits. */
void vec_reserve(void **items, size_t *cap, size_t n, size_t elem);
/* The capacity test is inline: pushes run by the million, and the call
 * cost more than the test. */
#define VEC_PUSH(arr, n, cap, val) \
    ((size_t)(n) < (cap) ? (void)0 : vec_reserve((void **)&(arr), &(cap), (size_t)(n) + 1, \
                                                 sizeof *(arr)), \
     (arr)[(n)++] = (val))

/* A growable string. */
typedef struct rc_buf { char *s; size_t len, cap; } rc_buf;
void buf_add(rc_buf *b, const char *s, size_t n);
void buf_puts(rc_buf *b, const char *s);
void buf_printf(rc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_take(rc_buf *b);               /* returns the string, resets b */

/* v in decimal at out (NUL-terminated); returns its length.  Without
 * printf: the cache writes a few numbers per lock event. */
#define DEC_MAX 21                       /* "-9223372036854775808" and NUL */
size_t dec_format(long long v, char out[DEC_MAX]);

/* 64-bit FNV-1a, for fingerprints and hash tables. */
uint64_t hash_bytes(uint64_t h, const void *p, size_t n);
uint64_t hash_str(uint64_t h, const char *s);   /* hashes s and its NUL */
#define HASH_INIT 0xcbf29ce484222325ULL

/* A pointer's hash for open addressing (Fibonacci hashing: its high bits
 * are well mixed; shift before masking). */
static inline uint64_t hash_ptr(const void *p)
{
    return (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
}

/* Seconds on the monotonic clock (for timeouts and time reports). */
double rc_now(void);

/* Dispose of obj when the process ends -- that is, never: the exit frees
 * everything at once, and freeing a large structure piece by piece just
 * before exiting is time on one thread that nothing gains from (clang
 * skips it too: -disable-free).  The pointer stays reachable, so leak
 * checkers see no leak; in a sanitizer build obj is disposed of now, so
 * that the tests exercise the dispose functions.  Thread-safe. */
void rc_bury(void *obj, void (*dispose)(void *));

/* Read a whole file; NULL and errno set on failure.  *len gets the size. */
char *read_file(const char *path, size_t *len);

/* How to show an absolute path: relative to the user's working directory
 * when it lies below it, else unchanged (normalised when it exists).
 * malloc'd. */
char *path_display(const char *path);
/* Remember the user's working directory, once, before anything may
 * chdir() (libclang 14 enters each compile command's directory to parse
 * and stays there). */
void path_remember_cwd(void);
/* The user's working directory: the one remembered, else (nothing
 * remembered yet) the current one, written to buf (PATH_MAX bytes).  NULL
 * when unknown. */
const char *path_user_cwd(char *buf);

/* The program name for diagnostics ("racecheck"). */
extern const char *rc_progname;
/* Print "racecheck: MESSAGE" to stderr. */
void rc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
