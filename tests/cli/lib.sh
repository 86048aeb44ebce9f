# lib.sh -- what the CLI test scripts share: a scratch directory that is
# removed on exit, pass/fail counting, and assertions on exit statuses,
# output and JSON.  Source it after setting nothing; call `finish` last.
WORK=$(mktemp -d)
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
pass=0 fail=0 skip=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }
skip() { skip=$((skip + 1)); echo "SKIP: $*"; }

# expect_status WANT CMD...: run CMD with stdout in out.txt, stderr in err.txt.
expect_status() {
    local want=$1; shift
    "$@" >out.txt 2>err.txt
    local got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$* -> exit $got, want $want"; head -c 600 err.txt; fi
}
# contains FILE TEXT: FILE holds TEXT (fixed string).
contains() { if grep -qF -- "$2" "$1"; then ok; else bad "'$2' not in $1: $(head -c 400 "$1")"; fi; }
valid_json() {
    if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null; then ok
    else bad "invalid JSON in $1: $(head -c 300 "$1")"; fi
}
# json_eval FILE PYEXPR: PYEXPR, over the parsed document d, is true.
json_eval() {
    if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" 2>/dev/null; then ok
    else bad "json check failed: $2 on $(head -c 600 "$1")"; fi
}
# same A B WHAT: the two files are identical.
same() { if cmp -s "$1" "$2"; then ok; else bad "$3: outputs differ"; diff "$1" "$2" | head -20; fi; }

finish() {
    echo "$pass passed, $fail failed, $skip skipped"
    [ "$fail" = 0 ]
}
