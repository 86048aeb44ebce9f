/*
 * report_json.c -- the JSON reporter (cJSON).  The shape is a contract that
 * CI scripts parse: keys are only ever added, never renamed or removed.
 */
#include "report.h"
#include "version.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

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

cJSON *report_finding_json(const rc_finding *f)
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

void report_json(FILE *out, const rc_findings *fs)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    cJSON_AddStringToObject(tool, "name", "racecheck");
    cJSON_AddStringToObject(tool, "version", RC_VERSION);
    cJSON *arr = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < fs->n; i++)
        cJSON_AddItemToArray(arr, report_finding_json(fs->items[i]));
    cJSON *errs = cJSON_AddArrayToObject(root, "errors");
    for (size_t i = 0; i < fs->nerrors; i++) {
        cJSON *e = cJSON_CreateObject();
        add_str_or_null(e, "file", fs->errors[i].file);
        cJSON_AddStringToObject(e, "message", fs->errors[i].message);
        cJSON_AddItemToArray(errs, e);
    }
    char *s = cJSON_Print(root);
    fputs(s, out);
    fputc('\n', out);
    free(s);
    cJSON_Delete(root);
}
