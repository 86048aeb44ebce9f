#!/bin/sh
# capture-fixtures.sh -- regenerate fixtures/{gcc,clang}/NAME.log from the
# report-producing programs in programs/ (run by hand, not by CTest; review
# the diff and the .expect files afterwards).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
progs="race_global race_heap race_stack lock_order thread_leak bad_unlock
       locked_destroy signal_unsafe errno_signal use_after_free mutex_invalid crash"
for cc in gcc clang; do
    command -v "$cc" >/dev/null || continue
    mkdir -p "$here/fixtures/$cc"
    for p in $progs; do
        "$cc" -fsanitize=thread -g -O1 -pthread -o "$tmp/$p" "$here/programs/$p.c"
        TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 atexit_sleep_ms=0 color=never history_size=4" \
            setarch "$(uname -m)" -R "$tmp/$p" </dev/null >/dev/null 2>"$tmp/$p.log" || true
        # Relative source paths keep the fixtures independent of the checkout.
        sed "s|$here/programs/|programs/|g" "$tmp/$p.log" >"$here/fixtures/$cc/$p.log"
    done
done
