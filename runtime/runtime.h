/*
 * runtime.h -- entry points of the dynamic half (ThreadSanitizer).
 */
#ifndef RC_RUNTIME_H
#define RC_RUNTIME_H

/* `racecheck run ...`: argv[0] is "run". Returns the exit status. */
int runtime_run_main(int argc, char **argv);
/* `racecheck parse ...`: argv[0] is "parse". Returns the exit status. */
int runtime_parse_main(int argc, char **argv);

#endif
