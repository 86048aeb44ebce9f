#!/bin/sh
# robust_checks.sh RACECHECK SRCDIR [CC] -- `racecheck run` against hostile
# programs (SRCDIR/robust/*.c): ones that fork and leave children running
# (one escaping the process group with setsid), ignore SIGTERM, print
# megabytes on stdout and stderr, read stdin, change directory, die by a
# signal, leave files in $TMPDIR; and racecheck itself killed by
# SIGINT/SIGTERM mid-run.  Afterwards nothing may be left running (checked
# with ps, zombies included) and the temp dir must be empty.
set -u
rc=$1
src=$2
cc=${3:-${CC:-cc}}
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
tmp=$(mktemp -d)
# Programs run under unique short names (comm is cut at 15 characters).
p=rk$$
# Leftovers: our probes by name, and anything working in our temp dir (a
# compiler writing into it).
leftovers() {
    ps -eo stat=,comm=,args= | awk -v p="$p" -v t="$tmp/t/" \
        'index($2, p "_") == 1 || (index($0, t) && $2 != "awk" && $2 != "ps")'
}
cleanup() {
    # Only our own probes, by exact name, should a check have failed.
    for pid in $(ps -eo pid=,comm= | awk -v p="$p" 'index($2, p "_") == 1 {print $1}'); do
        kill -9 "$pid" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
for f in fork_leftovers ignore_term flood read_stdin change_dir killed leave_tmp; do
    cp "$src/robust/$f.c" "$tmp/${p}_$f.c"
done
cd "$tmp" || exit 1
mkdir t
# A relative TMPDIR: log_path must still be absolute for change_dir.
export TMPDIR=t

# 1. All at once, in parallel.  (The finding lines of the text format start
# with the file name.)
"$rc" run --cc "$cc" --timeout 20 -j 2 ${p}_fork_leftovers.c ${p}_flood.c \
    ${p}_read_stdin.c ${p}_change_dir.c ${p}_killed.c ${p}_leave_tmp.c >out.txt 2>err.txt
st=$?
[ $st -eq 1 ] || fail "run: exit status $st, expected 1: $(cat err.txt)"
for f in fork_leftovers flood read_stdin change_dir; do
    grep -q "^${p}_$f.c:[0-9:]* warning: data race.*\[racecheck-data-race\]" out.txt ||
        fail "$f: no data race found"
    grep -q "^${p}_$f.c.*racecheck-timeout" out.txt && fail "$f: timed out"
done
grep -q "^${p}_killed.c: error: crash: program killed by signal 9" out.txt ||
    fail "killed: no crash finding"
[ -z "$(leftovers)" ] || fail "processes left running: $(leftovers | tr '\n' ' ')"
[ -z "$(ls -A t)" ] || fail "temp files left: $(ls -A t)"

# 2. A program that ignores SIGTERM and never ends: timeout, then killed.
"$rc" run --cc "$cc" --timeout 2 ${p}_ignore_term.c >out2.txt 2>&1
grep -q "racecheck-timeout" out2.txt || fail "ignore_term: no timeout finding: $(cat out2.txt)"
[ -z "$(leftovers)" ] || fail "ignore_term: processes left running: $(leftovers | tr '\n' ' ')"
[ -z "$(ls -A t)" ] || fail "ignore_term: temp files left: $(ls -A t)"

# 3. racecheck itself interrupted while programs run (one ignoring SIGTERM,
# one with a child outside its process group): it must kill them, remove its
# temp dirs and die of the signal.  (A background job of sh starts with
# SIGINT ignored, which racecheck honours: env --default-signal undoes it.)
dflt=""
env --default-signal=INT true 2>/dev/null && dflt="env --default-signal=INT"
"$cc" -fsanitize=thread -g -O1 -pthread -o ${p}_fork ${p}_fork_leftovers.c ||
    fail "cannot build fork_leftovers"
"$cc" -fsanitize=thread -g -O1 -pthread -o ${p}_term ${p}_ignore_term.c ||
    fail "cannot build ignore_term"
for sig in INT TERM; do
    for prog in ${p}_fork ${p}_term; do
        if [ $sig = INT ] && [ -z "$dflt" ]; then continue; fi
        $dflt "$rc" run --timeout 120 --exec ./$prog stay >/dev/null 2>sig.err &
        rcpid=$!
        # Wait until the program (and for fork, its grandchild) runs.
        want=1; [ $prog = ${p}_fork ] && want=3
        i=0
        while [ "$(leftovers | grep -c " $prog")" -lt $want ] && [ $i -lt 200 ]; do
            sleep 0.05; i=$((i + 1))
        done
        [ $i -lt 200 ] || fail "$prog did not start under racecheck"
        kill -$sig $rcpid
        i=0
        while kill -0 $rcpid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
        if kill -0 $rcpid 2>/dev/null; then
            fail "SIG$sig: racecheck still running 5 s later"
            kill -9 $rcpid
        fi
        wait $rcpid
        st=$?
        case $sig in INT) want_st=130 ;; TERM) want_st=143 ;; esac
        [ $st -eq $want_st ] || fail "SIG$sig/$prog: exit status $st, expected $want_st"
        grep -q "interrupted by SIG$sig" sig.err || fail "SIG$sig/$prog: no message: $(cat sig.err)"
        sleep 0.1
        [ -z "$(leftovers)" ] || fail "SIG$sig/$prog: processes left: $(leftovers | tr '\n' ' ')"
        [ -z "$(ls -A t)" ] || fail "SIG$sig/$prog: temp files left: $(ls -A t)"
    done
done

# 4. SIGTERM while compiling: no compiler or temp dir survives.
$dflt "$rc" run --cc "$cc" --timeout 60 ${p}_ignore_term.c >/dev/null 2>&1 &
rcpid=$!
sleep 0.3
kill -TERM $rcpid
wait $rcpid
sleep 0.2
[ -z "$(leftovers)" ] || fail "SIGTERM at build time: processes left: $(leftovers | tr '\n' ' ')"
[ -z "$(ls -A t)" ] || fail "SIGTERM at build time: temp files left: $(ls -A t)"

echo "robust_checks: $fails failure(s)"
[ $fails -eq 0 ]
