/*
 * fuzz_compdb.c -- libFuzzer target for reading compile_commands.json
 * (analyzer/input.c through libclang's CXCompilationDatabase): any bytes in
 * the database give inputs or clean errors, never a crash.
 */
#include "input.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

/* A scratch directory with a real C file, so that database entries naming
 * "a.c" reach the argument handling rather than stopping at a missing file. */
static void setup(void)
{
    strcpy(dir, "/tmp/rc-fuzz-compdb-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    char path[128];
    snprintf(path, sizeof path, "%s/a.c", dir);
    FILE *f = fopen(path, "w");
    fputs("int x;\n", f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        setup();
    char path[128];
    snprintf(path, sizeof path, "%s/compile_commands.json", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    rc_inputs in = {0};
    rc_findings errs;
    findings_init(&errs);
    inputs_collect(&in, NULL, 0, NULL, 0, dir, &errs);
    inputs_free(&in);
    findings_free(&errs);
    return 0;
}
