/*
 * summary.h -- the lock IR of function bodies, per-function lock summaries
 * and the whole-program solver that finds relocks.
 *
 * The unit pass (check_relock.c) lowers each function body into this IR
 * while its translation unit is alive: blocks of lock events (acquire,
 * release, call, assignment) with edges that carry simple assumptions
 * (a variable or a lock call's result is zero / non-zero).  The IR needs
 * no libclang, so after every unit is read the solver can link functions
 * across files by USR, compute summaries to a fixed point over the call
 * graph (recursion included) and report.
 *
 * Locks are lockpath.h path ids; functions, variables and files are
 * string ids in the same lp_table.
 */
#ifndef RC_SUMMARY_H
#define RC_SUMMARY_H

#include "findings.h"
#include "lockpath.h"

#include <stdint.h>

typedef struct ri_site {
    int file;                /* string id; -1: nowhere the user can see */
    unsigned line, col;
} ri_site;

typedef enum {
    RI_ACQ,       /* lock `lock` in `mode`; is_try: may fail, never deadlocks */
    RI_REL,       /* unlock `lock` */
    RI_CALL,      /* call `callee` (-1: unknown) with value paths args[] */
    RI_SET,       /* variable `var` is assigned (how, uid) */
    RI_NORETURN,  /* a call that never returns */
    RI_INITREC    /* `lock` is initialised recursive if attribute `var` is
                   * (var -1: certainly recursive) */
} ri_kind;

typedef enum {
    RI_SET_UNKNOWN, RI_SET_ZERO, RI_SET_NONZERO,
    RI_SET_RESULT,            /* the result of the event with id `uid` */
    RI_SET_COPY,              /* the value of variable `uid` (a key) */
    RI_SET_NOT_RESULT,        /* !result (`ok = trylock(&m) == 0`) */
    RI_SET_NOT_COPY           /* !variable */
} ri_setkind;

typedef struct ri_event {
    ri_kind kind;
    unsigned char mode;       /* lockapi_mode */
    unsigned char is_try;
    unsigned char glob;       /* RI_SET: a global (calls may change it) */
    unsigned char track;      /* RI_SET: facts about var may be kept */
    unsigned char agg;        /* RI_SET: var is a struct, union or array:
                               * its fields change with it */
    int lock;                 /* path id */
    int var;                  /* RI_SET: variable key (string id) */
    ri_setkind how;
    int uid;                  /* ACQ/CALL: id of this event's result */
    int callee, callee_name;  /* RI_CALL: USR and name (string ids) */
    int *args;                /* RI_CALL: value paths, -1 unknown */
    unsigned nargs;
    ri_site at;
} ri_event;

typedef enum {
    RA_NONE, RA_FALSE,        /* FALSE: this edge is never taken */
    RA_VAR_ZERO, RA_VAR_NONZERO,  /* arg: variable key */
    RA_RES_ZERO, RA_RES_NONZERO,  /* arg: uid of a lock or call event */
    RA_VAR_EQ, RA_VAR_NE      /* arg: variable key; val: a non-zero constant */
} ri_assume;

typedef struct ri_edge {
    unsigned to;
    ri_assume assume;
    int arg;
    unsigned char glob;       /* RA_VAR_*: the variable is a global */
    int val;                  /* RA_VAR_EQ/NE: string id of the constant's
                               * decimal text; else -1 */
} ri_edge;

/* Does the edge assume something of a variable (arg: its key)? */
int ri_assumes_var(ri_assume a);

typedef struct ri_block {
    ri_event *ev;
    unsigned nev, capev;
    ri_edge *succ;
    unsigned nsucc, capsucc;
} ri_block;

typedef struct ri_func {
    int usr, name;            /* string ids */
    unsigned nparams;
    uint64_t assigned_params; /* bit i: parameter i is assigned somewhere */
    ri_block *blocks;
    unsigned nblocks, entry, exit;
} ri_func;

typedef struct sum_program sum_program;

sum_program *sum_new(void);
void sum_free(sum_program *p);
lp_table *sum_paths(sum_program *p);

/* Take ownership of f.  A second body for the same USR (an inline
 * function in a header) is dropped. */
void sum_add_function(sum_program *p, ri_func *f);
/* The unit left out its own body of the function `usr` (a header's
 * inline function) because an earlier unit provides it (claims.h). */
void sum_add_borrowed(sum_program *p, const char *usr);
/* The unit names function `usr` (declared outside system headers) other
 * than to call it: a call through a pointer may reach it. */
void sum_add_address_taken(sum_program *p, const char *usr);
/* Does `before` (the fold of the earlier units; NULL: none) define every
 * function `unit` left out? */
int sum_has_borrowed(const sum_program *before, const sum_program *unit);
/* Recursive-ness: a lock class (lp_class) initialised recursive, and an
 * attribute object (its variable key) set to a recursive type. */
void sum_add_recursive_class(sum_program *p, int class_id);
void sum_add_recursive_attr(sum_program *p, int attr_key);

/* Link, solve, report findings of check `check` into out, on up to `jobs`
 * threads (the findings do not depend on how many). */
void sum_solve(sum_program *p, rc_findings *out, const char *check, unsigned jobs);

/* Fold the program of a later unit (or group of units) into `into`, and
 * free it: strings and paths are re-interned in from's id order and every
 * id in its functions rewritten, functions are added in order (a USR
 * already defined keeps its first body), recursive classes and attributes
 * are unioned.  Merging units one by one, in input order and grouped in
 * any way, gives the very program (same ids) that lowering them all into
 * one gives.  Not after sum_solve. */
void sum_merge(sum_program *into, sum_program *from);

/* A program not yet solved as JSON, and back (NULL on anything malformed:
 * every id and index is checked, so a loaded program is safe to solve). */
struct cJSON *sum_save(const sum_program *p);
sum_program *sum_load(const struct cJSON *j);

#endif
