/*
 * driver.c -- `racecheck [options] FILE... [-- COMPILER_ARGS]`: the static
 * pipeline, end to end.
 *
 *   inputs (input.c) -> parse (libclang) -> facts (locktype.c, copies.c, ...)
 *   -> checks (check_*.c) -> findings -> reporters (common/report_*.c)
 *
 * The whole pipeline runs on a thread with a large stack: libclang's parser
 * and visitor recurse as deep as the user's expressions nest, and a
 * generated 20 000-term expression must not take racecheck down.
 */
#include "analyzer.h"
#include "checks.h"
#include "cli.h"
#include "input.h"
#include "tu.h"
#include "util.h"
#include "version.h"

#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANALYZER_STACK_SIZE ((size_t)1 << 30)  /* reserved, touched on demand */

typedef struct options {
    rc_output output;
    const char *build_dir;
    const char *checks;      /* --checks, applied after the config's */
    int enabled[16];
    char **files;
    int nfiles;
    char **extra;
    int nextra;
} options;

typedef struct job {
    options *opt;
    rc_findings *out;
} job;

enum { OPT_CHECKS = CLI_OPT_FIRST_FREE, OPT_LIST_CHECKS, OPT_VERSION, OPT_HELP };

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: racecheck [options] FILE... [-- COMPILER_ARGS]\n"
        "       racecheck -p BUILD_DIR [options] [FILE...]\n"
        "       racecheck run [options] FILE.c... [-- COMPILER_ARGS]   (see 'racecheck run --help')\n"
        "       racecheck parse [options] LOG...                       (see 'racecheck parse --help')\n"
        "       racecheck install-hook [--force]                       (a git pre-commit hook)\n"
        "\n"
        "Statically checks C files for concurrency bugs.\n"
        "\n"
        "Options:\n"
        "  -p BUILD_DIR           read compile flags from BUILD_DIR/compile_commands.json;\n"
        "                         with no FILE, analyse every C file it lists\n"
        "  --checks=LIST          enable/disable checks, clang-tidy style: 'copylock',\n"
        "                         '-copylock', '-*,copylock' (globs allowed)\n"
        "  --list-checks          list the checks and exit\n"
        CLI_OUTPUT_HELP
        "  --version              print the version and exit\n"
        "  -h, --help             print this help and exit\n"
        "\n"
        "Arguments after '--' are passed to the compiler for every FILE (-I, -D, -std ...).\n"
        "Suppress a finding with a comment on its line or the line above:\n"
        "  // NOLINT(racecheck-copylock), // NOLINTNEXTLINE(racecheck-*),\n"
        "  // racecheck-ignore[copylock]\n"
        "Defaults come from the nearest .racecheck file (checks, exclude, compile-flags,\n"
        "timeout); the command line wins.\n"
        "\n"
        "Exit status: 0 no findings, 1 findings, 2 usage or input errors.\n");
}

/* The first error diagnostic, as "FILE:LINE:COL: MESSAGE", or NULL. */
static char *first_error(CXTranslationUnit tu)
{
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        char *msg = NULL;
        if (sev >= CXDiagnostic_Error)
            msg = cx_take(clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
                                                        CXDiagnostic_DisplayColumn));
        clang_disposeDiagnostic(d);
        if (msg)
            return msg;
    }
    return NULL;
}

static void analyse_one(CXIndex idx, const rc_input *in, const options *opt,
                        void **states, rc_findings *out)
{
    CXTranslationUnit cx = NULL;
    enum CXErrorCode err = clang_parseTranslationUnit2(
        idx, in->parse_path, (const char *const *)in->args, in->nargs, NULL, 0,
        CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles, &cx);
    if (err != CXError_Success || !cx) {
        findings_error(out, in->display, "libclang could not parse this file (error %d)", err);
        return;
    }
    char *error = first_error(cx);
    if (error) {
        findings_error(out, in->display, "cannot parse: %s", error);
        free(error);
        clang_disposeTranslationUnit(cx);
        return;
    }
    rc_tu tu;
    tu_init(&tu, cx, in->parse_path, in->display);
    rc_unit unit = {&tu, locktype_new()};
    for (unsigned i = 0; i < rc_nchecks; i++)
        if (opt->enabled[i])
            rc_checks[i]->unit(states[i], &unit, out);
    locktype_free(unit.locktypes);
    tu_dispose(&tu);
    clang_disposeTranslationUnit(cx);
}

static void *run_pipeline(void *arg)
{
    job *j = arg;
    options *opt = j->opt;
    rc_inputs inputs = {0};
    inputs_collect(&inputs, opt->files, opt->nfiles, opt->extra, opt->nextra,
                   opt->build_dir, j->out);
    void *states[16] = {0};
    for (unsigned i = 0; i < rc_nchecks; i++)
        if (opt->enabled[i] && rc_checks[i]->begin)
            states[i] = rc_checks[i]->begin();
    CXIndex idx = clang_createIndex(0, 0);
    for (size_t i = 0; i < inputs.n; i++) {
        if (config_excluded(&opt->output.config, inputs.v[i].display))
            continue;
        cli_add_source(&opt->output, inputs.v[i].display);
        analyse_one(idx, &inputs.v[i], opt, states, j->out);
    }
    clang_disposeIndex(idx);
    for (unsigned i = 0; i < rc_nchecks; i++)
        if (opt->enabled[i] && rc_checks[i]->end)
            rc_checks[i]->end(states[i], j->out);
    inputs_free(&inputs);
    return NULL;
}

static int parse_options(int argc, char **argv, options *opt)
{
    static const struct option longopts[] = {
        CLI_OUTPUT_LONGOPTS,
        {"checks", required_argument, NULL, OPT_CHECKS},
        {"list-checks", no_argument, NULL, OPT_LIST_CHECKS},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    /* Everything after the first "--" belongs to the compiler. */
    int nopts = argc;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--")) {
            nopts = i;
            opt->extra = argv + i + 1;
            opt->nextra = argc - i - 1;
            break;
        }
    for (unsigned i = 0; i < rc_nchecks; i++)
        opt->enabled[i] = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(nopts, argv, ":p:o:h", longopts, NULL)) != -1) {
        int r = cli_output_option(&opt->output, c, optarg);
        if (r < 0)
            return 2;
        if (r > 0)
            continue;
        switch (c) {
        case 'p':
            opt->build_dir = optarg;
            break;
        case OPT_CHECKS:
            opt->checks = optarg;
            break;
        case OPT_LIST_CHECKS:
            for (unsigned i = 0; i < rc_nchecks; i++)
                printf("%-16s %s\n", rc_checks[i]->name, rc_checks[i]->summary);
            return 0;
        case OPT_VERSION:
            printf("racecheck %s (libclang: ", RC_VERSION);
            {
                char *v = cx_take(clang_getClangVersion());
                printf("%s)\n", v);
                free(v);
            }
            return 0;
        case 'h':
        case OPT_HELP:
            usage(stdout);
            return 0;
        case ':':
            return cli_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    opt->files = argv + optind;
    opt->nfiles = nopts - optind;
    if (!opt->nfiles && !opt->build_dir)
        return cli_usage_error("no input files");
    return -1;
}

/* Checks: the config's list, then --checks on top, as clang-tidy does. */
static int select_checks(options *opt, const rc_config *cfg, rc_findings *out)
{
    const char *bad;
    size_t len;
    if (cfg->checks && checks_select(cfg->checks, opt->enabled, &bad, &len) < 0)
        findings_error(out, cfg->path, "unknown check '%.*s' in 'checks'", (int)len, bad);
    if (opt->checks && checks_select(opt->checks, opt->enabled, &bad, &len) < 0)
        return cli_usage_error("unknown check '%.*s' in --checks (see --list-checks)",
                               (int)len, bad);
    return -1;
}

/* Compiler arguments: the config's compile-flags, then those after `--`. */
static char **merge_flags(const rc_config *cfg, char **extra, int nextra, int *n)
{
    char **v = xmalloc((cfg->nflags + (size_t)nextra + 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < cfg->nflags; i++)
        v[k++] = cfg->flags[i];
    for (int i = 0; i < nextra; i++)
        v[k++] = extra[i];
    *n = (int)k;
    return v;
}

static rc_rule *rules_of_checks(void)
{
    rc_rule *r = xcalloc(rc_nchecks, sizeof *r);
    for (unsigned i = 0; i < rc_nchecks; i++) {
        r[i].id = rc_checks[i]->name;
        r[i].summary = rc_checks[i]->summary;
        r[i].description = rc_checks[i]->description;
        r[i].help = rc_checks[i]->help;
    }
    return r;
}

int analyzer_main(int argc, char **argv)
{
    options opt = {0};
    cli_output_init(&opt.output);
    int r = parse_options(argc, argv, &opt);
    if (r >= 0)
        return r;

    /* Keep libclang's work on our thread (with our large stack) rather
     * than on its own 8 MB helper thread. */
    setenv("LIBCLANG_NOTHREADS", "1", 1);
    rc_findings out;
    findings_init(&out);
    const rc_config *cfg = cli_config(&opt.output, &out);
    if ((r = select_checks(&opt, cfg, &out)) >= 0) {
        findings_free(&out);
        cli_output_free(&opt.output);
        return r;
    }
    char **user_extra = opt.extra;
    opt.extra = merge_flags(cfg, user_extra, opt.nextra, &opt.nextra);
    rc_rule *rules = rules_of_checks();
    opt.output.rules = rules;
    opt.output.nrules = rc_nchecks;
    job j = {&opt, &out};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, ANALYZER_STACK_SIZE);
    pthread_t th;
    if (pthread_create(&th, &attr, run_pipeline, &j) != 0)
        run_pipeline(&j);  /* no big stack to be had: do our best here */
    else
        pthread_join(th, NULL);
    pthread_attr_destroy(&attr);
    int status = cli_emit(&out, &opt.output);
    findings_free(&out);
    free(opt.extra);
    free(rules);
    cli_output_free(&opt.output);
    return status;
}
