/*
 * cx.h -- libclang, loaded on first use.
 *
 * racecheck does not link libclang: starting a process that does costs
 * about 0.1 s of relocations in libclang and libLLVM, which is most of a
 * pre-commit run whose files all come from the result cache, and
 * `racecheck run`/`parse` need no libclang at all.  Instead cx_load()
 * dlopen()s it the first time a file must really be parsed, and every
 * clang_* call in the analyzer goes through a pointer that cx_load() fills
 * (the #defines in the generated cx_rename.h; the names are in cx_api.txt).
 * Code keeps calling libclang by its own names.
 */
#ifndef RC_CX_H
#define RC_CX_H

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>

#define CX_ENTRY(name) extern __typeof__(name) *rc_cx_##name;
#include "cx_list.h"
#undef CX_ENTRY

/* Load libclang (once; thread-safe).  Returns 0, or -1 when it cannot be
 * loaded: cx_error() then says why in one line. */
int cx_load(void);
const char *cx_error(void);
/* Start loading libclang on a thread of its own, and return: for a run
 * that will surely parse (the cache is off), so that the load overlaps
 * reading the inputs and planning, which need no libclang.  cx_load()
 * then waits for what is left.  Not for a run the cache may answer: the
 * process could not exit before the load is over. */
void cx_preload(void);
/* How long loading libclang took, in seconds (0: not loaded).  Read it
 * only after the threads that may load it are joined. */
double cx_load_seconds(void);

/* Which libclang cx_load() loads, and its size and mtime, without loading
 * it: part of the result cache's key. */
char *cx_library_id(void);

#include "cx_rename.h"

#endif
