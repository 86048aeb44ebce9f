#!/bin/sh
# run_checks.sh RACECHECK SRCDIR -- end-to-end checks of `racecheck run` and
# `racecheck parse` that verify cannot express: exit statuses, error entries,
# --exec, the no-ASLR retry, stdin, and that nothing is left behind
# (processes, temp files).  Run from SRCDIR/programs.
set -u
rc=$1
src=$2
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc=${CC:-cc}

# A file that does not compile is an error entry (exit 2); the others run.
TMPDIR=$tmp/t; mkdir -p "$TMPDIR"; export TMPDIR
"$rc" run --timeout 5 -j 2 --format json compile_error.c race_global.c >"$tmp/out.json" 2>"$tmp/err"
st=$?
[ $st -eq 2 ] || fail "compile error: exit $st, expected 2"
grep -q 'does not compile: .*undeclared' "$tmp/out.json" || fail "compile error: no error entry with the compiler's message"
grep -q '"check":[[:space:]]*"data-race"' "$tmp/out.json" || fail "compile error: the other file did not run"

# Nothing left in TMPDIR, no program left running after a hang.
# (Copies under unique names: other tests may be running the originals.)
cp self_deadlock.c "$tmp/rcprobe_lock.c"
cp spin_forever.c "$tmp/rcprobe_spin.c"
"$rc" run --timeout 2 --format json "$tmp/rcprobe_lock.c" "$tmp/rcprobe_spin.c" >"$tmp/hang.json"
[ $? -eq 1 ] || fail "hang: exit status not 1"
grep -q '"deadlock"' "$tmp/hang.json" || fail "hang: no deadlock finding"
grep -q '"timeout"' "$tmp/hang.json" || fail "hang: no timeout finding"
[ -z "$(ls -A "$TMPDIR")" ] || fail "temp files left behind: $(ls -A "$TMPDIR")"
if ps -eo comm | grep -qE '^rcprobe_(lock|spin)$'; then
    fail "hung programs still running"
fi
unset TMPDIR

# --exec with an already instrumented program and its arguments.
if "$cc" -fsanitize=thread -g -O1 -pthread -o "$tmp/rg" race_global.c 2>/dev/null; then
    "$rc" run --format json --exec "$tmp/rg" some args >"$tmp/exec.json"
    [ $? -eq 1 ] || fail "--exec: exit status not 1"
    grep -q 'race_global.c' "$tmp/exec.json" || fail "--exec: race not located in race_global.c"
fi

# "unexpected memory mapping" is retried once with ASLR off.
"$cc" -o "$tmp/fake" fake_mmap_error.c || fail "cannot build fake_mmap_error"
"$rc" run --format json --exec "$tmp/fake" >"$tmp/fake.json" 2>&1
[ $? -eq 0 ] || fail "no-ASLR retry did not happen: $(cat "$tmp/fake.json")"

# A program that cannot be run is an error, not silence.
"$rc" run --format json --exec /nonexistent/prog >"$tmp/ne.json" 2>/dev/null
[ $? -eq 2 ] || fail "--exec of a missing program: exit status not 2"

# parse: stdin, truncated input, and errors for unreadable logs.
head -c 300 "$src/fixtures/gcc/race_heap.log" | "$rc" parse --format json - >"$tmp/p.json"
st=$?
[ $st -eq 1 ] || [ $st -eq 0 ] || fail "parse of a truncated log: exit $st"
"$rc" parse --format json /nonexistent.log >/dev/null 2>&1
[ $? -eq 2 ] || fail "parse of a missing log: exit status not 2"
"$rc" parse --format json "$src/fixtures/synthetic/mixed.log" >/dev/null 2>&1
[ $? -eq 2 ] || fail "parse: TSan fatal errors must give exit 2"

# A big log is parsed a few MB at a time, with repeats collapsed while
# parsing: 4096 copies of a fixture give its findings, each counted 4096 times.
cp "$src/fixtures/clang/race_heap.log" "$tmp/big.log"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do cat "$tmp/big.log" "$tmp/big.log" >"$tmp/big2.log"; mv "$tmp/big2.log" "$tmp/big.log"; done
"$rc" parse --format json "$tmp/big.log" >"$tmp/big.json"
"$rc" parse --format json "$src/fixtures/clang/race_heap.log" >"$tmp/one.json"
n1=$(grep -c '"check":' "$tmp/one.json")
nb=$(grep -c '"check":' "$tmp/big.json")
nc=$(grep -c '"count":[[:space:]]*4096' "$tmp/big.json")
[ "$n1" -gt 0 ] && [ "$nb" -eq "$n1" ] && [ "$nc" -eq "$n1" ] ||
    fail "big log: $nb findings ($nc counted 4096 times), expected $n1"

# Usage errors and help.
"$rc" run --timeout=0 x.c >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --timeout accepted"
"$rc" run >/dev/null 2>&1; [ $? -eq 2 ] || fail "run without inputs accepted"
"$rc" run --help | grep -q -- '--exec' || fail "run --help incomplete"
"$rc" parse --help | grep -q -- '--format' || fail "parse --help incomplete"

echo "run_checks: $fails failure(s)"
[ $fails -eq 0 ]
