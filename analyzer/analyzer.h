/*
 * analyzer.h -- entry point of the static half (libclang).
 */
#ifndef RC_ANALYZER_H
#define RC_ANALYZER_H

/* `racecheck [options] FILE... [-- COMPILER_ARGS]`. Returns the exit status. */
int analyzer_main(int argc, char **argv);

#endif
