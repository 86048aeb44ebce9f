/*
 * findings_json.h -- a finding as JSON and back.
 */
#ifndef RC_FINDINGS_JSON_H
#define RC_FINDINGS_JSON_H

#include "findings.h"

struct cJSON;

/* The finding as one JSON object, in the documented shape. */
struct cJSON *finding_to_json(const rc_finding *f);

/* Add the finding a JSON object describes (as finding_to_json wrote it);
 * NULL, and nothing added, when it lacks a check or message. */
rc_finding *finding_from_json(rc_findings *fs, const struct cJSON *o);

/* Print a document as JSON text that is valid UTF-8 whatever bytes its
 * strings hold (file names need not be UTF-8): each invalid byte becomes
 * U+FFFD.  malloc'd. */
char *json_print_utf8(const struct cJSON *doc, int formatted);

/* Typed lookups in a JSON object: the string at key (NULL if absent or not
 * a string), the number at key as a non-negative integer (0 otherwise). */
const char *json_get_str(const struct cJSON *o, const char *key);
unsigned json_get_uint(const struct cJSON *o, const char *key);

/* An integer as a JSON number.  cJSON prints every number with "%.15g"
 * and reads it back to check, which made printing the analyzer's saved
 * states (thousands of small integers) a third of a cold-cache run; this
 * one is printed as plain decimal digits and reads back as a number. */
struct cJSON *json_int(long long v);

#endif
