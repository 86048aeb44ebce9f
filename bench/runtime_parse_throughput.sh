#!/bin/sh
# runtime_parse_throughput.sh -- `racecheck parse` throughput (MB/s) on a big
# generated TSan log: the captured fixtures (gcc and clang) concatenated,
# with the pids varied, until the log reaches SIZE megabytes.
#
# Usage: bench/runtime_parse_throughput.sh [--racecheck PATH] [--size MB]
#            [--dir DIR] [--format text|json] [--runs N] [--keep]
#   --racecheck  racecheck binary (default: build/racecheck, then PATH)
#   --size       log size in MB (default 100)
#   --dir        where the log is written (default: a mktemp dir in /tmp)
#   --format     output format parsed into (default json, the most work)
#   --runs       timed runs; the best is reported (default 3)
#   --keep       keep the generated log
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
rc=""; size=100; dir=""; format=json; runs=3; keep=0
while [ $# -gt 0 ]; do
    case $1 in
    --racecheck) rc=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --format) format=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$rc" ]; then
    if [ -x "$here/build/racecheck" ]; then rc=$here/build/racecheck
    else rc=$(command -v racecheck) || { echo "no racecheck (use --racecheck)" >&2; exit 2; }
    fi
fi
[ -n "$dir" ] || dir=$(mktemp -d)
mkdir -p "$dir"
log=$dir/big_tsan.log
[ $keep -eq 1 ] || trap 'rm -f "$log" "$log.seed"' EXIT

# One round of every fixture log; then doubling until the size is reached.
fx=$here/tests/runtime/fixtures
cat "$fx"/clang/*.log "$fx"/gcc/*.log >"$log.seed"
want=$((size * 1024 * 1024))
: >"$log"
i=0
while [ "$(wc -c <"$log")" -lt $want ]; do
    i=$((i + 1))
    sed "s/(pid=\([0-9]*\))/(pid=\1$i)/" "$log.seed" >>"$log"
    [ "$(wc -c <"$log")" -lt $((want / 2)) ] && [ $i -gt 4 ] && { cat "$log" >"$log.seed"; }
done
truncate -s $want "$log"
bytes=$(wc -c <"$log")
reports=$(grep -c '^WARNING: ThreadSanitizer:' "$log")
echo "log: $log, $(awk -v b=$bytes 'BEGIN{printf "%.1f", b/1048576}') MB, $reports reports"

best=""
r=0
while [ $r -lt "$runs" ]; do
    r=$((r + 1))
    t0=$(date +%s.%N)
    "$rc" parse --no-config --format "$format" "$log" >/dev/null 2>&1
    st=$?
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b - a}')
    echo "run $r: ${secs} s (exit $st)"
    if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$secs; fi
done
awk -v b=$bytes -v s="$best" -v n=$reports 'BEGIN{
    printf "parse throughput (--format '"$format"'): %.1f MB/s, %.0f reports/s (best of '"$runs"': %s s)\n",
           b / 1048576 / s, n / s, s }'
