/*
 * report_sarif.c -- the SARIF 2.1.0 reporter, shaped for GitHub code
 * scanning: one rule per check, results with locations relative to
 * %SRCROOT%, notes as relatedLocations, the runtime's stacks as `stacks`
 * and `codeFlows`, and partialFingerprints that leave out line numbers.
 */
#include "findings_json.h"
#include "report.h"
#include "util.h"
#include "version.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* RFC 3986: keep unreserved characters and '/', escape the rest. */
static char *uri_escape(const char *path)
{
    rc_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            buf_add(&b, (const char *)p, 1);
        else
            buf_printf(&b, "%%%02X", *p);
    }
    return buf_take(&b);
}

/* An artifactLocation: relative to %SRCROOT% when the file is below it. */
static cJSON *artifact(const char *file, const char *root)
{
    cJSON *a = cJSON_CreateObject();
    char real[PATH_MAX];
    const char *abs = realpath(file, real) ? real : file;
    size_t n = strlen(root);
    char *uri;
    if (abs[0] == '/' && !strncmp(abs, root, n) && abs[n] == '/') {
        uri = uri_escape(abs + n + 1);
        cJSON_AddStringToObject(a, "uri", uri);
        cJSON_AddStringToObject(a, "uriBaseId", "%SRCROOT%");
    } else if (abs[0] == '/') {
        char *esc = uri_escape(abs);
        uri = xasprintf("file://%s", esc);
        free(esc);
        cJSON_AddStringToObject(a, "uri", uri);
    } else {
        uri = uri_escape(abs);
        cJSON_AddStringToObject(a, "uri", uri);
    }
    free(uri);
    return a;
}

static cJSON *physical(const char *file, unsigned line, unsigned col, const char *root)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "artifactLocation", artifact(file, root));
    if (line) {
        cJSON *r = cJSON_AddObjectToObject(p, "region");
        cJSON_AddNumberToObject(r, "startLine", line);
        if (col)
            cJSON_AddNumberToObject(r, "startColumn", col);
    }
    return p;
}

static cJSON *message(const char *text)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "text", text && *text ? text : "-");
    return m;
}

static cJSON *location(const char *file, unsigned line, unsigned col, const char *msg,
                       const char *root)
{
    cJSON *l = cJSON_CreateObject();
    if (file)
        cJSON_AddItemToObject(l, "physicalLocation", physical(file, line, col, root));
    if (msg)
        cJSON_AddItemToObject(l, "message", message(msg));
    return l;
}

/* A frame list [{function, file, line, column}] as SARIF stack frames. */
static cJSON *stack_frames(const cJSON *frames, const char *root)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *f;
    cJSON_ArrayForEach(f, frames) {
        cJSON *sf = cJSON_CreateObject();
        const char *file = json_get_str(f, "file"), *fn = json_get_str(f, "function");
        cJSON_AddItemToObject(sf, "location",
                              location(file, file ? json_get_uint(f, "line") : 0, json_get_uint(f, "column"),
                                       fn ? fn : "<unknown>", root));
        cJSON_AddItemToArray(out, sf);
    }
    return out;
}

/* Producers may put stacks anywhere in `detail`: any object with a
 * "stack" array of frames (labelled by its "text") becomes one SARIF stack
 * and one thread flow.  A work list keeps the walk flat. */
static void add_stacks(cJSON *result, const cJSON *detail, const char *root)
{
    cJSON *stacks = NULL, *flows = NULL;
    const cJSON **work = NULL;
    size_t n = 0, cap = 0;
    VEC_PUSH(work, n, cap, detail);
    while (n) {
        const cJSON *o = work[--n], *c;
        const cJSON *frames = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, "stack") : NULL;
        if (cJSON_IsArray(frames) && cJSON_GetArraySize(frames) > 0) {
            const char *label = json_get_str(o, "text");
            if (!stacks) {
                stacks = cJSON_AddArrayToObject(result, "stacks");
                cJSON *cf = cJSON_CreateObject();
                flows = cJSON_AddArrayToObject(cf, "threadFlows");
                cJSON *cfs = cJSON_AddArrayToObject(result, "codeFlows");
                cJSON_AddItemToArray(cfs, cf);
            }
            cJSON *st = cJSON_CreateObject();
            cJSON_AddItemToObject(st, "message", message(label ? label : "stack"));
            cJSON_AddItemToObject(st, "frames", stack_frames(frames, root));
            cJSON_AddItemToArray(stacks, st);
            /* A thread flow runs from the outermost call inwards. */
            cJSON *tf = cJSON_CreateObject();
            cJSON_AddItemToObject(tf, "message", message(label ? label : "stack"));
            cJSON *locs = cJSON_AddArrayToObject(tf, "locations");
            for (int i = cJSON_GetArraySize(frames) - 1; i >= 0; i--) {
                const cJSON *f = cJSON_GetArrayItem(frames, i);
                const char *file = json_get_str(f, "file"), *fn = json_get_str(f, "function");
                cJSON *tfl = cJSON_CreateObject();
                cJSON_AddItemToObject(tfl, "location",
                                      location(file, file ? json_get_uint(f, "line") : 0,
                                               json_get_uint(f, "column"), fn ? fn : "<unknown>", root));
                cJSON_AddItemToArray(locs, tfl);
            }
            cJSON_AddItemToArray(flows, tf);
        }
        if (cJSON_IsObject(o) || cJSON_IsArray(o)) {
            size_t first = n;
            cJSON_ArrayForEach(c, o)
                if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && c != frames)
                    VEC_PUSH(work, n, cap, c);
            /* Keep document order: reverse what was just pushed. */
            for (size_t a = first, b = n; a + 1 < b; a++, b--) {
                const cJSON *t = work[a];
                work[a] = work[b - 1];
                work[b - 1] = t;
            }
        }
    }
    free(work);
}

static cJSON *rule_json(const rc_rule *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->id);
    cJSON_AddStringToObject(o, "name", r->id);
    cJSON_AddItemToObject(o, "shortDescription", message(r->summary));
    cJSON_AddItemToObject(o, "fullDescription", message(r->description ? r->description : r->summary));
    cJSON *help = message(r->help ? r->help : r->summary);
    cJSON_AddItemToObject(o, "help", help);
    cJSON *cfg = cJSON_AddObjectToObject(o, "defaultConfiguration");
    cJSON_AddStringToObject(cfg, "level", "warning");
    return o;
}

static int rule_index(cJSON *rules, const char *id)
{
    int i = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, rules) {
        if (!strcmp(json_get_str(r, "id"), id))
            return i;
        i++;
    }
    return -1;
}

void report_sarif(FILE *out, const rc_findings *fs, const rc_rule *rules, size_t nrules,
                  const char *root)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(doc, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "runs"), run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "racecheck");
    cJSON_AddStringToObject(driver, "version", RC_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", RC_VERSION);
    cJSON_AddStringToObject(driver, "informationUri", RC_HOMEPAGE);
    cJSON *jrules = cJSON_AddArrayToObject(driver, "rules");
    for (size_t i = 0; i < nrules; i++)
        cJSON_AddItemToArray(jrules, rule_json(&rules[i]));

    char *root_uri_path = uri_escape(root);
    char *root_uri = xasprintf("file://%s/", root_uri_path);
    cJSON *base = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "originalUriBaseIds"), "%SRCROOT%");
    cJSON_AddStringToObject(base, "uri", root_uri);
    free(root_uri);
    free(root_uri_path);

    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < fs->n; i++) {
        const rc_finding *f = fs->items[i];
        int ri = rule_index(jrules, f->check);
        if (ri < 0) {  /* a kind the command did not list (an unknown TSan report) */
            rc_rule r = {f->check, f->check, NULL, NULL};
            cJSON_AddItemToArray(jrules, rule_json(&r));
            ri = cJSON_GetArraySize(jrules) - 1;
        }
        cJSON *res = cJSON_CreateObject();
        cJSON_AddStringToObject(res, "ruleId", f->check);
        cJSON_AddNumberToObject(res, "ruleIndex", ri);
        cJSON_AddStringToObject(res, "level", !strcmp(f->severity, "error") ? "error" : "warning");
        cJSON_AddItemToObject(res, "message", message(f->message));
        cJSON *locs = cJSON_AddArrayToObject(res, "locations");
        if (f->file)
            cJSON_AddItemToArray(locs, location(f->file, f->line, f->column, NULL, root));
        if (f->nnotes) {
            cJSON *rel = cJSON_AddArrayToObject(res, "relatedLocations");
            for (size_t k = 0; k < f->nnotes; k++) {
                const rc_note *nt = &f->notes[k];
                cJSON *l = location(nt->file, nt->line, nt->column, nt->message, root);
                cJSON_AddNumberToObject(l, "id", (double)k + 1);
                cJSON_AddItemToArray(rel, l);
            }
        }
        if (f->fingerprint)
            cJSON_AddStringToObject(cJSON_AddObjectToObject(res, "partialFingerprints"),
                                    "racecheck/v1", f->fingerprint);
        if (f->count > 1)
            cJSON_AddNumberToObject(res, "occurrenceCount", f->count);
        if (f->detail)
            add_stacks(res, f->detail, root);
        cJSON *props = cJSON_AddObjectToObject(res, "properties");
        cJSON_AddStringToObject(props, "source", f->source);
        if (f->function)
            cJSON_AddStringToObject(props, "function", f->function);
        cJSON_AddItemToArray(results, res);
    }

    cJSON *inv = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"), inv);
    cJSON_AddBoolToObject(inv, "executionSuccessful", fs->nerrors == 0);
    if (fs->nerrors) {
        cJSON *notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
        for (size_t i = 0; i < fs->nerrors; i++) {
            cJSON *n = cJSON_CreateObject();
            cJSON_AddStringToObject(n, "level", "error");
            cJSON_AddItemToObject(n, "message", message(fs->errors[i].message));
            if (fs->errors[i].file) {
                cJSON *l = cJSON_AddArrayToObject(n, "locations");
                cJSON_AddItemToArray(l, location(fs->errors[i].file, 0, 0, NULL, root));
            }
            cJSON_AddItemToArray(notes, n);
        }
    }

    char *s = json_print_utf8(doc, 1);
    fputs(s, out);
    fputc('\n', out);
    free(s);
    cJSON_Delete(doc);
}
