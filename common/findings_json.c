/*
 * findings_json.c -- one finding as a JSON object and back: the shape the
 * JSON reporter prints, and what the analyzer's result cache stores.
 */
#include "findings_json.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
    if (s)
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_location(cJSON *o, const char *file, unsigned line, unsigned col)
{
    add_str_or_null(o, "file", file);
    cJSON_AddNumberToObject(o, "line", line);
    cJSON_AddNumberToObject(o, "column", col);
}

cJSON *finding_to_json(const rc_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "check", f->check);
    cJSON_AddStringToObject(o, "source", f->source);
    cJSON_AddStringToObject(o, "severity", f->severity);
    add_location(o, f->file, f->line, f->column);
    add_str_or_null(o, "function", f->function);
    cJSON_AddStringToObject(o, "message", f->message);
    cJSON *notes = cJSON_AddArrayToObject(o, "notes");
    for (size_t i = 0; i < f->nnotes; i++) {
        cJSON *n = cJSON_CreateObject();
        add_location(n, f->notes[i].file, f->notes[i].line, f->notes[i].column);
        cJSON_AddStringToObject(n, "message", f->notes[i].message);
        cJSON_AddItemToArray(notes, n);
    }
    cJSON_AddNumberToObject(o, "count", f->count);
    add_str_or_null(o, "fingerprint", f->fingerprint);
    if (f->detail)
        cJSON_AddItemToObject(o, "detail", cJSON_Duplicate(f->detail, 1));
    return o;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static unsigned jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 4e9
               ? (unsigned)v->valuedouble : 0;
}

/* The model keeps source and severity as static strings. */
static const char *intern(const char *s, const char *const *known, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcmp(s, known[i]))
            return known[i];
    return known[0];
}

rc_finding *finding_from_json(rc_findings *fs, const cJSON *o)
{
    static const char *const sources[] = {"static", "dynamic"};
    static const char *const severities[] = {"warning", "error", "note"};
    const char *check = jstr(o, "check"), *msg = jstr(o, "message");
    if (!cJSON_IsObject(o) || !check || !msg)
        return NULL;
    rc_finding *f = findings_add(fs, check, intern(jstr(o, "source"), sources, 2),
                                 jstr(o, "file"), jnum(o, "line"), jnum(o, "column"),
                                 jstr(o, "function"), "%s", msg);
    f->severity = intern(jstr(o, "severity"), severities, 3);
    const cJSON *n;
    cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(o, "notes")) {
        const char *m = jstr(n, "message");
        if (m)
            finding_note(f, jstr(n, "file"), jnum(n, "line"), jnum(n, "column"), "%s", m);
    }
    unsigned count = jnum(o, "count");
    f->count = count ? count : 1;
    /* Only a producer's own fingerprint is there before findings_finish(). */
    f->fingerprint = xstrdup(jstr(o, "fingerprint"));
    const cJSON *detail = cJSON_GetObjectItemCaseSensitive(o, "detail");
    if (detail)
        f->detail = cJSON_Duplicate(detail, 1);
    return f;
}
