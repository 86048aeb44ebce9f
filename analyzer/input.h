/*
 * input.h -- what to analyse and with which flags: files named on the
 * command line, with the arguments after `--`, or the entries of a build's
 * compile_commands.json (or compile_flags.txt), read without libclang.
 */
#ifndef RC_INPUT_H
#define RC_INPUT_H

#include <stddef.h>

#include "findings.h"

typedef struct rc_input {
    char *display;       /* the path as the user named it */
    char *parse_path;    /* the path handed to libclang */
    char **args;         /* compiler arguments, without the file itself */
    int nargs;
    char *dir;           /* where relative names in args and from libclang start:
                            the compile command's directory, else the user's
                            (absolute; NULL only when that is unknown) */
} rc_input;

typedef struct rc_inputs {
    rc_input *v;
    size_t n, cap;
} rc_inputs;

/* Build the input list.  files may be empty only with a build_dir, which
 * then supplies every C file it knows.  Problems (a missing or malformed
 * database, a bad entry in it, a file that is missing, a directory,
 * unreadable) become error entries in errs; the remaining inputs are still
 * returned. */
void inputs_collect(rc_inputs *in, char **files, int nfiles, char **extra, int nextra,
                    const char *build_dir, rc_findings *errs);
void inputs_free(rc_inputs *in);

/* The input's file as racecheck itself can open it (malloc'd): parse_path,
 * joined to dir when relative, as libclang reads it. */
char *input_path(const rc_input *i);

/* Keep only the inputs keep() accepts; the others are freed. */
void inputs_filter(rc_inputs *in, int (*keep)(const rc_input *i, void *ud), void *ud);

#endif
