/*
 * report_text.c -- the compiler-style text reporter, as clang prints:
 *
 *   src/a.c:12:5: warning: assignment copies lock value ... [racecheck-copylock]
 *      12 |     b = a;
 *         |     ^
 *   src/a.c:3:1: note: ...
 */
#include "report.h"
#include "srcfile.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void print_snippet(FILE *out, srcfile_cache *c, const char *file,
                          unsigned line, unsigned col, int color)
{
    size_t len;
    const char *s = srcfile_line(c, file, line, &len);
    if (!s)
        return;
    fprintf(out, "%5u | %.*s\n", line, (int)len, s);
    if (!col)
        return;
    fputs("      | ", out);
    /* Keep tabs so the caret lines up however the terminal expands them. */
    for (unsigned i = 0; i + 1 < col && i < len; i++)
        fputc(s[i] == '\t' ? '\t' : ' ', out);
    fprintf(out, "%s^%s\n", color ? "\033[1;32m" : "", color ? "\033[0m" : "");
}

static void print_loc(FILE *out, const char *file, unsigned line, unsigned col, int color)
{
    if (color)
        fputs("\033[1m", out);
    fputs(file ? file : "<unknown>", out);
    if (line)
        fprintf(out, ":%u", line);
    if (line && col)
        fprintf(out, ":%u", col);
    fputs(": ", out);
    if (color)
        fputs("\033[0m", out);
}

static void print_kind(FILE *out, const char *kind, int color)
{
    const char *c = !strcmp(kind, "note") ? "\033[1;30m"
                    : !strcmp(kind, "error") ? "\033[1;31m" : "\033[1;35m";
    fprintf(out, "%s%s:%s ", color ? c : "", kind, color ? "\033[0m" : "");
}

void report_text(FILE *out, const rc_findings *fs, int color)
{
    srcfile_cache cache = {0};
    for (size_t i = 0; i < fs->nerrors; i++) {
        print_loc(out, fs->errors[i].file ? fs->errors[i].file : rc_progname, 0, 0, color);
        print_kind(out, "error", color);
        fprintf(out, "%s\n", fs->errors[i].message);
    }
    for (size_t i = 0; i < fs->n; i++) {
        const rc_finding *f = fs->items[i];
        print_loc(out, f->file, f->line, f->column, color);
        print_kind(out, f->severity, color);
        fprintf(out, "%s [racecheck-%s]", f->message, f->check);
        if (f->count > 1)
            fprintf(out, " (x%u)", f->count);
        fputc('\n', out);
        print_snippet(out, &cache, f->file, f->line, f->column, color);
        for (size_t k = 0; k < f->nnotes; k++) {
            const rc_note *n = &f->notes[k];
            if (n->file)
                print_loc(out, n->file, n->line, n->column, color);
            print_kind(out, "note", color);
            fprintf(out, "%s\n", n->message);
            print_snippet(out, &cache, n->file, n->line, n->column, color);
        }
    }
    if (fs->n)
        fprintf(out, "%zu warning%s generated.\n", fs->n, fs->n == 1 ? "" : "s");
    srcfile_free(&cache);
}

int report_format_parse(const char *name, rc_format *out)
{
    if (!strcmp(name, "text"))
        *out = RC_FORMAT_TEXT;
    else if (!strcmp(name, "json"))
        *out = RC_FORMAT_JSON;
    else if (!strcmp(name, "sarif"))
        *out = RC_FORMAT_SARIF;
    else
        return -1;
    return 0;
}
