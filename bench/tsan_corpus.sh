#!/bin/bash
# tsan_corpus.sh -- validate racecheck's TSan log parser against
# ThreadSanitizer's own lit tests (compiler-rt/test/tsan).
#
# Usage: bench/tsan_corpus.sh [options] COMPILER_RT_DIR
#   COMPILER_RT_DIR  an extracted compiler-rt checkout (needs test/tsan and
#                    test/sanitizer_common/print_address.h), e.g.
#                    git --git-dir=MIRROR archive HEAD test/tsan \
#                        test/sanitizer_common | tar -C DIR -x
# Options:
#   --racecheck PATH  racecheck binary (default: build/racecheck, then PATH)
#   --cc CC           C compiler; repeat for several (default: clang-14, gcc)
#   --cxx CXX         also the C++ tests (*.cpp), compiled with CXX
#                     (e.g. clang++-14); default: C tests only
#   --via-run         run the tests with `racecheck run --exec` instead of
#                     running them directly and `racecheck parse` on the logs
#   --timeout SEC     per run (default 20)
#   --work DIR        scratch dir (default: a mktemp dir, removed at the end)
#   --only GLOB       only test files matching GLOB (e.g. 'thread_leak*')
#   -v                print one line per test
#
# For each test: the first RUN line that builds %t gives the extra compiler
# flags (plus -fsanitize=thread -g -O1 -I test/tsan -I test); the first RUN
# line that runs %t into FileCheck gives the arguments, %env_tsan_opts and the
# check prefix.  Expected kinds are that prefix's CHECK/CHECK-NEXT/CHECK-DAG
# lines naming `ThreadSanitizer: <kind>` for a known report kind (not
# SUMMARY, nor notes like "ThreadSanitizer: thread T1 finished with ignores
# enabled"); a finding counts as many reports as its `count`.  Tests whose
# REQUIRES/UNSUPPORTED/XFAIL exclude linux-x86_64, or that need lit
# substitutions this script does not provide (%p, %ld_flags..., shared
# helper libraries), are skipped.  The program runs with ASLR off, log_path
# to an absolute path and a timeout; %deflake tests are retried up to 3 times.
#
# A missed kind is attributed to the parser when the raw log does contain a
# `WARNING: ThreadSanitizer: <kind>` header for it, and to the runtime (TSan
# version, flaky test, different behaviour of gcc's libtsan) otherwise.
# Nothing from compiler-rt is copied anywhere but the scratch dir.
set -u
rc=""
ccs=()
cxx=""
via_run=0
timeout=20
work=""
only="*"
verbose=0
while [ $# -gt 0 ]; do
    case $1 in
    --racecheck) rc=$2; shift 2 ;;
    --cc) ccs+=("$2"); shift 2 ;;
    --cxx) cxx=$2; shift 2 ;;
    --via-run) via_run=1; shift ;;
    --timeout) timeout=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    -v) verbose=1; shift ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "tsan_corpus.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -eq 1 ] || { echo "usage: tsan_corpus.sh [options] COMPILER_RT_DIR (see --help)" >&2; exit 2; }
crt=$(cd "$1" && pwd) || exit 2
tdir=$crt/test/tsan
[ -d "$tdir" ] || { echo "tsan_corpus.sh: no test/tsan in $crt" >&2; exit 2; }
if [ -z "$rc" ]; then
    here=$(cd "$(dirname "$0")/.." && pwd)
    if [ -x "$here/build/racecheck" ]; then rc=$here/build/racecheck
    else rc=$(command -v racecheck) || { echo "tsan_corpus.sh: no racecheck (use --racecheck)" >&2; exit 2; }
    fi
fi
[ ${#ccs[@]} -gt 0 ] || ccs=(clang-14 gcc)
cleanup_work=0
if [ -z "$work" ]; then work=$(mktemp -d); cleanup_work=1; fi
mkdir -p "$work"
trap '[ $cleanup_work -eq 1 ] && rm -rf "$work"' EXIT
arch=$(uname -m)

# header text (after "ThreadSanitizer: ") -> racecheck's check slug; longest first.
slug() {
    local h=$1
    case $h in
    "data race on vptr"*) echo data-race-vptr ;;
    "data race"*) echo data-race ;;
    "heap-use-after-free (virtual call vs free)"*) echo heap-use-after-free-vptr ;;
    "heap-use-after-free"*) echo heap-use-after-free ;;
    "race on external object"*) echo external-race ;;
    "thread leak"*) echo thread-leak ;;
    "destroy of a locked mutex"*) echo locked-mutex-destroy ;;
    "double lock of a mutex"*) echo mutex-double-lock ;;
    "use of an invalid mutex"*) echo mutex-invalid-access ;;
    "unlock of an unlocked mutex"*) echo mutex-bad-unlock ;;
    "read lock of a write locked mutex"*) echo mutex-bad-read-lock ;;
    "read unlock of a write locked mutex"*) echo mutex-bad-read-unlock ;;
    "signal-unsafe call inside of a signal"*) echo signal-unsafe-call ;;
    "signal handler spoils errno"*) echo errno-in-signal-handler ;;
    "lock-order-inversion"*) echo lock-order-inversion ;;
    "mutex held in the wrong context"*) echo mutex-held-in-wrong-context ;;
    *) echo "?$h" ;;
    esac
}

# Test-level bookkeeping (per compiler).
declare -A N
bump() { N[$1]=$(( ${N[$1]:-0} + 1 )); }
missed_list=()
unexpected_list=()
skipped_list=()
buildfail_list=()

# Joined RUN lines of a file, one per line.
run_lines() {
    sed -n 's|^[[:space:]]*//[[:space:]]*RUN:[[:space:]]*||p' "$1" |
        awk '{ if (sub(/\\[[:space:]]*$/, "")) { acc = acc $0 " "; next } print acc $0; acc = "" }'
}

# Why a test cannot run here ("" if it can).
unsupported() {
    local f=$1 line
    while IFS= read -r line; do
        case $line in
        *REQUIRES:*)
            for r in $(echo "${line#*REQUIRES:}" | tr ',' ' '); do
                case $r in
                stable-runtime|shell|linux) ;;
                x86_64-target-arch) [ "$arch" = x86_64 ] || { echo "REQUIRES $r"; return; } ;;
                *) echo "REQUIRES $r"; return ;;
                esac
            done ;;
        *UNSUPPORTED:*|*XFAIL:*)
            # A feature list; a target triple applies when it is ours.
            local t
            for t in $(echo "${line#*:}" | tr ',&|!()' '      '); do
                case $t in
                linux|"$arch"|"*"|"$arch"-target-arch|"$arch"-*linux*) echo "${line#*// }"; return ;;
                esac
            done ;;
        esac
    done < <(grep -E '//[[:space:]]*(REQUIRES|UNSUPPORTED|XFAIL):' "$f")
}

# The CHECK lines of the prefixes (a regex alternation), one content a line.
check_lines() {
    local f=$1 p=$2 sfx=$3
    grep -E "//.*[[:space:]]($p)$sfx:" "$f" | sed -E "s/^.*[[:space:]]($p)$sfx:[[:space:]]*//"
}
# Expected kinds: one slug per CHECK line naming a report header, with or
# without "WARNING: ThreadSanitizer: " in front of it.
expected_kinds() {
    check_lines "$1" "$2" '(-NEXT|-DAG)?' | grep -v 'SUMMARY:' |
        sed -E 's/^(WARNING: )?ThreadSanitizer: //' |
        while IFS= read -r h; do slug "$h"; done | grep -v '^?'
}
forbidden_kinds() {
    check_lines "$1" "$2" '-NOT' | grep -o 'ThreadSanitizer: [a-z][^{]*' |
        while IFS= read -r h; do slug "${h#ThreadSanitizer: }"; done
}
# "ThreadSanitizer: reported N warnings": the total number of reports.
expected_total() {
    check_lines "$1" "$2" '(-NEXT|-DAG)?' | sed -n -E 's/.*ThreadSanitizer: reported ([0-9]+) warnings.*/\1/p' | tail -1
}

# Count of each line of stdin, as "slug count" lines, sorted.
tally() { sort | uniq -c | awk '{print $2, $1}'; }
count_of() { awk -v k="$2" '$1 == k {print $2; f=1} END {if (!f) print 0}' <<<"$1"; }

one_test() {
    local cc=$1 f=$2 lang=$3
    local base; base=$(basename "$f")
    local why; why=$(unsupported "$f")
    if [ -n "$why" ]; then bump "$cc:skipped"; skipped_list+=("$cc $base: $why"); return; fi
    local runs; runs=$(run_lines "$f")
    # Build line: the first that compiles %s into %t itself.
    local bline; bline=$(grep -E '%clang(xx)?_tsan' <<<"$runs" | grep -E -- '-o %t([[:space:]]|$)' | head -1)
    [ -n "$bline" ] || bline=$(grep -E '%clang(xx)?_tsan' <<<"$runs" | grep -v -- '-o %t[-.]' | head -1)
    if [ -z "$bline" ]; then bump "$cc:skipped"; skipped_list+=("$cc $base: no build RUN line"); return; fi
    if grep -qE -- '-shared|%t-so|%dynamiclib|%ld_flags|%p|%link_libcxx_tsan|%t_' <<<"$runs"; then
        bump "$cc:skipped"; skipped_list+=("$cc $base: needs a helper library or lit substitution")
        return
    fi
    bline=${bline%%&&*}; bline=${bline%%|*}
    local extra=() tok skip_next=0
    for tok in $bline; do
        if [ $skip_next -eq 1 ]; then skip_next=0; continue; fi
        case $tok in
        %clang_tsan|%clangxx_tsan|%s) ;;
        -o) skip_next=1 ;;
        -D*|-l*|-O*|-f*|-m*|-W*|-std=*|-I*|-x|c|c++) extra+=("$tok") ;;
        *) ;;
        esac
    done
    # Run line: the first that runs %t into FileCheck.
    local rline; rline=$(grep -E '%run %t([[:space:]]|$)' <<<"$runs" | grep FileCheck | head -1)
    if [ -z "$rline" ]; then bump "$cc:skipped"; skipped_list+=("$cc $base: no RUN line runs %t into FileCheck"); return; fi
    # Check prefixes (%os is Linux here), as an alternation.
    local prefix="" pr rest=$rline
    while [[ $rest =~ --check-prefix(es)?[=\ ]([A-Za-z0-9_%,-]+)(.*) ]]; do
        pr=${BASH_REMATCH[2]//%os/Linux}
        prefix+="${prefix:+|}${pr//,/|}"
        rest=${BASH_REMATCH[3]}
    done
    [ -n "$prefix" ] || prefix=CHECK
    local envopts=""
    if [[ $rline =~ %env_tsan_opts=([^[:space:]]+) ]]; then envopts=${BASH_REMATCH[1]//:/ }; envopts=${envopts//\'/}; envopts=${envopts//%s/$f}; fi
    local deflake=0; [[ $rline == *%deflake* ]] && deflake=1
    local args=${rline#*%run %t}; args=${args%%|*}; args=${args%%2>&1*}; args=${args%%>*}
    args=$(echo "$args" | sed 's/[[:space:]]*$//')

    bump "$cc:found"
    local d="$work/$cc/${base%.*}"
    rm -rf "$d"; mkdir -p "$d"
    local comp=$cc
    # gcc has no clang-only flags; drop them.
    if [[ $comp == *gcc* || $comp == *g++* ]]; then
        local e2=() t
        for t in "${extra[@]}"; do case $t in -fno-sanitize-thread-*|-mllvm|-tsan-*) ;; *) e2+=("$t") ;; esac; done
        extra=("${e2[@]}")
    fi
    if ! "$comp" -fsanitize=thread -g -O1 -I "$tdir" -I "$crt/test" "$f" -o "$d/prog" \
            "${extra[@]}" -pthread -lm -ldl -lrt >"$d/cc.log" 2>&1; then
        bump "$cc:buildfail"
        buildfail_list+=("$cc $base: $(grep -m1 -E 'error|undefined reference' "$d/cc.log" | cut -c1-150)")
        return
    fi
    bump "$cc:built"
    local exp; exp=$(expected_kinds "$f" "$prefix" | tally)
    local forb; forb=$(forbidden_kinds "$f" "$prefix" | sort -u)
    local total; total=$(expected_total "$f" "$prefix")
    local attempt=0 got raw
    while :; do
        attempt=$((attempt + 1))
        rm -f "$d"/tsan.* "$d"/out.log
        if [ $via_run -eq 1 ]; then
            # shellcheck disable=SC2086
            (cd "$d" && TSAN_OPTIONS="$envopts" timeout -k 5 $((timeout + 30)) \
                "$rc" run --timeout "$timeout" --format json --exec ./prog $args) \
                >"$d/findings.json" 2>"$d/rc.err" </dev/null
            raw=""
        else
            # shellcheck disable=SC2086
            (cd "$d" && TSAN_OPTIONS="atexit_sleep_ms=0 color=never $envopts log_path=$d/tsan" \
                timeout -k 2 "$timeout" setarch "$arch" -R ./prog $args) \
                >"$d/out.log" 2>&1 </dev/null
            local logs=("$d"/tsan.*)
            [ -e "${logs[0]}" ] || logs=()
            (cd "$d" && "$rc" parse --no-config --format json "${logs[@]}" "$d/out.log") \
                >"$d/findings.json" 2>"$d/rc.err"
            raw=$(cat "${logs[@]}" "$d/out.log" 2>/dev/null | grep -a -o 'WARNING: ThreadSanitizer: .*' |
                sed 's/^WARNING: ThreadSanitizer: //; s/ (pid=[0-9]*).*$//; s/[[:space:]]*$//' |
                while IFS= read -r h; do slug "$h"; done | tally)
        fi
        # A finding stands for .count identical reports.
        got=$(jq -r '.findings[] | select(.source == "dynamic") | . as $f | range(.count // 1) | $f.check' \
            "$d/findings.json" 2>/dev/null | tally)
        [ $deflake -eq 1 ] && [ -n "$exp" ] && [ -z "$got" ] && [ $attempt -lt 3 ] && continue
        break
    done
    local k n g r line_out=""
    while read -r k n; do
        [ -n "$k" ] || continue
        N[$cc:expected]=$(( ${N[$cc:expected]:-0} + n ))
        g=$(count_of "$got" "$k")
        if [ "$g" -ge "$n" ]; then
            N[$cc:hit]=$(( ${N[$cc:hit]:-0} + n ))
        else
            N[$cc:hit]=$(( ${N[$cc:hit]:-0} + g ))
            N[$cc:missed]=$(( ${N[$cc:missed]:-0} + n - g ))
            if [ $via_run -eq 1 ]; then why="racecheck run found $g (see $d)"
            else
                r=$(count_of "$raw" "$k")
                if [ "$r" -gt "$g" ]; then why="PARSER: raw log has $r, parsed $g"
                else why="runtime: TSan printed $r (of $n expected)"; fi
            fi
            missed_list+=("$cc $base: $k x$((n - g)) -- $why")
            line_out+=" MISSED:$k"
        fi
    done <<<"$exp"
    while read -r k g; do
        [ -n "$k" ] || continue
        N[$cc:reported]=$(( ${N[$cc:reported]:-0} + g ))
        if [ "$(count_of "$exp" "$k")" -eq 0 ]; then
            N[$cc:unexpected]=$(( ${N[$cc:unexpected]:-0} + g ))
            local note="not in CHECK lines"
            grep -qx -- "$k" <<<"$forb" && note="CHECK-NOT forbids it"
            if [ $via_run -eq 0 ] && [ "$(count_of "$raw" "$k")" -lt "$g" ]; then note="PARSER: more findings than raw headers"; fi
            unexpected_list+=("$cc $base: $k x$g -- $note")
            line_out+=" UNEXPECTED:$k"
        fi
    done <<<"$got"
    if [ -n "$total" ]; then
        # The runtime's own count of reports against the findings' counts.
        N[$cc:totals]=$(( ${N[$cc:totals]:-0} + 1 ))
        g=$(awk '{s += $2} END {print s + 0}' <<<"$got")
        if [ "$g" -ne "$total" ]; then
            N[$cc:totalbad]=$(( ${N[$cc:totalbad]:-0} + 1 ))
            missed_list+=("$cc $base: CHECK says 'reported $total warnings', racecheck counts $g")
            line_out+=" TOTAL:$g/$total"
        fi
    fi
    if [ $via_run -eq 0 ]; then
        # The parser must turn every raw header into a finding.
        while read -r k r; do
            [ -n "$k" ] || continue
            N[$cc:raw]=$(( ${N[$cc:raw]:-0} + r ))
            g=$(count_of "$got" "$k")
            if [ "$g" -lt "$r" ]; then
                N[$cc:rawlost]=$(( ${N[$cc:rawlost]:-0} + r - g ))
                missed_list+=("$cc $base: $k x$((r - g)) -- PARSER: raw header without a finding (logs in $d)")
            fi
        done <<<"$raw"
    fi
    [ $verbose -eq 1 ] && echo "  [$cc] $base: expected {$(echo $exp)} got {$(echo $got)}${line_out}"
    if [ $cleanup_work -eq 1 ] && [ -z "$line_out" ]; then rm -rf "$d"; fi
}

for cc in "${ccs[@]}"; do
    command -v "$cc" >/dev/null || { echo "tsan_corpus.sh: $cc not found, skipped"; continue; }
    for f in "$tdir"/$only.c; do [ -f "$f" ] && one_test "$cc" "$f" c; done
done
labels=("${ccs[@]}")
if [ -n "$cxx" ]; then
    labels+=("$cxx")
    for f in "$tdir"/$only.cpp "$tdir"/$only.cc; do [ -f "$f" ] && one_test "$cxx" "$f" cxx; done
fi

echo
echo "== TSan lit corpus: $tdir"
echo "   racecheck: $rc   mode: $([ $via_run -eq 1 ] && echo 'racecheck run --exec' || echo 'direct run + racecheck parse')"
printf '%-10s %6s %7s %6s %6s %9s %7s %7s %10s %6s %8s\n' compiler tests skipped built bfail expected found missed unexpected raw rawlost
for cc in "${labels[@]}"; do
    printf '%-10s %6d %7d %6d %6d %9d %7d %7d %10d %6d %8d\n' "$cc" \
        $(( ${N[$cc:found]:-0} + ${N[$cc:skipped]:-0} )) "${N[$cc:skipped]:-0}" "${N[$cc:built]:-0}" \
        "${N[$cc:buildfail]:-0}" "${N[$cc:expected]:-0}" "${N[$cc:hit]:-0}" "${N[$cc:missed]:-0}" \
        "${N[$cc:unexpected]:-0}" "${N[$cc:raw]:-0}" "${N[$cc:rawlost]:-0}"
done
for cc in "${labels[@]}"; do
    [ -n "${N[$cc:totals]:-}" ] &&
        echo "$cc: 'reported N warnings' checks: ${N[$cc:totals]}, racecheck's count differs in ${N[$cc:totalbad]:-0}"
done
echo "(tests = files seen; expected = CHECK'd report kinds; found = of those, produced by racecheck;"
echo " unexpected = findings of a kind the CHECK lines do not name; raw = WARNING headers in the raw"
echo " logs; rawlost = raw headers with no finding, i.e. parser losses)"
if [ ${#missed_list[@]} -gt 0 ]; then echo; echo "-- missed:"; printf '  %s\n' "${missed_list[@]}"; fi
if [ ${#unexpected_list[@]} -gt 0 ]; then echo; echo "-- unexpected:"; printf '  %s\n' "${unexpected_list[@]}"; fi
if [ ${#buildfail_list[@]} -gt 0 ]; then echo; echo "-- did not build:"; printf '  %s\n' "${buildfail_list[@]}"; fi
if [ $verbose -eq 1 ] && [ ${#skipped_list[@]} -gt 0 ]; then echo; echo "-- skipped:"; printf '  %s\n' "${skipped_list[@]}"; fi
parser_bugs=$(printf '%s\n' "${missed_list[@]}" "${unexpected_list[@]}" | grep -c PARSER)
echo
echo "parser losses: $parser_bugs"
[ "$parser_bugs" -eq 0 ]
