/*
 * cli.h -- what every racecheck command shares on its command line:
 * the output options (--format, -o, --color) and emitting the result.
 */
#ifndef RC_CLI_H
#define RC_CLI_H

#include "findings.h"
#include "report.h"

typedef struct rc_output {
    rc_format format;
    const char *path;        /* -o FILE, or NULL for stdout */
    int color;               /* -1 auto (a terminal), 0 never, 1 always */
} rc_output;

/* getopt_long ids for the shared options; commands start their own at
 * CLI_OPT_FIRST_FREE. */
enum {
    CLI_OPT_FORMAT = 0x100,
    CLI_OPT_COLOR,
    CLI_OPT_FIRST_FREE
};

#define CLI_OUTPUT_LONGOPTS                                       \
    {"format", required_argument, NULL, CLI_OPT_FORMAT},          \
    {"output", required_argument, NULL, 'o'},                     \
    {"color", optional_argument, NULL, CLI_OPT_COLOR}

#define CLI_OUTPUT_HELP                                                        \
    "  --format=text|json     output format (default: text)\n"                \
    "  -o, --output=FILE      write the report to FILE instead of stdout\n"    \
    "  --color[=WHEN]         colour the text output: auto, always, never\n"

void cli_output_init(rc_output *o);

/* Handle one shared option.  Returns 1 if it was one (and valid), 0 if the
 * option is not a shared one, -1 after printing a usage error. */
int cli_output_option(rc_output *o, int opt, const char *arg);

/* findings_finish(), write the report where asked; returns the exit status
 * (0 clean, 1 findings, 2 errors -- including failing to write the report). */
int cli_emit(rc_findings *fs, const rc_output *o);

/* Print "racecheck: MSG" and "Try 'racecheck --help'." to stderr; returns 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
