/*
 * fuzz_config.c -- libFuzzer target for the .racecheck reader
 * (common/config.c): any bytes give a config or a clean error, never a
 * crash, a leak or undefined behaviour.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rc_config c = {0};
    rc_findings errs;
    findings_init(&errs);
    config_parse(&c, "fuzz.racecheck", (const char *)data, size, &errs);
    c.dir = NULL;
    /* Exclusion patterns come from the input: match a few paths. */
    static const char *const paths[] = {"src/a.c", "third_party/x/y.c", "./-x.c", ""};
    if (c.nexclude) {
        c.dir = (char *)"/";
        for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
            config_excluded(&c, paths[i]);
        c.dir = NULL;
    }
    config_free(&c);
    findings_free(&errs);
    return 0;
}
