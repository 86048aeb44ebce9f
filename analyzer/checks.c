/*
 * checks.c -- the list of checks, --checks selection, the facts every
 * check gets with a unit, and the one way a static check places a finding.
 */
#include "checks.h"
#include "ast.h"
#include "forest.h"
#include "util.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

extern const rc_check check_copylock;
extern const rc_check check_relock;

const rc_check *const rc_checks[] = {
    &check_copylock,
    &check_relock,
};
const unsigned rc_nchecks = sizeof rc_checks / sizeof *rc_checks;

void unit_init(rc_unit *u, rc_tu *tu, size_t index, struct rc_claims *claims)
{
    u->tu = tu;
    u->index = index;
    u->claims = claims;
    u->locktypes = locktype_new();
    u->forest = forest_build(tu);
    forest_use(u->forest);
}

void unit_dispose(rc_unit *u)
{
    forest_use(NULL);
    forest_free(u->forest);
    locktype_free(u->locktypes);
}

int checks_select(const char *list, int *enabled, const char **bad_item, size_t *bad_len)
{
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *item = p;
        p += len;
        if (*p == ',')
            p++;
        while (len && (*item == ' ')) item++, len--;
        while (len && item[len - 1] == ' ') len--;
        if (!len)
            continue;
        int on = 1;
        if (*item == '-')
            on = 0, item++, len--;
        /* Accept clang-tidy's spelling "racecheck-copylock" too. */
        if (len > 10 && !strncmp(item, "racecheck-", 10))
            item += 10, len -= 10;
        char *pat = xstrndup(item, len);
        int matched = 0;
        for (unsigned i = 0; i < rc_nchecks; i++)
            if (!fnmatch(pat, rc_checks[i]->name, 0))
                enabled[i] = on, matched = 1;
        free(pat);
        if (!matched) {
            *bad_item = item;
            *bad_len = len;
            return -1;
        }
    }
    return 0;
}

rc_finding *check_report(rc_findings *out, rc_tu *tu, const char *check, CXCursor c,
                         const char *function, const char *fmt, ...)
{
    rc_loc loc;
    if (!tu_loc(tu, ast_report_at(c), &loc))
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    rc_finding *f = findings_add(out, check, "static", loc.file, loc.line, loc.column,
                                 function, "%s", msg);
    free(msg);
    return f;
}
