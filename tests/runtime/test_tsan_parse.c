/*
 * test_tsan_parse.c -- unit tests of the TSan log parser on the captured
 * fixtures (fixtures/{gcc,clang}/NAME.log):
 *   - the findings match NAME.expect ("check file:line:col function" lines;
 *     `--update` rewrites them, review the diff);
 *   - the primary location and the fingerprint do not depend on the order
 *     of the memory accesses (TSan's current/previous order varies);
 *   - every line-prefix of every log (truncation) and seeded corruptions of
 *     it parse without crashing and give valid JSON;
 *   - a log TSan did not symbolize (fixtures/unsymbolized/) gives each
 *     finding a note saying so.
 *
 *   test_tsan_parse [--update] FIXTURE.log...
 */
#include "findings.h"
#include "report.h"
#include "tsan_parse.h"
#include "tsan_report.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void fail(const char *what, const char *fmt, const char *arg)
{
    fprintf(stderr, "FAIL %s: ", what);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    failures++;
}

/* Parse a log and make its findings, as `racecheck parse` does. */
static void parse_findings(const char *text, size_t len, rc_findings *fs)
{
    tsan_log log;
    tsan_log_init(&log);
    tsan_parse(&log, text, len);
    findings_init(fs);
    tsan_log_findings(&log, fs, "log");
    findings_finish(fs);
    tsan_log_free(&log);
}

static char *summarize(const char *text, size_t len)
{
    rc_findings fs;
    parse_findings(text, len, &fs);
    rc_buf b = {0};
    for (size_t i = 0; i < fs.n; i++) {
        rc_finding *f = fs.items[i];
        buf_printf(&b, "%s %s:%u:%u %s x%u\n", f->check, f->file ? f->file : "-", f->line,
                   f->column, f->function ? f->function : "-", f->count);
    }
    for (size_t i = 0; i < fs.nerrors; i++)
        buf_printf(&b, "error %s\n", fs.errors[i].message);
    findings_free(&fs);
    return buf_take(&b);
}

/* The JSON of whatever the parser made of text must be valid. */
static void check_json(const char *what, const char *text, size_t len)
{
    rc_findings fs;
    parse_findings(text, len, &fs);
    char *buf = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&buf, &n);
    report_json(mem, &fs);
    fclose(mem);
    cJSON *j = cJSON_Parse(buf);
    if (!j)
        fail(what, "%s", "invalid JSON");
    cJSON_Delete(j);
    free(buf);
    findings_free(&fs);
}

static void check_order_independent(const char *what, const char *text, size_t len)
{
    tsan_log log;
    tsan_log_init(&log);
    tsan_parse(&log, text, len);
    for (size_t i = 0; i < log.n; i++) {
        tsan_report *r = &log.reports[i];
        rc_findings a, b;
        findings_init(&a);
        findings_init(&b);
        rc_finding *fa = tsan_report_finding(r, &a);
        /* Reverse the memory accesses among themselves (the other
         * sections' order is meaningful: the first lock edge, ...). */
        size_t lo = 0, hi = r->nsecs;
        for (;;) {
            while (lo < hi && r->secs[lo].kind != TSAN_SEC_ACCESS)
                lo++;
            while (hi > lo && r->secs[hi - 1].kind != TSAN_SEC_ACCESS)
                hi--;
            if (hi - lo < 2)
                break;
            tsan_section t = r->secs[lo];
            r->secs[lo++] = r->secs[hi - 1];
            r->secs[--hi] = t;
        }
        rc_finding *fb = tsan_report_finding(r, &b);
        if (strcmp(fa->fingerprint, fb->fingerprint))
            fail(what, "fingerprint depends on section order (%s)", r->check);
        if (fa->line != fb->line || strcmp(fa->file ? fa->file : "", fb->file ? fb->file : ""))
            fail(what, "location depends on section order (%s)", r->check);
        findings_free(&a);
        findings_free(&b);
    }
    tsan_log_free(&log);
}

static void check_damage(const char *what, const char *text, size_t len)
{
    /* Every line prefix, and every prefix cut mid-line. */
    for (size_t i = 0; i <= len; i++)
        if (i == len || text[i] == '\n' || i % 7 == 0)
            check_json(what, text, i);
    /* Seeded corruption: flipped bytes, NULs, dropped lines. */
    unsigned seed = 12345;
    char *copy = xmalloc(len + 1);
    for (int round = 0; round < 200; round++) {
        memcpy(copy, text, len);
        for (int k = 0; k < 1 + round % 5 && len; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            static const char junk[] = {'\0', '\n', ':', '(', ')', '#', ' ', 'x', '=', '\''};
            copy[at] = junk[(seed >> 4) % sizeof junk];
        }
        check_json(what, copy, len);
    }
    free(copy);
}

/* Without symbols a finding has no place: each one must say why. */
static void check_unsymbolized_notes(const char *what, const char *text, size_t len)
{
    rc_findings fs;
    parse_findings(text, len, &fs);
    if (!fs.n)
        fail(what, "%s", "no finding");
    for (size_t i = 0; i < fs.n; i++) {
        int said = 0;
        for (size_t k = 0; k < fs.items[i]->nnotes; k++)
            said |= strstr(fs.items[i]->notes[k].message, "not symbolized") != NULL;
        if (!said)
            fail(what, "a finding without the 'not symbolized' note: %s", fs.items[i]->message);
    }
    findings_free(&fs);
}

int main(int argc, char **argv)
{
    int update = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--update")) {
            update = 1;
            continue;
        }
        const char *path = argv[i];
        size_t len;
        char *text = read_file(path, &len);
        if (!text) {
            fail(path, "%s", "cannot read");
            continue;
        }
        char *got = summarize(text, len);
        char *exp_path = xasprintf("%.*s.expect", (int)(strlen(path) - 4), path);
        if (update) {
            FILE *f = fopen(exp_path, "w");
            if (f) {
                fputs(got, f);
                fclose(f);
            }
        } else {
            char *want = read_file(exp_path, NULL);
            if (!want || strcmp(want, got)) {
                fprintf(stderr, "--- %s expected:\n%s--- got:\n%s", exp_path,
                        want ? want : "(missing)\n", got);
                fail(path, "%s", "findings differ from the .expect file");
            }
            free(want);
        }
        check_order_independent(path, text, len);
        check_damage(path, text, len);
        if (strstr(path, "unsymbolized/"))
            check_unsymbolized_notes(path, text, len);
        free(exp_path);
        free(got);
        free(text);
    }
    printf("test_tsan_parse: %d failure%s\n", failures, failures == 1 ? "" : "s");
    return failures ? 1 : 0;
}
