#!/usr/bin/env bash
# Static-analysis benchmark: racecheck against the floor of any libclang
# pass (parse_floor: parse and dispose, same files and flags), clang-tidy
# with one check, and clang's static analyzer with alpha.unix.PthreadLock;
# the -j2 speedup, a warm-cache re-run, and peak memory.  racecheck parses
# with -w added (it reports no compiler warnings), so the floor and
# clang-tidy are also measured with -w, for a like-for-like ratio.
#
#   bench/static_bench.sh BUILD_DIR PROJECT_DIR [REPEAT]
#
# BUILD_DIR is racecheck's CMake build (racecheck, bench/parse_floor);
# PROJECT_DIR holds the compile_commands.json to measure (a real project's,
# or one made by bench/gen_corpus.py).  Each figure is the median of REPEAT
# runs (default 3).  OTHERS=0 skips clang-tidy and the static analyzer
# (the latter takes minutes on a real project).  Nothing here is a test:
# it prints figures.
set -euo pipefail
BUILD=$(realpath "$1")
PROJ=$(realpath "$2")
REPEAT=${3:-3}
RC=$BUILD/racecheck
FLOOR=$BUILD/bench/parse_floor
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ -f "$PROJ/compile_commands.json" ] || { echo "no compile_commands.json in $PROJ" >&2; exit 2; }

# The C files and their arguments, as racecheck reads them.
python3 - "$PROJ/compile_commands.json" > "$TMP/files.tsv" <<'PY'
import json, os, shlex, sys
seen = set()
for e in json.load(open(sys.argv[1])):
    args = e.get("arguments") or shlex.split(e["command"])
    f = e["file"] if os.path.isabs(e["file"]) else os.path.join(e["directory"], e["file"])
    f = os.path.normpath(f)
    if not f.endswith(".c") or f in seen:
        continue
    seen.add(f)
    out, skip = [], False
    for a in args[1:]:
        if skip: skip = False; continue
        if a in ("-o", "-MF", "-MT", "-MQ"): skip = True; continue
        if a in ("-c", "-MD", "-MMD", "-MP") or os.path.normpath(os.path.join(e["directory"], a)) == f:
            continue
        out.append(a)
    print(e["directory"] + "\t" + f + "\t" + " ".join(shlex.quote(a) for a in out))
PY
nfiles=$(wc -l < "$TMP/files.tsv")
lines=$(cut -f2 "$TMP/files.tsv" | xargs cat | wc -l)

# median_time CMD...: median wall seconds of REPEAT runs.
median_time() {
    local t=()
    for _ in $(seq "$REPEAT"); do
        local s e
        s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
        t+=("$(echo "$e - $s" | bc)")
    done
    printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
ratio() { echo "scale=2; $1 / $2" | bc; }

# Two floors side by side: what two cores give this minute.  On a shared
# machine it has measured anywhere from 1.2x to 1.9x one floor's
# throughput, which bounds racecheck's -j2 speedup in the same minutes.
two_floors() {
    "$FLOOR" "$PROJ" -w >/dev/null 2>&1 &
    "$FLOOR" "$PROJ" -w >/dev/null 2>&1
    wait
}

clang_tidy_all() {
    cut -f2 "$TMP/files.tsv" | xargs clang-tidy -p "$PROJ" --quiet --checks='-*,misc-non-copyable-objects' "$@"
}
clang_sa_all() {
    while IFS=$'\t' read -r dir file args; do
        (cd "$dir" && eval "clang --analyze -Xanalyzer -analyzer-checker=alpha.unix.PthreadLock $args -o /dev/null \"$file\"")
    done < "$TMP/files.tsv"
}

echo "project: $PROJ ($nfiles C files, $lines lines), median of $REPEAT runs"
floor=$(median_time "$FLOOR" "$PROJ")
floor_w=$(median_time "$FLOOR" "$PROJ" -w)
rc1=$(median_time "$RC" -p "$PROJ" -j1 --no-cache)
rc2=$(median_time "$RC" -p "$PROJ" -j2 --no-cache)
both=$(median_time two_floors)
tidy=0 tidy_w=0 sa=0
if [ "${OTHERS:-1}" != 0 ]; then
    tidy=$(median_time clang_tidy_all)
    tidy_w=$(median_time clang_tidy_all --extra-arg=-w)
    sa=$(median_time clang_sa_all)
fi
rm -rf "$TMP/cache"
cold=$(median_time bash -c "rm -rf '$TMP/cache'; '$RC' -p '$PROJ' -j1 --cache-dir='$TMP/cache'")
"$RC" -p "$PROJ" -j1 --cache-dir="$TMP/cache" >/dev/null 2>&1 || true
warm=$(median_time "$RC" -p "$PROJ" -j1 --cache-dir="$TMP/cache")
mem_rc=$( (/usr/bin/time -f %M "$RC" -p "$PROJ" -j1 --no-cache 2>&1 >/dev/null || true) | tail -1)
mem_floor=$( (/usr/bin/time -f %M "$FLOOR" "$PROJ" 2>&1 >/dev/null || true) | tail -1)

printf '%-44s %8s %8s\n' "measure" "seconds" "ratio"
printf '%-44s %8.2f %8s\n' "parse floor (parse_floor)" "$floor" "1.00"
printf '%-44s %8.2f %8s\n' "parse floor with -w" "$floor_w" "$(ratio "$floor_w" "$floor")"
printf '%-44s %8.2f %8s   target <= 1.2; over the -w floor: %s\n' "racecheck -j1 --no-cache" "$rc1" \
       "$(ratio "$rc1" "$floor")" "$(ratio "$rc1" "$floor_w")"
if [ "${OTHERS:-1}" != 0 ]; then
    printf '%-44s %8.2f %8s\n' "clang-tidy --checks=-*,misc-non-copyable-objects" "$tidy" "$(ratio "$tidy" "$floor")"
    printf '%-44s %8.2f %8s\n' "the same with --extra-arg=-w" "$tidy_w" "$(ratio "$tidy_w" "$floor")"
    printf '%-44s %8.2f %8s\n' "clang --analyze alpha.unix.PthreadLock" "$sa" "$(ratio "$sa" "$floor")"
fi
printf '%-44s %8.2f %8s   speedup %s (target >= 1.8)\n' "racecheck -j2 --no-cache" "$rc2" "$(ratio "$rc2" "$floor")" "$(ratio "$rc1" "$rc2")"
printf '%-44s %8.2f %8s   two cores give %s\n' "two parse floors (-w) side by side" "$both" "$(ratio "$both" "$floor")" \
       "$(echo "scale=2; 2 * $floor_w / $both" | bc)"
printf '%-44s %8.2f %8s\n' "racecheck -j1, cold cache" "$cold" "$(ratio "$cold" "$floor")"
printf '%-44s %8.2f %8s   of cold: %s (target <= 0.05)\n' "racecheck -j1, warm cache" "$warm" "$(ratio "$warm" "$floor")" "$(ratio "$warm" "$cold")"
printf '%-44s %8s KB (parse floor %s KB)\n' "peak RSS racecheck -j1" "$mem_rc" "$mem_floor"
