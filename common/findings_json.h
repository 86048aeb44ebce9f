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

#endif
