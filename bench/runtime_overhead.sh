#!/bin/bash
# runtime_overhead.sh -- wall time of `racecheck run -j 1` against compiling
# and running the same programs by hand, one after the other, with the same
# compiler flags and TSAN_OPTIONS (log_path to a temp dir).  Overhead =
# racecheck / by-hand - 1; the target is <= 5 %.
#
# Usage: bench/runtime_overhead.sh [--racecheck PATH] [--cc CC] [--rounds N]
#            [--timeout SEC] [FILE.c...]
#   FILE.c   programs that terminate (default: samples/*.c and the
#            tests/runtime/programs/*.c that end by themselves)
#   --rounds rounds of each side, alternated; the median is reported (default 3)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
rc=""; cc=${CC:-cc}; rounds=3; timeout=60
while [ $# -gt 0 ]; do
    case $1 in
    --racecheck) rc=$2; shift 2 ;;
    --cc) cc=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
    esac
done
if [ -z "$rc" ]; then
    if [ -x "$here/build/racecheck" ]; then rc=$here/build/racecheck
    else rc=$(command -v racecheck) || { echo "no racecheck (use --racecheck)" >&2; exit 2; }
    fi
fi
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    files=("$here"/samples/*.c)
    for f in "$here"/tests/runtime/programs/*.c; do
        case $(basename "$f") in
        spin_forever.c|self_deadlock.c|compile_error.c|fake_mmap_error.c) ;;  # hang / no build / not TSan
        *) files+=("$f") ;;
        esac
    done
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
opts="halt_on_error=0 second_deadlock_stack=1 atexit_sleep_ms=0 color=never history_size=4 exitcode=66 handle_abort=1"

now() { date +%s.%N; }
by_hand() {
    local f d
    for f in "${files[@]}"; do
        d=$(mktemp -d "$work/h.XXXXXX")
        "$cc" -fsanitize=thread -g -O1 -pthread -o "$d/prog" "$f" >"$d/cc.log" 2>&1 &&
            (cd "$d" && TSAN_OPTIONS="$opts log_path=$d/tsan" timeout "$timeout" ./prog \
                </dev/null >"$d/out.log" 2>&1)
        rm -rf "$d"
    done
}
with_racecheck() {
    TMPDIR=$work "$rc" run --no-config --cc "$cc" -j 1 --timeout "$timeout" --format json \
        "${files[@]}" >"$work/rc.json" 2>/dev/null
}
echo "programs: ${#files[@]} ($cc), rounds: $rounds"
hand=(); rcs=()
for r in $(seq "$rounds"); do
    t0=$(now); by_hand; t1=$(now)
    with_racecheck; t2=$(now)
    h=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
    c=$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.3f", b-a}')
    hand+=("$h"); rcs+=("$c")
    echo "round $r: by hand ${h} s, racecheck run ${c} s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mh=$(median "${hand[@]}"); mc=$(median "${rcs[@]}")
awk -v h="$mh" -v c="$mc" 'BEGIN{printf "median: by hand %.3f s, racecheck %.3f s, overhead %+.1f %% (target <= 5 %%)\n", h, c, (c/h-1)*100}'
