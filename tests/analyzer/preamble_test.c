/*
 * preamble_test.c -- shared preambles (analyzer/preamble.c): where a
 * file's preamble ends, which units share one, and that a unit parsed from
 * a precompiled preamble is the unit parsed alone: same declarations at
 * the same lines, macros from the headers, unguarded headers read once,
 * errors after the preamble still errors, and no file left behind.
 *
 *   preamble_test          (works in a temp dir of its own)
 */
#include "input.h"
#include "preamble.h"
#include "tu.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures, checks;

#define CHECK(cond, ...)                                                           \
    do {                                                                           \
        checks++;                                                                  \
        if (!(cond)) {                                                             \
            fprintf(stderr, "FAIL (line %d): ", __LINE__);                         \
            fprintf(stderr, __VA_ARGS__);                                          \
            fputc('\n', stderr);                                                   \
            failures++;                                                            \
        }                                                                          \
    } while (0)

static size_t end_of(const char *text)
{
    return preamble_end(text, strlen(text));
}

/* Where the preamble ends, and where it must stop. */
static void test_scan(void)
{
    const char *two = "#include <a.h>\n#include \"b.h\"\n";
    CHECK(end_of(two) == strlen(two), "two includes: %zu", end_of(two));
    CHECK(end_of("int x;\n") == 0, "code first");
    CHECK(end_of("") == 0, "empty");
    CHECK(end_of("#include <a.h>") == 0, "no newline after the last line");
    const char *pre = "/* licence\n * text */\n\n// note\n  #  include <a.h> // why\n";
    CHECK(end_of(pre) == strlen(pre), "comments, blanks, spacing: %zu", end_of(pre));
    const char *body = "#include <a.h>\nint f(void);\n#include <b.h>\n";
    CHECK(end_of(body) == strlen("#include <a.h>\n"), "stops at code: %zu", end_of(body));
    /* Macros: part of it (feature-test macros come first), but a preamble
     * needs an #include. */
    const char *def = "#define _GNU_SOURCE\n#include <a.h>\n#define X(a) (a)\n#undef Y\n";
    CHECK(end_of(def) == strlen(def), "#define and #undef: %zu", end_of(def));
    CHECK(end_of("#define X 1\n#define Y 2\n") == 0, "no #include");
    const char *prag = "#include <a.h>\n#pragma pack(1)\n#include <b.h>\n";
    CHECK(end_of(prag) == strlen("#include <a.h>\n"), "stops at #pragma: %zu", end_of(prag));
    /* Conditionals: only whole ones. */
    const char *cond = "#include <a.h>\n#ifdef HAVE_B\n#include <b.h>\n#else\n#include <c.h>\n"
                       "#endif\n";
    CHECK(end_of(cond) == strlen(cond), "balanced #ifdef: %zu", end_of(cond));
    const char *open = "#include <a.h>\n#if X\n#include <b.h>\nint y;\n#endif\n";
    CHECK(end_of(open) == strlen("#include <a.h>\n"), "open #if: %zu", end_of(open));
    CHECK(end_of("#endif\n#include <a.h>\n") == 0, "#endif without #if");
    /* Lines that would reach into the next one. */
    const char *cont = "#include <a.h>\n#include \\\n  <b.h>\n";
    CHECK(end_of(cont) == strlen("#include <a.h>\n"), "continued line: %zu", end_of(cont));
    const char *cmt = "#include <a.h>\n#include <b.h> /* open\n#include <c.h> */\n";
    CHECK(end_of(cmt) == strlen("#include <a.h>\n"), "comment left open: %zu", end_of(cmt));
    const char *odd = "#include <a/*b.h>\n#include \"c//d.h\"\n";
    CHECK(end_of(odd) == strlen(odd), "comment marks inside names: %zu", end_of(odd));
    const char *crlf = "\xEF\xBB\xBF#include <a.h>\r\n#include <b.h>\r\nint x;\r\n";
    CHECK(end_of(crlf) == strlen("\xEF\xBB\xBF#include <a.h>\r\n#include <b.h>\r\n"),
          "BOM and CRLF: %zu", end_of(crlf));
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    fclose(f);
}

static int dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n == 0;
}

/* The header has no include guard: read twice, its struct would be
 * defined twice. */
static const char shared_h[] =
    "#include <pthread.h>\n"
    "#include <stdio.h>\n"
    "struct counter { pthread_mutex_t mu; long n; };\n"
    "#define BUMP(c) ((c)->n++)\n"
    "static inline void counter_add(struct counter *c) { BUMP(c); }\n";

/* Line 5 of every file defines `use`, whatever its own preamble holds;
 * STEP comes from the preamble (the unit would not parse without it). */
static const char *const units[][2] = {
    {"a.c", "#define STEP 1\n#include \"shared.h\"\n#include <stdlib.h>\n\nvoid use(struct counter *c) { BUMP(c); c->n += STEP; }\n"},
    {"b.c", "#define  STEP  1 /* one */\n#include \"shared.h\"   // shared\n#include <stdlib.h>\n\nvoid use(struct counter *c) { counter_add(c); c->n -= STEP; }\n"},
    {"c.c", "/* c */\n#define STEP 1\n#include \"shared.h\"\n#include <stdlib.h>\nvoid use(struct counter *c) { c->n = STEP; }\n"},
    {"d.c", "#define STEP 1\n#include \"shared.h\"\n#include <stdlib.h>\n\nvoid use(struct counter *c) { c->missing++; }\n"},
    {"e.c", "#define STEP 2\n#include \"shared.h\"\n#include <stdlib.h>\n\nvoid use(struct counter *c) { c->n = STEP; }\n"},
};
#define NUNITS (sizeof units / sizeof units[0])

/* The line of the main file's definition of `use` (0: none). */
static enum CXChildVisitResult find_use(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    char *name = cx_spelling(c);
    if (!strcmp(name, "use") && clang_isCursorDefinition(c)) {
        clang_getSpellingLocation(clang_getCursorLocation(c), NULL, (unsigned *)d, NULL, NULL);
    }
    free(name);
    return CXChildVisit_Continue;
}

static void test_sharing(CXIndex idx, rc_pch_mode mode, size_t want_used)
{
    char **files = xmalloc(NUNITS * sizeof *files);
    for (size_t i = 0; i < NUNITS; i++)
        files[i] = (char *)units[i][0];
    rc_inputs in = {0};
    rc_findings errs;
    findings_init(&errs);
    inputs_collect(&in, files, (int)NUNITS, NULL, 0, NULL, &errs);
    CHECK(in.n == NUNITS && !errs.n, "inputs: %zu, errors %zu", in.n, errs.n);
    size_t *todo = xmalloc(in.n * sizeof *todo);
    for (size_t i = 0; i < in.n; i++)
        todo[i] = i;
    rc_preambles *p = preambles_plan(&in, todo, in.n, mode);
    CHECK((p != NULL) == (want_used > 0), "mode %d: plan %p", (int)mode, (void *)p);
    for (size_t i = 0; i < in.n; i++) {
        CXTranslationUnit tu = NULL;
        enum CXErrorCode err = preambles_parse(p, idx, &in, i, 0, &tu);
        CHECK(err == CXError_Success && tu, "%s: parse failed", units[i][0]);
        if (!tu)
            continue;
        char *error = tu_first_error(tu);
        /* d.c's error comes after its preamble: it is reported as alone. */
        if (i == 3)
            CHECK(error && strstr(error, "d.c:5:") && strstr(error, "missing"),
                  "d.c: error %s", error ? error : "(none)");
        else
            CHECK(!error, "%s: %s", units[i][0], error);
        free(error);
        unsigned line = 0;
        clang_visitChildren(clang_getTranslationUnitCursor(tu), find_use, &line);
        CHECK(line == 5, "%s: use() at line %u, want 5", units[i][0], line);
        clang_disposeTranslationUnit(tu);
        preambles_done(p, i);
    }
    size_t used = preambles_used(p);
    CHECK(used == want_used, "mode %d: %zu units from a preamble, want %zu", (int)mode, used,
          want_used);
    preambles_free(p);
    free(todo);
    inputs_free(&in);
    findings_free(&errs);
    free(files);
}

int main(void)
{
    test_scan();

    char tmpl[] = "/tmp/preamble_test.XXXXXX";
    char *work = mkdtemp(tmpl);
    if (!work || chdir(work) < 0 || cx_load() < 0) {
        fprintf(stderr, "preamble_test: cannot set up (%s)\n", work ? cx_error() : "mkdtemp");
        return 2;
    }
    /* The preambles' temp dir goes here, to be seen gone afterwards. */
    char *tmp = xasprintf("%s/tmp", work);
    mkdir(tmp, 0700);
    setenv("TMPDIR", tmp, 1);
    write_file("shared.h", shared_h);
    for (size_t i = 0; i < NUNITS; i++)
        write_file(units[i][0], units[i][1]);
    CXIndex idx = clang_createIndex(0, 0);

    /* a, b, c and d share their #define, `shared.h` and <stdlib.h>
     * (comments and spacing aside); e's other STEP keeps it out.  The first of them parses alone, the second precompiles, and
     * d's error makes it parse again alone: b and c are left. */
    test_sharing(idx, PCH_ALWAYS, 2);
    CHECK(dir_is_empty(tmp), "temp files left in %s", tmp);
    /* Four units are too few for auto; never is never. */
    test_sharing(idx, PCH_AUTO, 0);
    test_sharing(idx, PCH_NEVER, 0);

    clang_disposeIndex(idx);
    for (size_t i = 0; i < NUNITS; i++)
        unlink(units[i][0]);
    unlink("shared.h");
    rmdir(tmp);
    free(tmp);
    if (chdir("/") < 0 || rmdir(work) < 0)
        CHECK(0, "cannot remove %s", work);
    printf("%d checks, %d failed\n", checks, failures);
    return failures != 0;
}
