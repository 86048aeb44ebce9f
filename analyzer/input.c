/*
 * input.c -- turn the command line (and compile_commands.json) into a list
 * of files to parse, each with its compiler arguments.
 */
#include "input.h"
#include "tu.h"
#include "util.h"

#include <clang-c/CXCompilationDatabase.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct argv_buf {
    char **v;
    size_t n, cap;
} argv_buf;

static void arg_push(argv_buf *a, char *s)
{
    VEC_PUSH(a->v, a->n, a->cap, s);
}

static int has_c_extension(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h") || !strcmp(dot, ".i"));
}

static void add_input(rc_inputs *in, const char *display, const char *parse_path, argv_buf *args)
{
    /* A file named otherwise (.inc, .txt, none) is still C to us; without
     * -x clang would take it for a linker input. */
    if (!has_c_extension(parse_path)) {
        arg_push(args, NULL);
        memmove(args->v + 1, args->v, (args->n - 1) * sizeof *args->v);
        args->v[0] = xstrdup("-xc");
    }
    rc_input i = {xstrdup(display), xstrdup(parse_path), args->v, (int)args->n};
    VEC_PUSH(in->v, in->n, in->cap, i);
    memset(args, 0, sizeof *args);
}

static void input_free(rc_input *i)
{
    free(i->display);
    free(i->parse_path);
    for (int k = 0; k < i->nargs; k++)
        free(i->args[k]);
    free(i->args);
}

void inputs_free(rc_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        input_free(&in->v[i]);
    free(in->v);
    memset(in, 0, sizeof *in);
}

void inputs_filter(rc_inputs *in, int (*keep)(const rc_input *i, void *ud), void *ud)
{
    size_t out = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (keep(&in->v[i], ud))
            in->v[out++] = in->v[i];
        else
            input_free(&in->v[i]);
    }
    in->n = out;
}

/* Can the file be read as a source file?  Names the problem if not. */
static int check_readable(const char *path, rc_findings *errs)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        findings_error(errs, path, "cannot open file: %s", strerror(errno));
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        findings_error(errs, path, "is a directory, not a C file");
        return 0;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        findings_error(errs, path, "cannot read file: %s", strerror(errno));
        return 0;
    }
    close(fd);
    return 1;
}

/* Arguments of a compile command that say what to do with the output,
 * not how to read the input: drop them (the next one too, if `takes`). */
static int dropped_arg(const char *a, int *takes_next)
{
    static const char *const with_value[] = {"-o", "-MF", "-MT", "-MQ"};
    static const char *const alone[] = {"-c", "-S", "-E", "-MD", "-MMD", "-M", "-MM", "-MP"};
    *takes_next = 0;
    for (size_t i = 0; i < sizeof with_value / sizeof *with_value; i++)
        if (!strcmp(a, with_value[i]))
            return *takes_next = 1;
    for (size_t i = 0; i < sizeof alone / sizeof *alone; i++)
        if (!strcmp(a, alone[i]))
            return 1;
    return 0;
}

static int same_file(const char *a, const char *dir, const char *b)
{
    char *full = b[0] == '/' ? xstrdup(b) : xasprintf("%s/%s", dir, b);
    char ra[PATH_MAX], rb[PATH_MAX];
    int same = realpath(a, ra) && realpath(full, rb) && !strcmp(ra, rb);
    free(full);
    return same;
}

static void command_args(CXCompileCommand cmd, const char *file, argv_buf *out)
{
    char *dir = cx_take(clang_CompileCommand_getDirectory(cmd));
    unsigned n = clang_CompileCommand_getNumArgs(cmd);
    for (unsigned i = 1; i < n; i++) {
        CXString s = clang_CompileCommand_getArg(cmd, i);
        const char *a = clang_getCString(s);
        int takes;
        if (dropped_arg(a, &takes)) {
            i += (unsigned)takes;
        } else if (strcmp(a, "--") && !(a[0] != '-' && same_file(file, dir, a))) {
            arg_push(out, xstrdup(a));
        }
        clang_disposeString(s);
    }
    /* Relative -I paths are relative to the command's directory. */
    arg_push(out, xasprintf("-working-directory=%s", dir));
    free(dir);
}

static int is_c_file(const char *path)
{
    size_t n = strlen(path);
    return n > 2 && !strcmp(path + n - 2, ".c");
}

/* The command's file as a normalised absolute path. */
static char *command_file(CXCompileCommand cmd)
{
    CXString fs = clang_CompileCommand_getFilename(cmd);
    CXString ds = clang_CompileCommand_getDirectory(cmd);
    const char *f = clang_getCString(fs);
    char *file = f[0] == '/' ? xstrdup(f) : xasprintf("%s/%s", clang_getCString(ds), f);
    clang_disposeString(fs);
    clang_disposeString(ds);
    char real[PATH_MAX];
    if (realpath(file, real)) {
        free(file);
        file = xstrdup(real);
    }
    return file;
}

static void add_extra(argv_buf *a, char **extra, int nextra)
{
    for (int k = 0; k < nextra; k++)
        arg_push(a, xstrdup(extra[k]));
}

void inputs_collect(rc_inputs *in, char **files, int nfiles, char **extra, int nextra,
                    const char *build_dir, rc_findings *errs)
{
    CXCompilationDatabase db = NULL;
    if (build_dir) {
        CXCompilationDatabase_Error err;
        db = clang_CompilationDatabase_fromDirectory(build_dir, &err);
        if (err != CXCompilationDatabase_NoError || !db) {
            findings_error(errs, build_dir,
                           "cannot load compile_commands.json from this directory");
            db = NULL;
            if (!nfiles)
                return;
        }
    }
    if (db && !nfiles) {
        CXCompileCommands all = clang_CompilationDatabase_getAllCompileCommands(db);
        unsigned n = clang_CompileCommands_getSize(all);
        for (unsigned i = 0; i < n; i++) {
            CXCompileCommand cmd = clang_CompileCommands_getCommand(all, i);
            char *file = command_file(cmd);
            int dup = 0;  /* a file built twice is analysed once */
            for (size_t k = 0; k < in->n && !dup; k++)
                dup = !strcmp(in->v[k].parse_path, file);
            if (is_c_file(file) && !dup && check_readable(file, errs)) {
                argv_buf a = {0};
                command_args(cmd, file, &a);
                add_extra(&a, extra, nextra);
                char *shown = path_display(file);
                add_input(in, shown, file, &a);
                free(shown);
            }
            free(file);
        }
        clang_CompileCommands_dispose(all);
    }
    for (int f = 0; f < nfiles; f++) {
        if (!check_readable(files[f], errs))
            continue;
        argv_buf a = {0};
        char real[PATH_MAX];
        if (db && realpath(files[f], real)) {
            CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(db, real);
            if (clang_CompileCommands_getSize(cmds) > 0)
                command_args(clang_CompileCommands_getCommand(cmds, 0), real, &a);
            else
                rc_warn("%s: not in %s/compile_commands.json; analysing without its flags",
                        files[f], build_dir);
            clang_CompileCommands_dispose(cmds);
        }
        add_extra(&a, extra, nextra);
        /* libclang reads "-x.c" as an option: name such files by path. */
        char *parse_path = files[f][0] == '-' ? xasprintf("./%s", files[f]) : xstrdup(files[f]);
        add_input(in, files[f], db && a.n ? real : parse_path, &a);
        free(parse_path);
    }
    if (db)
        clang_CompilationDatabase_dispose(db);
}
