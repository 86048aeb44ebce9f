/*
 * verify.c -- the annotation harness, in the spirit of clang's -verify and
 * Go's analysistest.  Test files mark on each line the findings they expect:
 *
 *     b = a;            // want: copylock "assignment copies"
 *     lock(&m);         // want-pending: recursive-lock
 *     counter++;        // want-run: data-race
 *
 * `want:` expects a finding of that check on that line (the optional quoted
 * text is a POSIX extended regex the message must match); `want-pending:`
 * marks a finding the check cannot produce yet: absent is fine, but present
 * fails (the annotation should become `want:`).  With --tag=want-run the
 * `want-run:` / `want-run-pending:` annotations are read instead, for the
 * runtime's findings.
 *
 *   verify [--tag=want|want-run] FILE... -- COMMAND [ARGS...]
 *
 * runs COMMAND (which must print racecheck JSON on stdout), then fails on
 * every expected finding that is missing and every finding that no
 * annotation expects, and on an exit status that disagrees with the output.
 */
#include "findings.h"
#include "findings_json.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct expect {
    char *file;          /* realpath */
    const char *shown;   /* as given */
    unsigned line;
    char *check;
    char *regex;         /* may be NULL */
    int pending;
    int met;
} expect;

static expect *exps;
static size_t nexps, capexps;

static int is_check_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Parse the items after "TAG:" up to the end of the comment. */
static void parse_items(const char *p, const char *real, const char *shown,
                        unsigned line, int pending)
{
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!is_check_char(*p))
            return;
        const char *s = p;
        while (is_check_char(*p))
            p++;
        expect e = {xstrdup(real), shown, line, xstrndup(s, (size_t)(p - s)), NULL, pending, 0};
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '"') {
            rc_buf b = {0};
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1] == '"')
                    p++;
                buf_add(&b, p, 1);
            }
            if (*p == '"')
                p++;
            e.regex = buf_take(&b);
        }
        VEC_PUSH(exps, nexps, capexps, e);
    }
}

static int load_annotations(const char *path, const char *tag)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        fprintf(stderr, "verify: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        fprintf(stderr, "verify: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char want[64], pend[64];
    snprintf(want, sizeof want, "%s:", tag);
    snprintf(pend, sizeof pend, "%s-pending:", tag);
    unsigned line = 1;
    for (char *p = text; *p; line++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        /* A tag must follow a line or block comment opener, so that prose
         * mentioning the word does not count. */
        for (char *c = p; (c = strstr(c, "/")) != NULL; c++) {
            if (c[1] != '/' && c[1] != '*')
                continue;
            char *q = c + 2;
            while (*q == ' ' || *q == '\t')
                q++;
            if (!strncmp(q, want, strlen(want)))
                parse_items(q + strlen(want), real, path, line, 0);
            else if (!strncmp(q, pend, strlen(pend)))
                parse_items(q + strlen(pend), real, path, line, 1);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    free(text);
    return 0;
}

static char *run_capture(char **argv, int *status)
{
    int fds[2];
    if (pipe(fds) < 0)
        return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (err) {
        close(fds[0]);
        fprintf(stderr, "verify: cannot run %s: %s\n", argv[0], strerror(err));
        return NULL;
    }
    rc_buf b = {0};
    char chunk[65536];
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof chunk)) > 0)
        buf_add(&b, chunk, (size_t)n);
    close(fds[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return buf_take(&b);
}

static int regex_matches(const char *re, const char *msg)
{
    regex_t r;
    if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB)) {
        fprintf(stderr, "verify: bad regex \"%s\"\n", re);
        return 0;
    }
    int ok = regexec(&r, msg, 0, NULL, 0) == 0;
    regfree(&r);
    return ok;
}

/* Match one finding against the first unmet expectation that fits.  The
 * runtime may report one bug several times (TSan reports each distinct pair
 * of racing stacks), so with repeats allowed an expectation already met
 * absorbs further findings; a static check must report each site once. */
static expect *match(const char *real, unsigned line, const char *check, const char *msg,
                     int allow_repeats)
{
    for (int pass = 0; pass < 1 + allow_repeats; pass++)
        for (size_t i = 0; i < nexps; i++) {
            expect *e = &exps[i];
            if (e->line != line || strcmp(e->file, real) || strcmp(e->check, check))
                continue;
            if (e->regex && !regex_matches(e->regex, msg))
                continue;
            if (pass == 0 && e->met)
                continue;
            return e;
        }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *tag = "want";
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--"); i++) {
        if (!strncmp(argv[i], "--tag=", 6))
            tag = argv[i] + 6;
        else if (load_annotations(argv[i], tag) < 0)
            return 2;
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "usage: verify [--tag=T] FILE... -- COMMAND [ARGS...]\n");
        return 2;
    }
    int status;
    char *out = run_capture(argv + i + 1, &status);
    if (!out)
        return 2;
    cJSON *root = cJSON_Parse(out);
    if (!root) {
        fprintf(stderr, "verify: command output is not valid JSON:\n%s\n", out);
        return 1;
    }
    int failures = 0;
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
    const cJSON *e;
    cJSON_ArrayForEach(e, errors) {
        fprintf(stderr, "%s: unexpected error: %s\n", json_get_str(e, "file"), json_get_str(e, "message"));
        failures++;
    }
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    const cJSON *f;
    size_t nfindings = 0;
    cJSON_ArrayForEach(f, findings) {
        nfindings++;
        const char *file = json_get_str(f, "file"), *check = json_get_str(f, "check"), *msg = json_get_str(f, "message");
        unsigned line = json_get_uint(f, "line");
        char real[PATH_MAX];
        expect *x = NULL;
        if (file && check && msg && realpath(file, real))
            x = match(real, line, check, msg, strcmp(tag, "want") != 0);
        if (x && x->pending) {
            fprintf(stderr, "%s:%u: pending finding now reported, make it 'want:': [%s] %s\n",
                    x->shown, line, check, msg);
            failures++;
        }
        if (x) {
            x->met = 1;
            continue;
        }
        fprintf(stderr, "%s:%u:%u: unexpected finding: [%s] %s\n", file ? file : "?",
                line, json_get_uint(f, "column"), check ? check : "?", msg ? msg : "?");
        failures++;
    }
    size_t met = 0, pending = 0;
    for (size_t k = 0; k < nexps; k++) {
        if (exps[k].pending) {
            pending++;
            continue;
        }
        if (exps[k].met) {
            met++;
            continue;
        }
        fprintf(stderr, "%s:%u: missing finding: [%s]%s%s\n", exps[k].shown, exps[k].line,
                exps[k].check, exps[k].regex ? " matching " : "",
                exps[k].regex ? exps[k].regex : "");
        failures++;
    }
    int want_status = errors && cJSON_GetArraySize(errors) ? 2 : nfindings ? 1 : 0;
    if (status != want_status) {
        fprintf(stderr, "verify: exit status %d, expected %d\n", status, want_status);
        failures++;
    }
    printf("verify: %zu expected findings met, %zu pending, %zu findings, %d problem%s\n",
           met, pending, nfindings, failures, failures == 1 ? "" : "s");
    cJSON_Delete(root);
    free(out);
    return failures ? 1 : 0;
}
