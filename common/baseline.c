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

/* The baseline's fingerprints, sorted, for binary search. */
typedef struct fp_set {
    char **v;
    size_t n;
} fp_set;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int not_in_baseline(const rc_finding *f, void *ud)
{
    const fp_set *set = ud;
    const char *key = f->fingerprint;
    return !key || !bsearch(&key, set->v, set->n, sizeof *set->v, cmp_str);
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
    fp_set set = {xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(char *)), 0};
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        const char *fp = json_get_str(e, "fingerprint");
        if (fp)
            set.v[set.n++] = (char *)fp;
    }
    qsort(set.v, set.n, sizeof *set.v, cmp_str);
    findings_filter(fs, not_in_baseline, &set);
    free(set.v);
    cJSON_Delete(root);
}
