#!/usr/bin/env bash
# CLI contract tests for the static command: exit statuses, errors for bad
# input, -p with a compile_commands.json, flags after --, output formats.
#   cli_test.sh RACECHECK
set -u
RC=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
mkdir -p src/include build
cat > src/include/q.h <<'H'
#include <pthread.h>
typedef struct { pthread_mutex_t mu; int n; } queue;
H
cat > src/clean.c <<'C'
#include "include/q.h"
int peek(queue *q) { return q->n; }
C
cat > src/copy.c <<'C'
#include "include/q.h"
int peek(queue q) { return q.n; }
C
cat > src/needs_flag.c <<'C'
#include <pthread.h>
#ifndef QUEUE_T
#error QUEUE_T must be defined
#endif
typedef struct { pthread_mutex_t mu; } QUEUE_T;
void take(QUEUE_T q);
C
cat > src/syntax.c <<'C'
int f(void) { return 1 +; }
C

# --- exit statuses -----------------------------------------------------
expect_status 0 "$RC" src/clean.c
expect_status 1 "$RC" src/copy.c
contains out.txt "src/copy.c:2:16: warning: parameter 'q' passes lock by value"
contains out.txt "[racecheck-copylock]"
contains out.txt "    2 | int peek(queue q) { return q.n; }"
contains out.txt "      |                ^"
contains out.txt "src/include/q.h:2:34: note: lock 'mu' declared here"
expect_status 2 "$RC"
contains err.txt "no input files"
expect_status 2 "$RC" --format=xml src/clean.c
contains err.txt "unknown format 'xml'"
expect_status 2 "$RC" --bogus src/clean.c
contains err.txt "unknown option '--bogus'"
expect_status 2 "$RC" --pch=sometimes src/clean.c
contains err.txt "--pch takes auto, always or never, not 'sometimes'"

# --time-report: where the time went, on stderr; the report is unchanged.
expect_status 1 "$RC" --format=json --no-cache -j2 src/copy.c src/clean.c
cp out.txt plain.json
expect_status 1 "$RC" --format=json --no-cache -j2 --time-report src/copy.c src/clean.c
same plain.json out.txt "--time-report changed the report"
contains err.txt "racecheck: time report"
contains err.txt "2 units analysed, 0 from the cache; 2 workers"
if grep -qE "loading libclang +0\.[0-9]*[1-9]" err.txt; then ok; else bad "no libclang load time: $(cat err.txt)"; fi
contains err.txt "2 workers gain at most"

# Usage errors after --format=json still print a JSON document.
expect_status 2 "$RC" --format=json --bogus src/clean.c
json_eval out.txt 'd["findings"] == [] and "unknown option" in d["errors"][0]["message"]'
expect_status 2 "$RC" --format=json
json_eval out.txt '"no input files" in d["errors"][0]["message"]'

# --- bad input: one clear error line, other files still analysed --------
expect_status 2 "$RC" --format=json src/missing.c src/copy.c
valid_json out.txt
json_eval out.txt 'd["errors"][0]["file"] == "src/missing.c" and "No such file" in d["errors"][0]["message"]'
json_eval out.txt 'len(d["findings"]) == 1 and d["findings"][0]["file"] == "src/copy.c"'
contains err.txt "src/missing.c: error: cannot open file: No such file or directory"
expect_status 2 "$RC" --format=json src/syntax.c src/copy.c
valid_json out.txt
json_eval out.txt '"src/syntax.c:1:25: error: expected expression" in d["errors"][0]["message"]'
json_eval out.txt 'len(d["findings"]) == 1'
expect_status 2 "$RC" src/
contains out.txt "src/: error: is a directory"
expect_status 2 "$RC" src/needs_flag.c
contains out.txt "QUEUE_T must be defined"

# --- flags after -- ----------------------------------------------------
expect_status 1 "$RC" --format=json src/needs_flag.c -- -DQUEUE_T=lockbox
json_eval out.txt 'd["findings"][0]["line"] == 6 and "lockbox" in d["findings"][0]["message"]'

# --- -p with a compile_commands.json -----------------------------------
cat > build/compile_commands.json <<J
[
 {"directory": "$WORK/build", "file": "../src/needs_flag.c",
  "command": "cc -DQUEUE_T=dbqueue -I../src -c ../src/needs_flag.c -o needs_flag.o"},
 {"directory": "$WORK/build", "file": "$WORK/src/copy.c",
  "arguments": ["cc", "-Wall", "-c", "$WORK/src/copy.c", "-o", "copy.o"]},
 {"directory": "$WORK/build", "file": "$WORK/src/clean.c",
  "arguments": ["cc", "-c", "$WORK/src/clean.c"]}
]
J
expect_status 1 "$RC" -p build --format=json
json_eval out.txt 'sorted(f["file"] for f in d["findings"]) == ["src/copy.c", "src/needs_flag.c"]'
json_eval out.txt 'any("dbqueue" in f["message"] for f in d["findings"])'
expect_status 1 "$RC" -p build --format=json src/needs_flag.c
json_eval out.txt 'len(d["findings"]) == 1 and d["findings"][0]["file"] == "src/needs_flag.c"'
expect_status 2 "$RC" -p nowhere --format=json
json_eval out.txt 'd["errors"][0]["file"] == "nowhere" and "compile_commands.json" in d["errors"][0]["message"]'

# --- --checks, -o, --version, --help, --list-checks --------------------
expect_status 0 "$RC" --checks=-copylock src/copy.c
expect_status 0 "$RC" --checks='-*' src/copy.c
expect_status 1 "$RC" --checks='-*,racecheck-copylock' src/copy.c
expect_status 2 "$RC" --checks=nosuch src/copy.c
contains err.txt "unknown check 'nosuch'"
expect_status 1 "$RC" --format json -o report.json src/copy.c
valid_json report.json
json_eval report.json 'd["version"] == 1 and d["tool"]["name"] == "racecheck" and d["findings"][0]["check"] == "copylock" and d["findings"][0]["source"] == "static" and d["findings"][0]["function"] == "peek" and d["findings"][0]["column"] == 16 and d["findings"][0]["notes"][0]["line"] == 2'
expect_status 0 "$RC" --version
contains out.txt "racecheck 0.1.0"
expect_status 0 "$RC" --help
contains out.txt "Usage: racecheck"
expect_status 0 "$RC" --list-checks
contains out.txt "copylock"

# --- odd file names ----------------------------------------------------
cp src/copy.c "./-x.c"; cp src/copy.c "a file with 'quotes' and spaces.c"
sed -i 's|include/q.h|src/include/q.h|' ./-x.c "a file with 'quotes' and spaces.c"
expect_status 1 "$RC" --format=json "./-x.c" "a file with 'quotes' and spaces.c"
json_eval out.txt 'sorted(f["file"] for f in d["findings"]) == ["./-x.c", "a file with '"'"'quotes'"'"' and spaces.c"]'

# A file name that is not UTF-8 still gives valid JSON; a C file named
# without .c is still analysed as C.
cp src/copy.c "$(printf 'bad\xffname.c')"
sed -i 's|include/q.h|src/include/q.h|' bad*name.c
expect_status 1 "$RC" --format=json bad*name.c
valid_json out.txt
json_eval out.txt 'd["findings"][0]["file"] == "bad\ufffdname.c"'
cp src/copy.c src/copy.inc
expect_status 1 "$RC" --format=json src/copy.inc
json_eval out.txt 'd["findings"][0]["file"] == "src/copy.inc"'

# --- a lock leak across files is reported once, where it shows first ---
mkdir -p leak
cat > leak/pack.c <<'C'
#include <pthread.h>
pthread_mutex_t pack_mu = PTHREAD_MUTEX_INITIALIZER;
int pack_find(int key);
int pack_get(int key)
{
    pthread_mutex_lock(&pack_mu);
    int error = pack_find(key);
    if (error > 0)
        return error;
    pthread_mutex_unlock(&pack_mu);
    return error;
}
void pack_put(int key) { pthread_mutex_lock(&pack_mu); pack_find(key); pthread_mutex_unlock(&pack_mu); }
C
cat > leak/users.c <<'C'
int pack_get(int key);
void pack_put(int key);
void user_a(int k) { pack_get(k); pack_put(k); }
void user_b(int k) { pack_get(k); pack_put(k); }
void user_c(int k) { pack_get(k); pack_put(k); }
C
expect_status 1 "$RC" --no-cache leak/pack.c leak/users.c
contains out.txt "leak/users.c:3:35: warning: call to 'pack_put' acquires 'pack_mu', which is already held here"
contains out.txt "leak/pack.c:6:5: note: 'pack_get' takes the lock here and can return without releasing it; 2 more findings that follow from this leak are not reported"
cp out.txt leak1.txt
expect_status 1 "$RC" --no-cache -j3 leak/users.c leak/pack.c
same leak1.txt out.txt "a leak's finding at -j1 and at -j3 with the files the other way round"
expect_status 1 "$RC" --no-cache --format=json leak/pack.c leak/users.c
json_eval out.txt 'len(d["findings"]) == 1 and d["findings"][0]["notes"][1]["line"] == 6'

finish
