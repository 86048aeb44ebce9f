/*
 * cache.h -- the analyzer's result cache.  A unit's findings and check
 * states are stored under a key made of racecheck's version, the racecheck
 * and libclang binaries (size and mtime), the file's name and compiler
 * arguments and the enabled checks; an entry is used only if the file and
 * every file it included (headers, system headers too) still have the
 * content they had.  A pre-commit run over unchanged files then costs a few
 * reads and hashes per file, and does not load libclang.
 */
#ifndef RC_CACHE_H
#define RC_CACHE_H

#include "cx.h"

#include "findings.h"
#include "input.h"

typedef struct rc_cache rc_cache;

/* Open (creating) the cache directory; NULL with a warning printed when it
 * cannot be used: racecheck then runs uncached. */
rc_cache *cache_open(const char *dir);
void cache_close(rc_cache *c);

/* The default directory: $XDG_CACHE_HOME/racecheck, ~/.cache/racecheck. */
char *cache_default_dir(void);

/* The entry key for an input under the enabled checks (hex, malloc'd). */
char *cache_key(const rc_cache *c, const rc_input *in, const int *enabled);

/* 1 when a valid entry exists: its findings are added to out and
 * states[i] loaded for each enabled check with state. */
int cache_lookup(rc_cache *c, const char *key, const int *enabled, rc_findings *out,
                 void **states);

/* Store a unit's result, with the files `tu` read as its dependencies. */
void cache_store(rc_cache *c, const char *key, CXTranslationUnit tu, const int *enabled,
                 const rc_findings *out, void *const *states);

#endif
