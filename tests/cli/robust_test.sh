#!/usr/bin/env bash
# The analyzer survives hostile input: each case must give a clean result
# (exit 0/1) or a clear error (exit 2) with valid JSON -- never a crash.
# Large inputs are generated here, not checked in.
#   robust_test.sh RACECHECK
set -u
RC=$(realpath "$1")
. "$(dirname "$0")/lib.sh"

# check NAME WANT_STATUS [FINDINGS] -- FILE...: run, check status, valid
# JSON, and optionally the number of findings.
check() {
    local name=$1 want=$2 nfind=${3:-}; shift 4  # NAME WANT NFIND -- FILE... [-- ARGS]
    "$RC" --format=json "$@" >out.json 2>err.txt
    local got=$?
    if [ "$got" != "$want" ]; then bad "$name: exit $got, want $want: $(head -c 300 err.txt)"; return; fi
    if ! python3 -c 'import json,sys; json.load(open("out.json"))' 2>/dev/null; then
        bad "$name: invalid JSON"; return; fi
    if [ -n "$nfind" ] && ! python3 -c "import json,sys; d=json.load(open('out.json')); sys.exit(len(d['findings']) != $nfind)"; then
        bad "$name: want $nfind findings: $(head -c 500 out.json)"; return; fi
    ok
}

LOCKDEF='#include <pthread.h>
typedef struct { pthread_mutex_t mu; int n; } q_t;'

printf '%s\nint f(void) { return 1 +; }\nvoid g(q_t q);\n' "$LOCKDEF" > syntax.c
check syntax-error 2 0 -- syntax.c
printf '#include "no/such/header.h"\nint x;\n' > missing_include.c
check missing-include 2 0 -- missing_include.c
: > empty.c
check empty-file 0 0 -- empty.c
head -c 4096 /bin/sh > binary.c
check binary-file 2 0 -- binary.c
printf '%s\n/* caf\xe9 \xff\xfe */\nconst char *s = "\xc3\x28\xa0\xa1";\nvoid g(q_t q);\n' "$LOCKDEF" > latin1.c
check non-utf8 1 1 -- latin1.c

python3 - <<'PY'
lock = '#include <pthread.h>\ntypedef struct { pthread_mutex_t mu; int n; } q_t;\n'
with open("huge_function.c", "w") as f:
    f.write(lock + "void big(int *a, q_t *p, q_t *q) {\n")
    i = 0
    while f.tell() < 1_100_000:
        f.write(f"  a[{i % 97}] += a[{(i * 7) % 97}] * {i};\n"); i += 1
    f.write("  *p = *q;\n}\n")
with open("long_expr.c", "w") as f:
    f.write(lock + "int sum(int a) { return " + " + ".join(["a"] * 20000) + "; }\n")
    f.write("void c(q_t *p, q_t *q) { *p = *q; }\n")
with open("else_if.c", "w") as f:
    f.write(lock + "int chain(int a, q_t *p, q_t *q) {\n  if (a == 0) return 0;\n")
    for i in range(1, 5000):
        f.write(f"  else if (a == {i}) {{ if (a & 1) *p = *q; return {i}; }}\n")
    f.write("  return -1;\n}\n")
PY
check 1MB-function 1 1 -- huge_function.c
check 20000-term-expression 1 1 -- long_expr.c
check 5000-else-if 1 4999 -- else_if.c

cat > macros.c <<'C'
#include <pthread.h>
typedef struct { pthread_mutex_t mu; int n; } q_t;
#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#define COLOURS(X) X(red) X(green) X(blue) X(cyan) X(magenta) X(yellow)
#define AS_ENUM(c) XCAT(COLOUR_, c),
#define AS_FIELD(c) int c;
#define AS_CASE(c) case XCAT(COLOUR_, c): return #c;
#define COPY(d, s) do { (d) = (s); } while (0)
#define TWICE(stmt) stmt stmt
enum colour { COLOURS(AS_ENUM) COLOUR_COUNT };
struct palette { COLOURS(AS_FIELD) };
const char *name(enum colour c) { switch (c) { COLOURS(AS_CASE) default: return "?"; } }
void m(q_t *a, q_t *b) { COPY(*a, *b); }
void n(q_t *a, q_t *b) { TWICE(COPY(a[0], a[1]);) (void)b; }
C
check macro-heavy 1 2 -- macros.c  # TWICE() puts two copies at one place: one finding
cat > knr.c <<'C'
#include <pthread.h>
typedef struct { pthread_mutex_t mu; int n; } q_t;
int old(a, q) int a; q_t q; { return a + q.n; }
int older(p) q_t *p; { return p->n; }
C
check k-and-r 1 1 -- knr.c -- -std=gnu89
cat > gnu.c <<'C'
#include <pthread.h>
typedef struct { pthread_mutex_t mu; int n; } q_t;
static int nested(q_t *p) {
    __auto_type n = p->n;
    int v = ({ int t = n; t * 2; });
    int r = v ?: 1;
    __typeof__(*p) *same = p;
    switch (n) { case 1 ... 5: r++; break; default: break; }
    struct { int len; int data[]; } *flex = 0;
    void *target = &&out;
    goto *target;
out:
    (void)same; (void)flex;
    return r + __builtin_expect(n, 0);
}
int use(q_t *p) { q_t c = *p; return nested(&c); }
C
check gnu-extensions 1 1 -- gnu.c -- -std=gnu17
cat > c23.c <<'C'
#include <pthread.h>
#include <stdbool.h>
typedef struct { pthread_mutex_t mu; int n; } q_t;
[[nodiscard]] static int twice(int x) { return x * 2; }
_Static_assert(sizeof(int) >= 2, "int");
[[maybe_unused]] static q_t copy(q_t *p) { return *p; }
int f(void) { bool b = true; int bits = 0b1010; return twice(bits) + b; }
C
check c23 1 1 -- c23.c -- -std=c2x

mkdir -p 'dir with space'
printf '%s\nvoid g(q_t q);\n' "$LOCKDEF" > 'dir with space/it'"'"'s "quoted".c'
printf '%s\nvoid g(q_t q);\n' "$LOCKDEF" > ./-dash.c
check odd-names 1 2 -- 'dir with space/it'"'"'s "quoted".c' ./-dash.c
mkdir -p adir
check directory 2 0 -- adir
printf '%s\nvoid g(q_t q);\n' "$LOCKDEF" > unreadable.c
chmod 000 unreadable.c
if [ "$(id -u)" = 0 ]; then
    # root reads anything: a dangling symlink stands in for an unopenable file
    ln -s /nonexistent/target dangling.c
    check unopenable 2 0 -- dangling.c
else
    check unreadable 2 0 -- unreadable.c
fi
# bad inputs do not stop the others
check mixed 2 2 -- syntax.c adir ./-dash.c empty.c binary.c latin1.c
# ... nor when they share a precompiled preamble (syntax.c, latin1.c,
# -dash.c and the quoted one begin alike): the same output, byte for byte.
MIXED=(syntax.c adir ./-dash.c empty.c binary.c latin1.c 'dir with space/it'"'"'s "quoted".c')
check mixed-pch 2 3 -- "${MIXED[@]}" --pch=always --no-cache
cp out.json pch.json
check mixed-no-pch 2 3 -- "${MIXED[@]}" --pch=never --no-cache
same pch.json out.json "--pch=always against --pch=never"

# Under -j2 the second unit of a group comes while the first is being
# weighed, and builds the preamble at once: the same findings as without
# preambles, and nothing left in TMPDIR.
mkdir -p spec spectmp
for i in $(seq 12); do
    printf '#include <pthread.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nstatic pthread_mutex_t m;\nint g%d(void) { pthread_mutex_lock(&m); return pthread_mutex_lock(&m); }\n' "$i" > "spec/u$i.c"
done
TMPDIR=$PWD/spectmp "$RC" --format=json --pch=auto --no-cache -j2 spec/*.c > spec.json 2>err.txt
status=$?
if [ "$status" = 1 ]; then ok; else bad "spec: exit $status, want 1: $(head -c 300 err.txt)"; fi
check spec-no-pch 1 12 -- spec/*.c --pch=never --no-cache -j1
same spec.json out.json "-j2 --pch=auto against -j1 --pch=never"
if [ -z "$(ls -A spectmp)" ]; then ok; else bad "spec: left in TMPDIR: $(ls -A spectmp)"; fi

# Stopped (SIGTERM) while preambles are on disk: they go, and it dies of
# the signal.  200 units that share heavy headers keep it busy for seconds;
# the test waits until the first preamble is written.
mkdir -p many tmp
for i in $(seq 200); do
    printf '#include <pthread.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nstatic pthread_mutex_t m;\nint f%d(void) { return pthread_mutex_lock(&m); }\n' "$i" > "many/u$i.c"
done
TMPDIR=$PWD/tmp "$RC" --pch=always --no-cache -j1 many/*.c >/dev/null 2>err.txt &
pid=$!
for _ in $(seq 2000); do
    [ -n "$(find tmp -name '*.pch' 2>/dev/null)" ] && break
    sleep 0.01
done
if [ -z "$(find tmp -name '*.pch')" ]; then
    bad "interrupt: no preamble was written"; kill $pid 2>/dev/null
fi
kill -TERM $pid
wait $pid
status=$?
if [ "$status" = 143 ]; then ok; else bad "interrupt: exit $status, want 143 (SIGTERM)"; fi
contains err.txt "interrupted by SIGTERM; temp files removed"
if [ -z "$(ls -A tmp)" ]; then ok; else bad "interrupt: left in TMPDIR: $(ls -A tmp)"; fi

finish
