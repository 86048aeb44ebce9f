/*
 * parse_floor.c -- the floor of any libclang pass: parse each file of a
 * compile_commands.json with clang_parseTranslationUnit2, with the flags
 * of its command, and dispose of it.  Nothing else.  The static benchmark
 * compares racecheck's wall time against this.  Arguments after BUILD_DIR
 * are added to every file's flags: racecheck adds -w, and the benchmark
 * measures the floor both with and without it.
 *
 *   parse_floor BUILD_DIR [EXTRA_ARG...]
 */
#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

/* Is the argument the source file itself?  (Spelt as in the command.) */
static int same_file(const char *arg, const char *file)
{
    size_t a = strlen(arg), f = strlen(file);
    if (!strcmp(arg, file))
        return 1;
    /* "../src/x.c" against "/abs/src/x.c": compare the tails. */
    const char *tail = strrchr(arg, '/');
    return tail && f >= strlen(tail) && !strcmp(file + f - strlen(tail), tail) &&
           a > 2 && !strcmp(arg + a - 2, ".c");
}

int main(int argc, char **argv)
{
    /* Parse on this thread, as racecheck does. */
    setenv("LIBCLANG_NOTHREADS", "1", 1);
    if (argc < 2) {
        fprintf(stderr, "usage: parse_floor BUILD_DIR [EXTRA_ARG...]\n");
        return 2;
    }
    CXCompilationDatabase_Error err;
    CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(argv[1], &err);
    if (err != CXCompilationDatabase_NoError) {
        fprintf(stderr, "parse_floor: no compile_commands.json in %s\n", argv[1]);
        return 2;
    }
    CXIndex idx = clang_createIndex(0, 0);
    CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(db);
    unsigned n = clang_CompileCommands_getSize(cmds), parsed = 0;
    char **seen = calloc(n + 1, sizeof *seen);
    unsigned nseen = 0;
    for (unsigned i = 0; i < n; i++) {
        CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, i);
        CXString file = clang_CompileCommand_getFilename(cmd);
        CXString dir = clang_CompileCommand_getDirectory(cmd);
        const char *f = clang_getCString(file);
        size_t fl = strlen(f);
        if (fl < 2 || strcmp(f + fl - 2, ".c")) {
            clang_disposeString(file);
            clang_disposeString(dir);
            continue;
        }
        /* The same argument handling as racecheck's input.c: drop the
         * compiler, output options and the file; add the directory. */
        unsigned na = clang_CompileCommand_getNumArgs(cmd);
        char **args = calloc(na + (unsigned)argc, sizeof *args);
        int k = 0;
        for (unsigned a = 1; a < na; a++) {
            CXString s = clang_CompileCommand_getArg(cmd, a);
            const char *v = clang_getCString(s);
            if (!strcmp(v, "-o") || !strcmp(v, "-MF") || !strcmp(v, "-MT") || !strcmp(v, "-MQ"))
                a++;
            else if (strcmp(v, "-c") && strcmp(v, "-MD") && strcmp(v, "-MMD") &&
                     strcmp(v, "-MP") && strcmp(v, "--") && !same_file(v, f))
                args[k++] = strdup(v);
            clang_disposeString(s);
        }
        size_t dl = strlen(clang_getCString(dir)) + 32;
        args[k] = malloc(dl);
        snprintf(args[k++], dl, "-working-directory=%s", clang_getCString(dir));
        for (int e = 2; e < argc; e++)
            args[k++] = strdup(argv[e]);
        char *path = f[0] == '/' ? strdup(f) : malloc(dl + fl);
        if (f[0] != '/')
            sprintf(path, "%s/%s", clang_getCString(dir), f);
        /* Like racecheck, a file built twice is parsed once. */
        char real[4096];
        const char *key = realpath(path, real) ? real : path;
        int dup = 0;
        for (unsigned s = 0; s < nseen && !dup; s++)
            dup = !strcmp(seen[s], key);
        if (!dup) {
            seen[nseen++] = strdup(key);
            CXTranslationUnit tu = NULL;
            if (clang_parseTranslationUnit2(idx, path, (const char *const *)args, k, NULL, 0,
                                            CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles,
                                            &tu) == CXError_Success) {
                parsed++;
                clang_disposeTranslationUnit(tu);
            }
        }
        for (int a = 0; a < k; a++)
            free(args[a]);
        free(args);
        free(path);
        clang_disposeString(file);
        clang_disposeString(dir);
    }
    for (unsigned s = 0; s < nseen; s++)
        free(seen[s]);
    free(seen);
    clang_CompileCommands_dispose(cmds);
    clang_disposeIndex(idx);
    clang_CompilationDatabase_dispose(db);
    printf("parsed %u files\n", parsed);
    return 0;
}
