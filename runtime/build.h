/*
 * build.h -- compile one C file into a ThreadSanitizer-instrumented program.
 */
#ifndef RC_BUILD_H
#define RC_BUILD_H

#include <stddef.h>

/* cc -fsanitize=thread -g -O1 -pthread -o OUT SRC EXTRA...; compiler output
 * goes to LOG.  0 on success; otherwise -1 and *err (malloc'd) says why: the
 * compiler's first error line, or that it could not be run. */
int build_tsan(const char *cc, const char *src, const char *out, char *const *extra,
               size_t nextra, const char *log, char **err);

/* The compiler to use: --cc, else $CC, else "cc". */
const char *build_default_cc(void);

#endif
