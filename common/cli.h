/*
 * cli.h -- what every racecheck command shares on its command line:
 * the output options (--format, -o, --color) and emitting the result.
 */
#ifndef RC_CLI_H
#define RC_CLI_H

#include "config.h"
#include "findings.h"
#include "report.h"

typedef struct rc_output {
    rc_format format;
    const char *path;        /* -o FILE, or NULL for stdout */
    int color;               /* -1 auto (a terminal), 0 never, 1 always */
    const char *baseline;    /* --baseline FILE */
    const char *write_baseline;  /* --write-baseline FILE */
    int report_unused;       /* --report-unused-suppressions */
    const char *config_path; /* --config FILE */
    int no_config;           /* --no-config */
    rc_config config;        /* loaded by cli_config() */
    int config_loaded;
    char **sources;          /* source files the command read (for suppressions) */
    size_t nsources, capsources;
    const rc_rule *rules;    /* what the command can report (for SARIF) */
    size_t nrules;
} rc_output;

/* getopt_long ids for the shared options; commands start their own at
 * CLI_OPT_FIRST_FREE. */
enum {
    CLI_OPT_FORMAT = 0x100,
    CLI_OPT_COLOR,
    CLI_OPT_BASELINE,
    CLI_OPT_WRITE_BASELINE,
    CLI_OPT_REPORT_UNUSED,
    CLI_OPT_CONFIG,
    CLI_OPT_NO_CONFIG,
    CLI_OPT_FIRST_FREE
};

#define CLI_OUTPUT_LONGOPTS                                                 \
    {"format", required_argument, NULL, CLI_OPT_FORMAT},                    \
    {"output", required_argument, NULL, 'o'},                               \
    {"color", optional_argument, NULL, CLI_OPT_COLOR},                      \
    {"baseline", required_argument, NULL, CLI_OPT_BASELINE},                \
    {"write-baseline", required_argument, NULL, CLI_OPT_WRITE_BASELINE},    \
    {"report-unused-suppressions", no_argument, NULL, CLI_OPT_REPORT_UNUSED}, \
    {"config", required_argument, NULL, CLI_OPT_CONFIG},                    \
    {"no-config", no_argument, NULL, CLI_OPT_NO_CONFIG}

#define CLI_OUTPUT_HELP                                                              \
    "  --format=text|json|sarif  output format (default: text)\n"                   \
    "  -o, --output=FILE      write the report to FILE instead of stdout\n"          \
    "  --color[=WHEN]         colour the text output: auto, always, never\n"         \
    "  --baseline=FILE        report only findings not recorded in FILE\n"           \
    "  --write-baseline=FILE  record the current findings in FILE\n"                 \
    "  --report-unused-suppressions\n"                                               \
    "                         report suppression comments that silence nothing\n"    \
    "  --config=FILE          read FILE instead of the nearest .racecheck\n"         \
    "  --no-config            read no .racecheck file\n"

void cli_output_init(rc_output *o);
void cli_output_free(rc_output *o);

/* Load the project config (once); a malformed one adds an error to fs. */
const rc_config *cli_config(rc_output *o, rc_findings *fs);

/* Remember a source file the command read, for suppression comments. */
void cli_add_source(rc_output *o, const char *path);

/* Handle one shared option.  Returns 1 if it was one (and valid), 0 if the
 * option is not a shared one, -1 after printing a usage error. */
int cli_output_option(rc_output *o, int opt, const char *arg);

/* The last steps before output, in order: drop findings in excluded paths
 * and those a suppression comment silences, findings_finish(), write
 * and/or apply the baseline, then write the report where asked.  Returns
 * the exit status (0 clean, 1 findings, 2 errors -- including failing to
 * write the report). */
int cli_emit(rc_findings *fs, rc_output *o);

/* Print "racecheck: MSG" and "Try 'racecheck --help'." to stderr; returns 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
