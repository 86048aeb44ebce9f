/*
 * fuzz_compdb.c -- libFuzzer target for reading a build's compilation
 * database (analyzer/input.c, with cJSON): any bytes as compile_commands.json,
 * and as compile_flags.txt, give inputs or clean errors, never a crash.
 */
#include "input.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static const char *const scratch[] = {"a.c", "compile_commands.json", "compile_flags.txt"};

static char *in_dir(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void cleanup(void)
{
    for (size_t i = 0; i < sizeof scratch / sizeof *scratch; i++)
        unlink(in_dir(scratch[i]));
    rmdir(dir);
}

/* A scratch directory, removed at exit, with a real C file, so that
 * database entries naming "a.c" reach the argument handling rather than
 * stopping at a missing file. */
static void setup(void)
{
    strcpy(dir, "/tmp/rc-fuzz-compdb-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    atexit(cleanup);
    FILE *f = fopen(in_dir("a.c"), "w");
    if (!f)
        abort();
    fputs("int x;\n", f);
    fclose(f);
}

static int write_file(const char *name, const uint8_t *data, size_t size)
{
    FILE *f = fopen(in_dir(name), "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    return 1;
}

static void collect(char **files, int nfiles)
{
    rc_inputs in = {0};
    rc_findings errs;
    findings_init(&errs);
    inputs_collect(&in, files, nfiles, NULL, 0, dir, &errs);
    inputs_free(&in);
    findings_free(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        setup();
    /* As compile_commands.json: every file it lists. */
    if (write_file("compile_commands.json", data, size))
        collect(NULL, 0);
    unlink(in_dir("compile_commands.json"));
    /* As compile_flags.txt, which needs a file named. */
    char file[128];
    snprintf(file, sizeof file, "%s", in_dir("a.c"));
    char *files[] = {file};
    if (write_file("compile_flags.txt", data, size))
        collect(files, 1);
    unlink(in_dir("compile_flags.txt"));
    return 0;
}
