/*
 * baseline.c -- read and write baseline files (JSON, through cJSON).
 */
#include "baseline.h"
#include "findings_json.h"
#include "util.h"
#include "version.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int baseline_write(const char *path, rc_findings *fs)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON_AddStringToObject(root, "tool", "racecheck " RC_VERSION);
    cJSON *arr = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < fs->n; i++) {
        const rc_finding *f = fs->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "fingerprint", f->fingerprint ? f->fingerprint : "");
        cJSON_AddStringToObject(o, "check", f->check);
        cJSON_AddStringToObject(o, "file", f->file ? f->file : "");
        cJSON_AddStringToObject(o, "message", f->message);
        cJSON_AddItemToArray(arr, o);
    }
    char *text = json_print_utf8(root, 1);
    cJSON_Delete(root);
    FILE *out = fopen(path, "w");
    int ok = out && fputs(text, out) >= 0 && fputc('\n', out) != EOF;
    int err = errno;
    if (out && fclose(out) != 0 && ok)
        ok = 0, err = errno;
    free(text);
    if (!ok) {
        findings_error(fs, path, "cannot write baseline: %s", strerror(err));
        return -1;
    }
    return 0;
}

static int not_in_baseline(const rc_finding *f, void *ud)
{
    const cJSON *arr = ud, *e;
    cJSON_ArrayForEach(e, arr) {
        const cJSON *fp = cJSON_GetObjectItemCaseSensitive(e, "fingerprint");
        if (cJSON_IsString(fp) && f->fingerprint && !strcmp(fp->valuestring, f->fingerprint))
            return 0;
    }
    return 1;
}

void baseline_filter(const char *path, rc_findings *fs)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        findings_error(fs, path, "cannot read baseline: %s", strerror(errno));
        return;
    }
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "findings");
    if (!root || !cJSON_IsArray(arr)) {
        findings_error(fs, path, "not a racecheck baseline (expected a JSON object with a \"findings\" array)");
        cJSON_Delete(root);
        return;
    }
    findings_filter(fs, not_in_baseline, (void *)arr);
    cJSON_Delete(root);
}
