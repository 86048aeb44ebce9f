#!/usr/bin/env bash
# Tests for racecheck in pre-commit and CI: suppression comments, baselines,
# the .racecheck config, SARIF validated against the official schema, the
# pre-commit framework hook and `racecheck install-hook`.
#   workflow_test.sh RACECHECK SOURCE_DIR
set -u
RC=$(realpath "$1")
SRC=$(realpath "$2")
SCHEMA=$SRC/tests/data/sarif-schema-2.1.0.json
. "$(dirname "$0")/lib.sh"
sarif_valid() {
    if python3 - "$1" "$SCHEMA" <<'PY'
import json, sys, jsonschema
doc, schema = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema)
PY
    then ok; else bad "SARIF $1 does not validate"; fi
}

cat > q.h <<'C'
#include <pthread.h>
typedef struct { pthread_mutex_t mu; int n; } queue;
C

# --- suppression comments ------------------------------------------------
cat > sup.c <<'C'
#include "q.h"
int a(queue q) { return q.n; }             // NOLINT(racecheck-copylock)
// NOLINTNEXTLINE(racecheck-*)
int b(queue q) { return q.n; }
int c(queue q) { return q.n; }             // racecheck-ignore[copylock]
// racecheck-ignore[copylock]
int d(queue q) { return q.n; }
int e(queue q) { return q.n; }             // NOLINT
int f(queue q) { return q.n; }             // NOLINT(bugprone-*) names another tool
int g(queue *q) { return q->n; }           // NOLINT(racecheck-copylock) stale
// racecheck-ignore[recursive-lock]
int h(queue q) { return q.n; }
C
expect_status 1 "$RC" --format=json sup.c
json_eval out.txt 'sorted(f["line"] for f in d["findings"]) == [9, 12]'
expect_status 1 "$RC" --format=json --report-unused-suppressions sup.c
json_eval out.txt 'sorted((f["line"], f["check"]) for f in d["findings"]) == [(9, "copylock"), (10, "unused-suppression"), (11, "unused-suppression"), (12, "copylock")]'

# --- baseline --------------------------------------------------------------
cat > legacy.c <<'C'
#include "q.h"
int old_a(queue q) { return q.n; }
int old_b(queue *p) { queue c = *p; return c.n; }
C
expect_status 1 "$RC" --format=json --write-baseline=base.json legacy.c
json_eval base.json 'len(d["findings"]) == 2 and all(len(f["fingerprint"]) == 16 for f in d["findings"])'
expect_status 0 "$RC" --baseline=base.json legacy.c
# Edits elsewhere in the file shift lines: the baseline still matches.
{ echo '/* a new header comment */'; echo; cat legacy.c; echo 'int new_c(queue q) { return q.n; }'; } > legacy2.c
mv legacy2.c legacy.c
expect_status 1 "$RC" --format=json --baseline=base.json legacy.c
json_eval out.txt 'len(d["findings"]) == 1 and d["findings"][0]["function"] == "new_c"'
expect_status 2 "$RC" --format=json --baseline=missing.json legacy.c
json_eval out.txt '"cannot read baseline" in d["errors"][0]["message"]'
echo '{"not": "a baseline"}' > bogus.json
expect_status 2 "$RC" --baseline=bogus.json legacy.c
contains out.txt "bogus.json: error: not a racecheck baseline"

# --- .racecheck config -------------------------------------------------------
mkdir -p proj/src proj/third_party proj/sub
cp q.h proj/src/
cat > proj/src/a.c <<'C'
#include "q.h"
#ifndef WIDTH
#error WIDTH comes from compile-flags
#endif
int a(queue q) { return q.n + WIDTH; }
C
cp proj/src/a.c proj/third_party/vendored.c
sed -i 's|"q.h"|"../src/q.h"|' proj/third_party/vendored.c
cat > proj/.racecheck <<'C'
# project defaults
checks = -*,copylock
exclude = third_party/
compile-flags = -DWIDTH=4
C
( cd proj/sub && expect_status 1 "$RC" --format=json ../src/a.c ../third_party/vendored.c
  json_eval out.txt 'len(d["findings"]) == 1 and d["findings"][0]["file"] == "../src/a.c"' 
  expect_status 0 "$RC" --checks=-copylock ../src/a.c
  expect_status 2 "$RC" --no-config ../src/a.c
  contains out.txt "WIDTH comes from compile-flags"
  echo $pass $fail > ../../counts ) ; read pass fail < counts
printf 'checks = copylock\nfrobnicate = yes\n' > bad.racecheck
expect_status 2 "$RC" --config=bad.racecheck --format=json legacy.c
json_eval out.txt 'd["errors"][0]["file"] == "bad.racecheck" and "line 2: unknown key '"'"'frobnicate'"'"'" in d["errors"][0]["message"]'

# --- SARIF -------------------------------------------------------------------
git init -q sarifrepo && mkdir -p sarifrepo/src && cp q.h sup.c sarifrepo/src/
( cd sarifrepo && "$RC" --format=sarif --report-unused-suppressions src/sup.c > ../static.sarif )
sarif_valid static.sarif
json_eval static.sarif 'd["version"] == "2.1.0" and d["runs"][0]["tool"]["driver"]["name"] == "racecheck" and {r["id"] for r in d["runs"][0]["tool"]["driver"]["rules"]} >= {"copylock", "recursive-lock"}'
json_eval static.sarif 'all(r["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "src/sup.c", "uriBaseId": "%SRCROOT%"} for r in d["runs"][0]["results"])'
json_eval static.sarif 'all("racecheck/v1" in r["partialFingerprints"] and r["relatedLocations"] for r in d["runs"][0]["results"] if r["ruleId"] == "copylock")'
log=$(ls "$SRC"/tests/runtime/fixtures/clang/*.log | head -1)
"$RC" parse --format=sarif "$log" > dynamic.sarif
sarif_valid dynamic.sarif
json_eval dynamic.sarif 'all(r.get("stacks") and r.get("codeFlows") for r in d["runs"][0]["results"])'

# --- TSan suppression files for the runtime's findings -------------------------
FIX=$SRC/tests/runtime/fixtures
expect_status 1 "$RC" parse --format=json "$FIX/clang/race_global.log" "$FIX/gcc/thread_leak.log"
json_eval out.txt 'sorted(f["check"] for f in d["findings"]) == ["data-race", "thread-leak"]'
printf '# known and accepted\nrace:^worker$\n' > supp.txt
expect_status 1 "$RC" parse --format=json --suppressions=supp.txt "$FIX/clang/race_global.log" "$FIX/gcc/thread_leak.log"
json_eval out.txt '[f["check"] for f in d["findings"]] == ["thread-leak"]'
printf 'race:race_global.c\nthread:*\nmutex:no_such_function\n' > supp2.txt
expect_status 1 "$RC" parse --format=json --suppressions=supp2.txt --report-unused-suppressions "$FIX/clang/race_global.log" "$FIX/gcc/thread_leak.log"
json_eval out.txt '[(f["check"], f["file"], f["line"]) for f in d["findings"]] == [("unused-suppression", "supp2.txt", 3)]'
printf 'races:worker\n' > supp3.txt
expect_status 2 "$RC" parse --format=json --suppressions=supp3.txt "$FIX/clang/race_global.log"
json_eval out.txt 'd["errors"][0]["file"] == "supp3.txt" and "line 1" in d["errors"][0]["message"]'

# --- pre-commit framework ----------------------------------------------------
make_repo() {
    rm -rf "$1"; git init -q "$1"
    git -C "$1" config user.email t@example.com; git -C "$1" config user.name t
    cp q.h "$1"/
}
if command -v pre-commit >/dev/null && git -C "$SRC" rev-parse HEAD >/dev/null 2>&1 &&
   git -C "$SRC" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null; then
    make_repo fw
    cat > fw/.pre-commit-config.yaml <<Y
repos:
  - repo: $SRC
    rev: $(git -C "$SRC" rev-parse HEAD)
    hooks:
      - id: racecheck
Y
    export PRE_COMMIT_HOME=$WORK/pre-commit-home
    ( cd fw && PATH=$(dirname "$RC"):$PATH
      pre-commit install >/dev/null
      printf '#include "q.h"\nint peek(queue *q) { return q->n; }\n' > clean.c
      git add -A && git commit -qm clean >../fw.log 2>&1 && echo ok1 >> ../fw.res
      printf '#include "q.h"\nint peek2(queue q) { return q.n; }\n' > copy.c
      git add copy.c && git commit -qm copy >>../fw.log 2>&1 || echo blocked >> ../fw.res )
    contains fw.res ok1
    contains fw.res blocked
    contains fw.log "parameter 'q' passes lock by value"
else
    skip "pre-commit framework test (pre-commit missing or source not a git checkout)"
fi

# --- racecheck install-hook ----------------------------------------------------
make_repo plain
( cd plain
  "$RC" install-hook >../hook.log 2>&1 && echo installed >> ../hook.res
  printf '#include "q.h"\nint peek(queue *q) { return q->n; }\n' > clean.c
  git add -A && git commit -qm clean >>../hook.log 2>&1 && echo ok1 >> ../hook.res
  printf '#include "q.h"\nint peek2(queue q) { return q.n; }\n' > 'copy me.c'
  git add 'copy me.c' && git commit -qm copy >>../hook.log 2>&1 || echo blocked >> ../hook.res
  git commit -q --no-verify -m skip >>../hook.log 2>&1 && echo skipped >> ../hook.res
  printf '#!/bin/sh\necho mine\n' > .git/hooks/pre-commit
  "$RC" install-hook >>../hook.log 2>&1 || echo refused >> ../hook.res )
contains hook.res installed
contains hook.res ok1
contains hook.res blocked
contains hook.res skipped
contains hook.res refused
contains hook.log "copy me.c:2:17: warning: parameter 'q' passes lock by value"

finish
