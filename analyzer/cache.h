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
 * *states_id says which saved check states go with them (malloc'd). */
int cache_lookup(rc_cache *c, const char *key, rc_findings *out, char **states_id);

/* Load the check states saved with an entry into states[i], one per
 * enabled check with state.  0 when they are gone or not the ones
 * states_id names: the unit must then be analysed again. */
int cache_load_states(rc_cache *c, const char *key, const char *states_id, const int *enabled,
                      void **states);

/* Store a unit's result, with the files `tu` read as its dependencies
 * (dir: where relative names start, see cx_file_path).
 * Returns the states' id (malloc'd), or NULL when nothing was stored. */
char *cache_store(rc_cache *c, const char *key, CXTranslationUnit tu, const char *dir,
                  const int *enabled, const rc_findings *out, void *const *states);

/* The whole-program pass (checks' end()) depends only on the units' states
 * in input order: its findings are cached under the list of unit keys and
 * states ids, so a warm run neither loads nor solves anything. */
char *cache_run_key(char *const *keys, char *const *states_ids, size_t n);
int cache_run_lookup(rc_cache *c, const char *run_key, rc_findings *out);
void cache_run_store(rc_cache *c, const char *run_key, const rc_findings *found);

#endif
