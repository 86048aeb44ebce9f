/*
 * cli.c -- shared command-line handling: output options and the final
 * emit step that turns a findings list into a report and an exit status.
 */
#include "cli.h"
#include "baseline.h"
#include "suppress.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The output options being parsed: a usage error found after --format=json
 * still owes the caller a JSON document. */
static rc_output *parsing;

void cli_output_init(rc_output *o)
{
    parsing = o;
    memset(o, 0, sizeof *o);
    o->format = RC_FORMAT_TEXT;
    o->color = -1;
}

void cli_output_free(rc_output *o)
{
    config_free(&o->config);
    for (size_t i = 0; i < o->nsources; i++)
        free(o->sources[i]);
    free(o->sources);
    o->sources = NULL;
    o->nsources = o->capsources = 0;
}

const rc_config *cli_config(rc_output *o, rc_findings *fs)
{
    if (!o->config_loaded && !o->no_config)
        config_load(&o->config, o->config_path, fs);
    o->config_loaded = 1;
    return &o->config;
}

void cli_add_source(rc_output *o, const char *path)
{
    VEC_PUSH(o->sources, o->nsources, o->capsources, xstrdup(path));
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", rc_progname, msg,
            rc_progname);
    if (parsing && parsing->format != RC_FORMAT_TEXT) {
        rc_findings fs;
        findings_init(&fs);
        findings_error(&fs, NULL, "usage: %s", msg);
        FILE *out = parsing->path && strcmp(parsing->path, "-") ? fopen(parsing->path, "w") : stdout;
        if (out) {
            if (parsing->format == RC_FORMAT_SARIF)
                report_sarif(out, &fs, NULL, 0, "/");
            else
                report_json(out, &fs);
            if (out != stdout)
                fclose(out);
        }
        findings_free(&fs);
    }
    free(msg);
    return 2;
}

int cli_output_option(rc_output *o, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_FORMAT:
        if (report_format_parse(arg, &o->format) < 0) {
            cli_usage_error("unknown format '%s' (expected text, json or sarif)", arg);
            return -1;
        }
        return 1;
    case 'o':
        o->path = arg;
        return 1;
    case CLI_OPT_BASELINE:
        o->baseline = arg;
        return 1;
    case CLI_OPT_WRITE_BASELINE:
        o->write_baseline = arg;
        return 1;
    case CLI_OPT_REPORT_UNUSED:
        o->report_unused = 1;
        return 1;
    case CLI_OPT_CONFIG:
        o->config_path = arg;
        return 1;
    case CLI_OPT_NO_CONFIG:
        o->no_config = 1;
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

static int not_excluded(const rc_finding *f, void *ud)
{
    return !f->file || !config_excluded(ud, f->file);
}

/* The repository root, for SARIF's %SRCROOT%: the nearest directory up
 * from here that holds .git, else the working directory. */
static char *source_root(void)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return xstrdup("/");
    char *dir = xstrdup(cwd);
    for (;;) {
        char *git = xasprintf("%s/.git", dir);
        int found = access(git, F_OK) == 0;
        free(git);
        if (found)
            return dir;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
    }
    free(dir);
    return xstrdup(cwd);
}

int cli_emit(rc_findings *fs, rc_output *o)
{
    findings_filter(fs, not_excluded, (void *)cli_config(o, fs));
    suppress_apply(fs, o->sources, o->nsources, o->report_unused);
    findings_finish(fs);
    if (o->write_baseline)
        baseline_write(o->write_baseline, fs);
    if (o->baseline)
        baseline_filter(o->baseline, fs);
    FILE *out = stdout;
    if (o->path && strcmp(o->path, "-")) {
        out = fopen(o->path, "w");
        if (!out) {
            rc_warn("cannot write '%s': %s", o->path, strerror(errno));
            return 2;
        }
    }
    int color = o->color < 0 ? (out == stdout && isatty(STDOUT_FILENO)) : o->color;
    if (o->format == RC_FORMAT_JSON) {
        report_json(out, fs);
    } else if (o->format == RC_FORMAT_SARIF) {
        char *root = source_root();
        report_sarif(out, fs, o->rules, o->nrules, root);
        free(root);
    } else {
        report_text(out, fs, color);
    }
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
