#!/usr/bin/env bash
# Static-analysis benchmark: racecheck against the floor of any libclang
# pass (parse_floor: parse and dispose, same files and flags), clang-tidy
# with one check, and clang's static analyzer with alpha.unix.PthreadLock;
# the -j2 speedup, a warm-cache re-run, and peak memory.  racecheck parses
# with -w added (it reports no compiler warnings), so the floor and
# clang-tidy are also measured with -w, for a like-for-like ratio.
# racecheck is measured as it runs (--pch=auto: the #include lines many
# files begin with alike are precompiled once) and with --pch=never.
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
# A loop that only adds, alone and two side by side: whether the two cores
# are whole cores.  When these give 2x and two floors much less, what
# bounds -j2 is the memory the cores share, which parsing leans on.
adder() { awk 'BEGIN { for (i = 0; i < 2e7; i++) s += i; print s }'; }
two_adders() {
    adder >/dev/null &
    adder >/dev/null
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
# The main measures run in rounds, one of each per round, and each ratio
# is the median of its rounds' ratios: a shared machine's speed drifts by
# 20% within minutes, and a ratio of two runs a second apart drifts less.
declare -A T
measures="floor floor_w rc1 rc1n rc2 rc2n both add add2 cold warm"
[ "${OTHERS:-1}" != 0 ] && measures="$measures tidy tidy_w"
for _ in $(seq "$REPEAT"); do
    for m in $measures; do
        [ "$m" = cold ] && rm -rf "$TMP/cache"   # not timed
        case $m in
        floor) cmd=("$FLOOR" "$PROJ") ;;
        floor_w) cmd=("$FLOOR" "$PROJ" -w) ;;
        rc1) cmd=("$RC" -p "$PROJ" -j1 --no-cache) ;;
        rc2) cmd=("$RC" -p "$PROJ" -j2 --no-cache) ;;
        rc1n) cmd=("$RC" -p "$PROJ" -j1 --no-cache --pch=never) ;;
        rc2n) cmd=("$RC" -p "$PROJ" -j2 --no-cache --pch=never) ;;
        both) cmd=(two_floors) ;;
        add) cmd=(adder) ;;
        add2) cmd=(two_adders) ;;
        cold | warm) cmd=("$RC" -p "$PROJ" -j1 --cache-dir="$TMP/cache") ;;
        tidy) cmd=(clang_tidy_all) ;;
        tidy_w) cmd=(clang_tidy_all --extra-arg=-w) ;;
        esac
        s=$(date +%s.%N); "${cmd[@]}" >/dev/null 2>&1 || true; e=$(date +%s.%N)
        T[$m]="${T[$m]:-} $(echo "$e - $s" | bc)"
    done
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# rratio A B [K]: the median over rounds of K (default 1) times A's time / B's.
rratio() {
    paste <(printf '%s\n' ${T[$1]}) <(printf '%s\n' ${T[$2]}) |
        awk -v k="${3:-1}" '{print k * $1 / $2}' | sort -n | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]}'
}
for m in $measures; do printf -v "$m" '%s' "$(median "${T[$m]}")"; done
tidy=${tidy:-0} tidy_w=${tidy_w:-0} sa=0
[ "${OTHERS:-1}" != 0 ] && sa=$(median_time clang_sa_all)
mem_rc=$( (/usr/bin/time -f %M "$RC" -p "$PROJ" -j1 --no-cache 2>&1 >/dev/null || true) | tail -1)
mem_floor=$( (/usr/bin/time -f %M "$FLOOR" "$PROJ" 2>&1 >/dev/null || true) | tail -1)

printf '%-44s %8s %8s\n' "measure" "seconds" "ratio"
printf '%-44s %8.2f %8s\n' "parse floor (parse_floor)" "$floor" "1.00"
printf '%-44s %8.2f %8s\n' "parse floor with -w" "$floor_w" "$(rratio floor_w floor)"
printf '%-44s %8.2f %8s   target <= 1.2; over the -w floor: %s\n' "racecheck -j1 --no-cache" "$rc1" \
       "$(rratio rc1 floor)" "$(rratio rc1 floor_w)"
printf '%-44s %8.2f %8s   over the -w floor: %s\n' "the same with --pch=never" "$rc1n" \
       "$(rratio rc1n floor)" "$(rratio rc1n floor_w)"
if [ "${OTHERS:-1}" != 0 ]; then
    printf '%-44s %8.2f %8s\n' "clang-tidy --checks=-*,misc-non-copyable-objects" "$tidy" "$(rratio tidy floor)"
    printf '%-44s %8.2f %8s   racecheck -j1 / this: %s\n' "the same with --extra-arg=-w" "$tidy_w" \
           "$(rratio tidy_w floor)" "$(rratio rc1 tidy_w)"
    printf '%-44s %8.2f %8s\n' "clang --analyze alpha.unix.PthreadLock" "$sa" "$(ratio "$sa" "$floor")"
fi
printf '%-44s %8.2f %8s   speedup %s (target >= 1.8)\n' "racecheck -j2 --no-cache" "$rc2" "$(rratio rc2 floor)" "$(rratio rc1 rc2)"
printf '%-44s %8.2f %8s   speedup %s\n' "the same with --pch=never" "$rc2n" "$(rratio rc2n floor)" "$(rratio rc1n rc2n)"
# What runs on one thread (inputs, waiting for libclang, what is left of
# the fold, the whole-program pass) bounds the speedup, whatever the cores
# give.  Measured under -j2: there the fold mostly overlaps the parsing.
serial=$( ("$RC" -p "$PROJ" -j2 --no-cache --time-report 2>&1 >/dev/null || true) | sed -n 's/^ *on one thread *//p')
printf '%-44s %s\n' "  on one thread (--time-report)" "$serial"
printf '%-44s %8.2f %8s   two cores give %s\n' "two parse floors (-w) side by side" "$both" "$(rratio both floor)" \
       "$(rratio floor_w both 2)"
printf '%-44s %8.2f %8s   two cores give %s\n' "two adding loops side by side (awk)" "$add2" "-" \
       "$(rratio add add2 2)"
printf '%-44s %8.2f %8s   over --no-cache: %s\n' "racecheck -j1, cold cache" "$cold" "$(rratio cold floor)" \
       "$(rratio cold rc1)"
printf '%-44s %8.2f %8s   of cold: %s (target <= 0.05)\n' "racecheck -j1, warm cache" "$warm" "$(rratio warm floor)" \
       "$(rratio warm cold)"
printf '%-44s %8s KB (parse floor %s KB)\n' "peak RSS racecheck -j1" "$mem_rc" "$mem_floor"
