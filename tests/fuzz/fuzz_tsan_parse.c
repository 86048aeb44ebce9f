/*
 * fuzz_tsan_parse.c -- libFuzzer target for the ThreadSanitizer log parser:
 * arbitrary bytes -> tsan_parse -> findings (fingerprints, detail JSON), and
 * the single-frame parser on the first line.  Seeds: tests/runtime/fixtures.
 * Crashes found become fixtures under tests/runtime/fixtures/synthetic/.
 */
#include "findings.h"
#include "tsan_parse.h"
#include "tsan_report.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsan_log log;
    tsan_log_init(&log);
    tsan_parse(&log, (const char *)data, size);
    /* Parsing in two pieces must not crash either (appending to a log). */
    if (size > 1) {
        size_t half = size / 2;
        tsan_parse(&log, (const char *)data, half);
        tsan_parse(&log, (const char *)data + half, size - half);
    }
    rc_findings fs;
    findings_init(&fs);
    tsan_log_findings(&log, &fs, "fuzz.log");
    findings_free(&fs);
    tsan_log_free(&log);

    /* One frame line, NUL-terminated. */
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl ? (size_t)(nl - data) : size;
    char *line = malloc(n + 1);
    if (line) {
        memcpy(line, data, n);
        line[n] = '\0';
        tsan_frame f;
        memset(&f, 0, sizeof f);
        if (tsan_parse_frame(line, &f)) {
            tsan_frame_classify(&f);
            tsan_frame_free(&f);
        }
        free(line);
    }
    return 0;
}
