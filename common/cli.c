/*
 * cli.c -- shared command-line handling: output options and the final
 * emit step that turns a findings list into a report and an exit status.
 */
#include "cli.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void cli_output_init(rc_output *o)
{
    o->format = RC_FORMAT_TEXT;
    o->path = NULL;
    o->color = -1;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", rc_progname);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", rc_progname);
    va_end(ap);
    return 2;
}

int cli_output_option(rc_output *o, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_FORMAT:
        if (report_format_parse(arg, &o->format) < 0) {
            cli_usage_error("unknown format '%s' (expected text or json)", arg);
            return -1;
        }
        return 1;
    case 'o':
        o->path = arg;
        return 1;
    case CLI_OPT_COLOR:
        if (!arg || !strcmp(arg, "always"))
            o->color = 1;
        else if (!strcmp(arg, "never"))
            o->color = 0;
        else if (!strcmp(arg, "auto"))
            o->color = -1;
        else {
            cli_usage_error("unknown --color value '%s'", arg);
            return -1;
        }
        return 1;
    default:
        return 0;
    }
}

int cli_emit(rc_findings *fs, const rc_output *o)
{
    findings_finish(fs);
    FILE *out = stdout;
    if (o->path && strcmp(o->path, "-")) {
        out = fopen(o->path, "w");
        if (!out) {
            rc_warn("cannot write '%s': %s", o->path, strerror(errno));
            return 2;
        }
    }
    int color = o->color < 0 ? (out == stdout && isatty(STDOUT_FILENO)) : o->color;
    if (o->format == RC_FORMAT_JSON)
        report_json(out, fs);
    else
        report_text(out, fs, color);
    int status = findings_exit_status(fs);
    if (out != stdout ? fclose(out) != 0 : fflush(out) != 0) {
        rc_warn("cannot write '%s': %s", o->path ? o->path : "<stdout>", strerror(errno));
        status = 2;
    }
    /* Errors also go to stderr in machine formats, one line each, so that a
     * human watching a CI log still sees why the run failed. */
    if (o->format != RC_FORMAT_TEXT || out != stdout)
        for (size_t i = 0; i < fs->nerrors; i++)
            fprintf(stderr, "%s: error: %s\n",
                    fs->errors[i].file ? fs->errors[i].file : rc_progname,
                    fs->errors[i].message);
    return status;
}
