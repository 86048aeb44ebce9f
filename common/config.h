/*
 * config.h -- the project config file, `.racecheck`, looked up from the
 * working directory towards the root.  Line-based, `key = value`:
 *
 *   # racecheck settings for this repository
 *   checks = -*,copylock          # clang-tidy style, before --checks
 *   exclude = third_party/ generated/
 *   compile-flags = -Iinclude -DNDEBUG
 *   timeout = 30                  # racecheck run, seconds
 *
 * The command line wins: --checks applies after `checks`, arguments after
 * `--` come after `compile-flags`, --timeout replaces `timeout`.
 */
#ifndef RC_CONFIG_H
#define RC_CONFIG_H

#include <stddef.h>

#include "findings.h"

typedef struct rc_config {
    char *path;              /* the file read, or NULL when there is none */
    char *dir;               /* its directory (exclude patterns are relative to it) */
    char *checks;            /* NULL when unset */
    char **exclude;
    size_t nexclude;
    char **flags;
    size_t nflags;
    int timeout;             /* seconds; 0 when unset */
} rc_config;

/* Find and read .racecheck (or `explicit_path` when not NULL).  A missing
 * file is no error unless it was named; a malformed one adds an error
 * "FILE:LINE: problem" to errs and returns -1. */
int config_load(rc_config *c, const char *explicit_path, rc_findings *errs);

/* Parse config text (exposed for tests and fuzzing). */
int config_parse(rc_config *c, const char *path, const char *text, size_t len, rc_findings *errs);

/* 1 when `path` (as the user named it) matches an exclude pattern. */
int config_excluded(const rc_config *c, const char *path);

void config_free(rc_config *c);

#endif
