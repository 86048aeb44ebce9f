/*
 * run.c -- `racecheck run`: build each C file as its own TSan program (or
 * take one already built, --exec), run it with a timeout in a private temp
 * dir, and turn what happened into findings: TSan reports (via log_path
 * files), crashes, hangs (deadlock / timeout), and TSan's own failures.
 * Programs run in parallel (-j); each has its own findings list, merged in
 * input order at the end.
 */
#include "build.h"
#include "cli.h"
#include "hang.h"
#include "runtime.h"
#include "spawn.h"
#include "tempdir.h"
#include "tsan_parse.h"
#include "tsan_report.h"
#include "tsan_supp.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static const char run_help[] =
    "Usage: racecheck run [options] FILE.c... [-- COMPILER_ARGS...]\n"
    "       racecheck run [options] --exec PROGRAM [ARGS...]\n"
    "Build each C file as its own program with ThreadSanitizer\n"
    "(-fsanitize=thread -g -O1 -pthread), run it with stdin from /dev/null and\n"
    "report what TSan found.  With --exec, run an already instrumented program.\n"
    "A program still running after the timeout is inspected with gdb and\n"
    "reported as `deadlock` (a thread blocked acquiring a lock) or `timeout`.\n"
    "\n"
    "Options:\n"
    "  --cc=COMPILER          compiler (default: $CC, else cc); clang and gcc work\n"
    "  --timeout=SEC          per-program time limit (default: 10)\n"
    "  -j, --jobs=N           run N programs in parallel (default: CPUs)\n"
    "  --exec PROGRAM [ARGS]  run PROGRAM instead of building files; the rest of\n"
    "                         the command line is its arguments\n"
    CLI_OUTPUT_HELP TSAN_SUPP_HELP
    "  -h, --help             show this help\n"
    "\n"
    "The program's TSAN_OPTIONS are extended, not replaced: racecheck sets\n"
    "halt_on_error=0, second_deadlock_stack=1, atexit_sleep_ms=0 and others,\n"
    "then appends yours, then its own log_path.  TMPDIR is the run's own\n"
    "directory, removed when the run ends.\n"
    "\n"
    "Every program runs in its own process group; when it ends, the group and\n"
    "anything that left it (setsid, daemons: found by an environment tag) are\n"
    "killed.  On SIGINT, SIGTERM, SIGHUP or SIGQUIT racecheck kills all the\n"
    "programs and compilers it started, removes its temp files and dies of the\n"
    "same signal.\n"
    "\n"
    "Exit status: 0 no findings, 1 findings, 2 errors (a file that does not\n"
    "compile, a program that cannot run, ThreadSanitizer's own fatal errors).\n";

enum { OPT_CC = CLI_OPT_FIRST_FREE, OPT_TIMEOUT };

typedef struct run_ctx {
    const char *cc;
    double timeout;
    char **ccargs;
    size_t nccargs;
    char self[PATH_MAX];     /* this executable, for the no-ASLR helper */
} run_ctx;

typedef struct run_job {
    const char *file;        /* FILE.c, or the --exec program */
    char **exec_argv;        /* --exec: program and its arguments */
    rc_findings fs;
} run_job;

/* --- the environment of a program ----------------------------------------- */

/* The environment tag of one program run: "RACECHECK_JOB=PID.N." (see
 * spawn_kill_tagged); JOB_TAG_VAR "PID." covers all runs of this racecheck. */
#define JOB_TAG_VAR "RACECHECK_JOB="

static char *job_tag(void)
{
    static unsigned long serial;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    unsigned long n = ++serial;
    pthread_mutex_unlock(&lock);
    return xasprintf(JOB_TAG_VAR "%ld.%lu.", (long)getpid(), n);
}

static char **program_env(const char *dir, const char *tag)
{
    char **env = NULL;
    size_t n = 0, cap = 0;
    const char *user = getenv("TSAN_OPTIONS");
    for (char **e = environ; *e; e++) {
        /* (An outer racecheck's tag is kept: it must find these too.) */
        if (!strncmp(*e, "TSAN_OPTIONS=", 13))
            continue;
        /* A sanitized racecheck must not pass its ASan runtime on. */
        if (!strncmp(*e, "LD_PRELOAD=", 11) && strstr(*e, "asan"))
            continue;
        if (!strncmp(*e, "TMPDIR=", 7))
            continue;
        VEC_PUSH(env, n, cap, xstrdup(*e));
    }
    /* The program's temp files go with the run's directory, as the
     * compiler's do (build.c): TSan's runtime makes $TMPDIR/tsan.rodata.PID
     * as it starts and unlinks it a moment later, so a program killed in
     * between (a timeout, racecheck interrupted) left it behind. */
    VEC_PUSH(env, n, cap, xasprintf("TMPDIR=%s", dir));
    VEC_PUSH(env, n, cap,
             xasprintf("TSAN_OPTIONS=halt_on_error=0 second_deadlock_stack=1 "
                       "atexit_sleep_ms=0 color=never history_size=4 exitcode=66 "
                       "handle_abort=1 %s log_path=%s/tsan",
                       user ? user : "", dir));
    VEC_PUSH(env, n, cap, xstrdup(tag));
    VEC_PUSH(env, n, cap, NULL);
    return env;
}

static void free_strv(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

/* Read a log, but of a huge one (a program printing megabytes on stdout)
 * only the first and last LOG_CAP / 2 bytes: TSan's own lines are near
 * either end, and the reports themselves go to log_path files. */
#define LOG_CAP (16u << 20)

static char *read_log(const char *path, size_t *len)
{
    struct stat st;
    if (stat(path, &st) < 0 || (size_t)st.st_size <= LOG_CAP)
        return read_file(path, len);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t half = LOG_CAP / 2;
    char *buf = xmalloc(LOG_CAP + 2);
    size_t a = fread(buf, 1, half, f);
    buf[a++] = '\n';
    size_t b = 0;
    if (fseeko(f, st.st_size - (off_t)half, SEEK_SET) == 0)
        b = fread(buf + a, 1, half, f);
    fclose(f);
    *len = a + b;
    buf[*len] = '\0';
    return buf;
}

/* A log of the run: TSan's log_path files ("tsan.PID", "tsan.EXE.PID"
 * with log_exe_name=1), or the program's own output.  Not the runtime's
 * scratch file "tsan.rodata.PID", left in the run's directory (its
 * TMPDIR) when a program is killed as it starts. */
static int is_log_name(const char *name)
{
    return !strcmp(name, "out.log") ||
           (!strncmp(name, "tsan.", 5) && strncmp(name, "tsan.rodata.", 12));
}

/* Parse every TSan log of the run (log_path files and the program's own
 * output, where early fatal errors land), then delete them. */
static void collect_logs(const char *dir, tsan_log *log)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (!is_log_name(de->d_name))
            continue;
        char *path = xasprintf("%s/%s", dir, de->d_name);
        size_t len;
        char *text = read_log(path, &len);
        if (text)
            tsan_parse(log, text, len);
        free(text);
        unlink(path);
        free(path);
    }
    if (d)
        closedir(d);
}

static int has_crash(const tsan_log *log)
{
    for (size_t i = 0; i < log->n; i++)
        if (log->reports[i].crash)
            return 1;
    return 0;
}

/* --- running one program --------------------------------------------------- */

static void run_program(const run_ctx *c, char *const *argv, const char *dir,
                        const char *origin, rc_findings *fs)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        char *tag = job_tag();
        char **env = program_env(dir, tag);
        char **av = (char **)argv;
        size_t argc = 0;
        while (argv[argc])
            argc++;
        if (attempt) {   /* rerun through the no-ASLR helper, never a shell */
            av = xcalloc(argc + 4, sizeof *av);
            av[0] = (char *)c->self;
            av[1] = "run";
            av[2] = "--internal-noaslr";
            memcpy(av + 3, argv, (argc + 1) * sizeof *av);
        }
        char *out = xasprintf("%s/out.log", dir);
        spawn_opts o = {av, env, "/dev/null", out};
        pid_t pid;
        int err = spawn_start(&o, &pid);
        free(out);
        if (attempt)
            free(av);
        free_strv(env);
        if (err) {
            findings_error(fs, origin, "cannot run '%s': %s", argv[0], strerror(err));
            free(tag);
            return;
        }
        int code = 0;
        int r = spawn_wait(pid, c->timeout, &code);
        if (r == SPAWN_TIMEOUT) {
            hang_report(pid, c->timeout, dir, origin, fs);
            spawn_kill(pid);
        }
        /* Whatever escaped the process group (setsid, daemons). */
        spawn_kill_tagged(tag);
        free(tag);
        tsan_log log;
        tsan_log_init(&log);
        collect_logs(dir, &log);
        if (log.memory_mapping && !attempt && r != SPAWN_TIMEOUT) {
            tsan_log_free(&log);
            continue;   /* high-entropy ASLR: once more with it off */
        }
        tsan_log_findings(&log, fs, origin);
        if (r == SPAWN_SIGNALED && !has_crash(&log)) {
            const char *name = sigabbrev_np(code);
            rc_finding *f = findings_add(fs, "crash", "dynamic", origin, 0, 0, NULL,
                                         "crash: program killed by signal %d (SIG%s: %s)",
                                         code, name ? name : "?", sigdescr_np(code));
            f->severity = "error";
        }
        tsan_log_free(&log);
        return;
    }
}

static char *program_name(const char *dir, const char *src)
{
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    size_t n = strlen(base);
    if (n > 2 && !strcmp(base + n - 2, ".c"))
        n -= 2;
    char *name = xstrndup(base, n);
    char *path = xasprintf("%s/%s", dir, *name ? name : "prog");
    free(name);
    return path;
}

static void run_job_do(const run_ctx *c, run_job *j)
{
    findings_init(&j->fs);
    if (!j->exec_argv && access(j->file, R_OK) < 0) {
        findings_error(&j->fs, j->file, "cannot read: %s", strerror(errno));
        return;
    }
    char *dir = tempdir_make();
    if (!dir) {
        findings_error(&j->fs, j->file, "cannot create a temporary directory: %s",
                       strerror(errno));
        return;
    }
    if (j->exec_argv) {
        run_program(c, j->exec_argv, dir, j->file, &j->fs);
    } else {
        char *prog = program_name(dir, j->file);
        char *cclog = xasprintf("%s/cc.log", dir);
        char *err = NULL;
        if (build_tsan(c->cc, j->file, prog, c->ccargs, c->nccargs, cclog, &err) == 0) {
            char *argv[] = {prog, NULL};
            run_program(c, argv, dir, j->file, &j->fs);
        } else {
            findings_error(&j->fs, j->file, "%s", err);
        }
        free(err);
        free(cclog);
        free(prog);
    }
    tempdir_remove(dir);
}

/* --- parallel driver ----------------------------------------------------------- */

typedef struct pool {
    const run_ctx *ctx;
    run_job *jobs;
    size_t njobs, next;
    pthread_mutex_t lock;
} pool;

static void *pool_worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->njobs)
            return NULL;
        run_job_do(p->ctx, &p->jobs[i]);
    }
}

static void run_all(const run_ctx *c, run_job *jobs, size_t njobs, long nthreads)
{
    pool p = {c, jobs, njobs, 0, PTHREAD_MUTEX_INITIALIZER};
    if (nthreads > (long)njobs)
        nthreads = (long)njobs;
    pthread_t *tids = xcalloc((size_t)nthreads, sizeof *tids);
    long started = 0;
    for (; started < nthreads - 1; started++)
        if (pthread_create(&tids[started], NULL, pool_worker, &p))
            break;
    pool_worker(&p);   /* the calling thread works too */
    for (long i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
}

/* --- fatal signals ------------------------------------------------------------ */

/* On SIGINT, SIGTERM, SIGHUP or SIGQUIT (taken by tempdir.c's thread): kill
 * the process groups of all running programs (and compilers, gdb) and
 * whatever they left outside them, before the temp dirs go. */
static void kill_programs(void)
{
    spawn_kill_all_and_freeze();
    char *all = xasprintf(JOB_TAG_VAR "%ld.", (long)getpid());
    spawn_kill_tagged(all);
    free(all);
}

/* --- the command -------------------------------------------------------------- */

static int noaslr_exec(char **argv)
{
    int cur = personality(0xffffffff);
    if (cur != -1)
        personality((unsigned long)cur | ADDR_NO_RANDOMIZE);
    execvp(argv[0], argv);
    fprintf(stderr, "%s: cannot run '%s': %s\n", rc_progname, argv[0], strerror(errno));
    return 127;
}

int runtime_run_main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "--internal-noaslr"))
        return noaslr_exec(argv + 2);

    /* Split off "-- COMPILER_ARGS" and "--exec PROGRAM ARGS" before getopt. */
    int nopts = argc;
    char **ccargs = NULL, **exec_argv = NULL;
    size_t nccargs = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            ccargs = argv + i + 1;
            nccargs = (size_t)(argc - i - 1);
            nopts = i;
            break;
        }
        if (!strcmp(argv[i], "--exec")) {
            if (i + 1 >= argc)
                return cli_usage_error("run: --exec needs a program");
            exec_argv = argv + i + 1;
            nopts = i;
            break;
        }
    }
    static const struct option longopts[] = {
        CLI_OUTPUT_LONGOPTS,
        {"cc", required_argument, NULL, OPT_CC},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"jobs", required_argument, NULL, 'j'},
        TSAN_SUPP_LONGOPT,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    rc_output out;
    cli_output_init(&out);
    run_ctx c = {build_default_cc(), 10, ccargs, nccargs, ""};
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    char *end;
    int opt, timeout_given = 0;
    const char *supp = NULL;
    optind = 1;
    while ((opt = getopt_long(nopts, argv, "hj:o:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(run_help, stdout);
            return 0;
        case OPT_CC:
            c.cc = optarg;
            continue;
        case TSAN_SUPP_OPT:
            supp = optarg;
            continue;
        case OPT_TIMEOUT:
            c.timeout = strtod(optarg, &end);
            if (*end || end == optarg || !(c.timeout > 0))
                return cli_usage_error("run: bad --timeout '%s' (seconds > 0)", optarg);
            timeout_given = 1;
            continue;
        case 'j':
            jobs = strtol(optarg, &end, 10);
            if (*end || end == optarg || jobs < 1)
                return cli_usage_error("run: bad --jobs '%s'", optarg);
            continue;
        default:
            break;
        }
        int r = cli_output_option(&out, opt, optarg);
        if (r < 0)
            return 2;
        if (r == 0)
            return cli_usage_error("run: unknown option");
    }
    if (jobs < 1)
        jobs = 1;
    if (exec_argv && optind < nopts)
        return cli_usage_error("run: give either FILE.c... or --exec PROGRAM, not both");
    if (!exec_argv && optind >= nopts)
        return cli_usage_error("run: no input files");
    ssize_t n = readlink("/proc/self/exe", c.self, sizeof c.self - 1);
    c.self[n > 0 ? n : 0] = '\0';

    /* The project config supplies defaults; the command line wins. */
    rc_findings fs;
    findings_init(&fs);
    const rc_config *cfg = cli_config(&out, &fs);
    if (!timeout_given && cfg->timeout)
        c.timeout = cfg->timeout;
    char **merged = xmalloc((cfg->nflags + nccargs + 1) * sizeof *merged);
    for (size_t i = 0; i < cfg->nflags; i++)
        merged[i] = cfg->flags[i];
    for (size_t i = 0; i < nccargs; i++)
        merged[cfg->nflags + i] = ccargs[i];
    c.ccargs = merged;
    c.nccargs = cfg->nflags + nccargs;

    size_t nfiles = exec_argv ? 1 : (size_t)(nopts - optind), njobs = 0;
    run_job *js = xcalloc(nfiles, sizeof *js);
    for (size_t i = 0; i < nfiles; i++) {
        const char *file = exec_argv ? exec_argv[0] : argv[optind + (int)i];
        if (!exec_argv && config_excluded(cfg, file))
            continue;
        if (!exec_argv)
            cli_add_source(&out, file);
        js[njobs].file = file;
        js[njobs++].exec_argv = exec_argv;
    }
    tempdir_install_signals(kill_programs, "programs killed, temp files removed");
    spawn_become_reaper();
    run_all(&c, js, njobs, jobs);
    for (size_t i = 0; i < njobs; i++)
        findings_move(&fs, &js[i].fs);
    free(js);
    tsan_supps_run(supp, out.report_unused, &fs);
    int status = cli_emit(&fs, &out);
    findings_free(&fs);
    free(merged);
    cli_output_free(&out);
    return status;
}
