#!/bin/sh
# capture-fixtures.sh -- regenerate fixtures/{gcc,clang,clang-19}/NAME.log
# from the report-producing programs in programs/, and
# fixtures/unsymbolized/CC_mutex_invalid.log, the same program's log with
# symbolize=0 (what a runtime without llvm-symbolizer prints).  Run by hand,
# not by CTest; review the diff and the .expect files afterwards
# (test_tsan_parse --update).  clang-19 is Debian 12's clang-19 with
# libclang-rt-19-dev and llvm-19 (its symbolizer).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
progs="race_global race_heap race_stack lock_order thread_leak bad_unlock
       locked_destroy signal_unsafe errno_signal use_after_free mutex_invalid crash"
for cc in gcc clang clang-19; do
    command -v "$cc" >/dev/null || continue
    mkdir -p "$here/fixtures/$cc"
    for p in $progs; do
        "$cc" -fsanitize=thread -g -O1 -pthread -o "$tmp/$p" "$here/programs/$p.c"
        TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 atexit_sleep_ms=0 color=never history_size=4" \
            setarch "$(uname -m)" -R "$tmp/$p" </dev/null >/dev/null 2>"$tmp/$p.log" || true
        # Relative source paths keep the fixtures independent of the checkout.
        sed "s|$here/programs/|programs/|g" "$tmp/$p.log" >"$here/fixtures/$cc/$p.log"
    done
    mkdir -p "$here/fixtures/unsymbolized"
    TSAN_OPTIONS="halt_on_error=0 symbolize=0 atexit_sleep_ms=0 color=never history_size=4" \
        setarch "$(uname -m)" -R "$tmp/mutex_invalid" </dev/null >/dev/null \
        2>"$here/fixtures/unsymbolized/${cc}_mutex_invalid.log" || true
done
