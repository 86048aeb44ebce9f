/*
 * report_json.c -- the JSON reporter (cJSON).  The shape is a contract that
 * CI scripts parse: keys are only ever added, never renamed or removed.
 */
#include "findings_json.h"
#include "report.h"
#include "version.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

void report_json(FILE *out, const rc_findings *fs)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    cJSON_AddStringToObject(tool, "name", "racecheck");
    cJSON_AddStringToObject(tool, "version", RC_VERSION);
    cJSON *arr = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < fs->n; i++)
        cJSON_AddItemToArray(arr, finding_to_json(fs->items[i]));
    cJSON *errs = cJSON_AddArrayToObject(root, "errors");
    for (size_t i = 0; i < fs->nerrors; i++) {
        cJSON *e = cJSON_CreateObject();
        if (fs->errors[i].file)
            cJSON_AddStringToObject(e, "file", fs->errors[i].file);
        else
            cJSON_AddNullToObject(e, "file");
        cJSON_AddStringToObject(e, "message", fs->errors[i].message);
        cJSON_AddItemToArray(errs, e);
    }
    char *s = json_print_utf8(root, 1);
    fputs(s, out);
    fputc('\n', out);
    free(s);
    cJSON_Delete(root);
}
