#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind) of racecheck -j1 --no-cache
# against the parse floor over one compile_commands.json.  Wall time on a
# shared 2-core machine varies by 10% or more from run to run; the count
# of instructions does not, so this is the figure to compare changes by.
# clang-tidy with one check is counted too (OTHERS=0 skips it): it parses
# with libclang-cpp rather than libclang, whose code retires instructions
# at another rate, so its count and its wall time tell different stories.
#
#   bench/static_instructions.sh BUILD_DIR PROJECT_DIR
#
# Slow (about 50 times a normal run).  Prints figures; not a test.
set -euo pipefail
BUILD=$(realpath "$1")
PROJ=$(realpath "$2")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 2; }

# instructions CMD...: the Ir total callgrind reports for CMD (whose own
# exit status, 1 when racecheck finds something, does not matter here).
instructions() {
    { valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$@" 2>&1 >/dev/null || true; } |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

floor=$(instructions "$BUILD/bench/parse_floor" "$PROJ")
floor_w=$(instructions "$BUILD/bench/parse_floor" "$PROJ" -w)
rc=$(instructions "$BUILD/racecheck" -p "$PROJ" -j1 --no-cache)
rc_never=$(instructions "$BUILD/racecheck" -p "$PROJ" -j1 --no-cache --pch=never)
echo "project: $PROJ"
printf '%-34s %16s %8s\n' "measure" "instructions" "ratio"
printf '%-34s %16s %8s\n' "parse floor (parse_floor)" "$floor" "1.00"
printf '%-34s %16s %8s\n' "parse floor with -w" "$floor_w" \
       "$(echo "scale=3; $floor_w / $floor" | bc)"
printf '%-34s %16s %8s   target <= 1.2; over the -w floor: %s\n' "racecheck -j1 --no-cache" "$rc" \
       "$(echo "scale=3; $rc / $floor" | bc)" "$(echo "scale=3; $rc / $floor_w" | bc)"
printf '%-34s %16s %8s   over the -w floor: %s\n' "the same with --pch=never" "$rc_never" \
       "$(echo "scale=3; $rc_never / $floor" | bc)" "$(echo "scale=3; $rc_never / $floor_w" | bc)"
if [ "${OTHERS:-1}" != 0 ] && command -v clang-tidy >/dev/null; then
    mapfile -t files < <(python3 -c 'import json, os, sys
for e in json.load(open(sys.argv[1])):
    f = os.path.normpath(os.path.join(e["directory"], e["file"]))
    if f.endswith(".c"): print(f)' "$PROJ/compile_commands.json" | sort -u)
    tidy=$(instructions clang-tidy -p "$PROJ" --quiet --checks='-*,misc-non-copyable-objects' \
               "${files[@]}")
    printf '%-34s %16s %8s   racecheck / clang-tidy: %s\n' "clang-tidy, one check" "$tidy" \
           "$(echo "scale=3; $tidy / $floor" | bc)" "$(echo "scale=3; $rc / $tidy" | bc)"
fi
