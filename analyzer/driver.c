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
#include "pipeline.h"
#include "tempdir.h"
#include "tu.h"
#include "util.h"
#include "version.h"

#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


typedef struct options {
    rc_output output;
    const char *build_dir;
    unsigned jobs;           /* -j: parallel translation units */
    const char *cache_dir;   /* --cache-dir, or NULL for the default */
    int no_cache;
    rc_pch_mode pch;         /* --pch */
    int time_report;         /* --time-report */
    const char *checks;      /* --checks, applied after the config's */
    int enabled[16];
    char **files;
    int nfiles;
    char **extra;
    int nextra;
} options;


enum {
    OPT_CHECKS = CLI_OPT_FIRST_FREE, OPT_LIST_CHECKS, OPT_VERSION, OPT_HELP,
    OPT_CACHE_DIR, OPT_NO_CACHE, OPT_PCH, OPT_TIME_REPORT
};

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
        "  -j, --jobs=N           analyse N files in parallel (default: number of CPUs)\n"
        "  --cache-dir=DIR        keep results of unchanged files in DIR\n"
        "                         (default: $XDG_CACHE_HOME/racecheck or ~/.cache/racecheck)\n"
        "  --no-cache             neither read nor write the result cache\n"
        "  --pch=WHEN             precompile the #include lines that begin many files\n"
        "                         alike once, in a temp dir: 'auto' (default) when it\n"
        "                         saves time, 'always', 'never'; the findings are the same\n"
        "  --time-report          print to stderr where the run's time went\n"
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

static int not_excluded(const rc_input *in, void *ud)
{
    return !config_excluded(ud, in->display);
}

/* --time-report.  What runs on one thread while the others wait (the
 * inputs, planning, loading libclang, the fold, the whole-program pass)
 * bounds what more workers can gain, by Amdahl's law: a run on one thread
 * takes that plus the units' work (the workers' busy time, less the time
 * each of them waited for libclang), and N workers share only the latter.
 * Of the load, only the longest wait is on that one thread: the rest
 * overlapped the inputs and planning (cx_preload). */
static void time_report(double inputs, const rc_timings *t)
{
    double all = inputs + t->plan + t->units + t->fold + t->whole;
    double serial = inputs + t->plan + t->wait + t->fold + t->whole;
    double work = t->busy - t->waited;
    if (work < 0)
        work = 0;
    unsigned n = t->workers > 1 ? t->workers : 2;
    fprintf(stderr, "racecheck: time report, %.3f s in all:\n", all);
    fprintf(stderr, "  inputs              %7.3f s\n", inputs);
    fprintf(stderr, "  planning            %7.3f s\n", t->plan);
    fprintf(stderr, "  parse and check     %7.3f s  %zu units analysed, %zu from the cache; "
                    "%u workers, busy %.3f s\n",
            t->units, t->analysed, t->cached, t->workers, t->busy);
    fprintf(stderr, "    loading libclang  %7.3f s  the workers waited %.3f s for it\n", t->load,
            t->wait);
    fprintf(stderr, "  fold                %7.3f s\n", t->fold);
    fprintf(stderr, "  whole program       %7.3f s\n", t->whole);
    if (serial + work > 0)
        fprintf(stderr, "  on one thread       %7.3f s  %.1f%% of the work: %u workers gain "
                        "at most %.2fx\n",
                serial, 100 * serial / (serial + work), n,
                (serial + work) / (serial + work / n));
}

/* inputs -> (cache | parse -> facts -> checks) -> whole-program pass. */
static void analyse(options *opt, rc_findings *out)
{
    double start = rc_now();
    /* Without the cache every file is parsed: start loading libclang now,
     * while the inputs are read and planned (it is 70-90 ms of
     * relocating libLLVM, on one thread). */
    if (opt->no_cache)
        cx_preload();
    rc_inputs inputs = {0};
    inputs_collect(&inputs, opt->files, opt->nfiles, opt->extra, opt->nextra,
                   opt->build_dir, out);
    inputs_filter(&inputs, not_excluded, &opt->output.config);
    for (size_t i = 0; i < inputs.n; i++)
        cli_add_source(&opt->output, inputs.v[i].display);
    rc_cache *cache = NULL;
    if (!opt->no_cache) {
        char *dir = opt->cache_dir ? xstrdup(opt->cache_dir) : cache_default_dir();
        cache = cache_open(dir);
        free(dir);
    }
    rc_timings times = {0};
    double inputs_done = rc_now();
    pipeline_run(&inputs, opt->enabled, opt->jobs, cache, opt->pch, out,
                 opt->time_report ? &times : NULL);
    if (opt->time_report)
        time_report(inputs_done - start, &times);
    cache_close(cache);
    inputs_free(&inputs);
}

static int parse_options(int argc, char **argv, options *opt)
{
    static const struct option longopts[] = {
        CLI_OUTPUT_LONGOPTS,
        {"checks", required_argument, NULL, OPT_CHECKS},
        {"list-checks", no_argument, NULL, OPT_LIST_CHECKS},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, OPT_HELP},
        {"jobs", required_argument, NULL, 'j'},
        {"cache-dir", required_argument, NULL, OPT_CACHE_DIR},
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},
        {"pch", required_argument, NULL, OPT_PCH},
        {"time-report", no_argument, NULL, OPT_TIME_REPORT},
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
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    opt->jobs = ncpu > 0 ? (unsigned)ncpu : 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(nopts, argv, ":p:o:hj:", longopts, NULL)) != -1) {
        int r = cli_output_option(&opt->output, c, optarg);
        if (r < 0)
            return 2;
        if (r > 0)
            continue;
        switch (c) {
        case 'p':
            opt->build_dir = optarg;
            break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || end == optarg || n < 1 || n > 1024)
                return cli_usage_error("-j needs a number of jobs from 1 to 1024, not '%s'", optarg);
            opt->jobs = (unsigned)n;
            break;
        }
        case OPT_CACHE_DIR:
            opt->cache_dir = optarg;
            break;
        case OPT_PCH:
            if (!strcmp(optarg, "auto"))
                opt->pch = PCH_AUTO;
            else if (!strcmp(optarg, "always"))
                opt->pch = PCH_ALWAYS;
            else if (!strcmp(optarg, "never"))
                opt->pch = PCH_NEVER;
            else
                return cli_usage_error("--pch takes auto, always or never, not '%s'", optarg);
            break;
        case OPT_TIME_REPORT:
            opt->time_report = 1;
            break;
        case OPT_NO_CACHE:
            opt->no_cache = 1;
            break;
        case OPT_CHECKS:
            opt->checks = optarg;
            break;
        case OPT_LIST_CHECKS:
            for (unsigned i = 0; i < rc_nchecks; i++)
                printf("%-16s %s\n", rc_checks[i]->name, rc_checks[i]->summary);
            return 0;
        case OPT_VERSION:
            if (cx_load() < 0) {
                printf("racecheck %s (%s)\n", RC_VERSION, cx_error());
                return 0;
            }
            {
                char *v = cx_take(clang_getClangVersion());
                printf("racecheck %s (libclang: %s)\n", RC_VERSION, v);
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

    /* Keep libclang's work on the pipeline's threads (with their large
     * stacks) rather than on its own 8 MB helper thread. */
    setenv("LIBCLANG_NOTHREADS", "1", 1);
    /* Before any thread: shared preambles live in a temp dir. */
    tempdir_install_signals(NULL, "temp files removed");
#ifdef __GLIBC__
    /* Every unit allocates and frees the same tens of megabytes.  By
     * default glibc gives large blocks back to the kernel as they are
     * freed (blocks it mmap()ed, the top of a heap) and the next unit
     * faults them in again: 7% of the wall time of a parse-only run
     * (--checks='-*') over the generated corpus, 1-3% of a full run on
     * it, zstd and mosquitto.  Keep them. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
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
    analyse(&opt, &out);
    int status = cli_emit(&out, &opt.output);
    findings_free(&out);
    free(opt.extra);
    free(rules);
    cli_output_free(&opt.output);
    return status;
}
