/*
 * findings_json.c -- one finding as a JSON object and back: the shape the
 * JSON reporter prints, and what the analyzer's result cache stores.
 */
#include "findings_json.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
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

const char *json_get_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

unsigned json_get_uint(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 4e9
               ? (unsigned)v->valuedouble : 0;
}

cJSON *json_int(long long v)
{
    char digits[DEC_MAX];
    dec_format(v, digits);
    return cJSON_CreateRaw(digits);
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
    const char *check = json_get_str(o, "check"), *msg = json_get_str(o, "message");
    if (!cJSON_IsObject(o) || !check || !msg)
        return NULL;
    rc_finding *f = findings_add(fs, check, intern(json_get_str(o, "source"), sources, 2),
                                 json_get_str(o, "file"), json_get_uint(o, "line"), json_get_uint(o, "column"),
                                 json_get_str(o, "function"), "%s", msg);
    f->severity = intern(json_get_str(o, "severity"), severities, 3);
    const cJSON *n;
    cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(o, "notes")) {
        const char *m = json_get_str(n, "message");
        if (m)
            finding_note(f, json_get_str(n, "file"), json_get_uint(n, "line"), json_get_uint(n, "column"), "%s", m);
    }
    unsigned count = json_get_uint(o, "count");
    f->count = count ? count : 1;
    /* Only a producer's own fingerprint is there before findings_finish(). */
    f->fingerprint = xstrdup(json_get_str(o, "fingerprint"));
    const cJSON *detail = cJSON_GetObjectItemCaseSensitive(o, "detail");
    if (detail)
        f->detail = cJSON_Duplicate(detail, 1);
    return f;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    size_t n = (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!n || (n == 2 && p[0] < 0xC2) || (n == 4 && p[0] > 0xF4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0)))
        return 0;  /* overlong, or a UTF-16 surrogate */
    if (n == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90)))
        return 0;
    return n;
}

char *json_print_utf8(const cJSON *doc, int formatted)
{
    char *raw = formatted ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
    if (!raw)
        return xstrdup("null");
    /* Invalid bytes can only sit inside strings (cJSON escapes nothing
     * above 0x7F), where an escape is valid JSON. */
    rc_buf b = {0};
    const unsigned char *p = (const unsigned char *)raw;
    while (*p) {
        size_t n = utf8_len(p);
        if (n) {
            buf_add(&b, (const char *)p, n);
            p += n;
        } else {
            buf_puts(&b, "\\ufffd");
            p++;
        }
    }
    free(raw);
    return buf_take(&b);
}
