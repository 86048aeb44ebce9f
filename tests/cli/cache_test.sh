#!/usr/bin/env bash
# Parallel analysis and the result cache: -jN gives the same output as -j1
# whatever the scheduling; a warm cache gives the same output as a cold
# run; a changed file or header invalidates exactly what depends on it.
#   cache_test.sh RACECHECK SOURCE_DIR
set -u
RC=$(realpath "$1")
SRC=$(realpath "$2")
. "$(dirname "$0")/lib.sh"

# Every analyzer test file and sample, analysed together (cross-file
# summaries are linked), serially and in parallel.
mapfile -t files < <( { find "$SRC/tests/analyzer" -mindepth 2 -name "*.c"; find "$SRC/samples" -name "*.c"; } | sort)
"$RC" --no-cache -j1 --format=json "${files[@]}" > j1.json
"$RC" --no-cache -j2 --format=json "${files[@]}" > j2.json
"$RC" --no-cache -j7 --format=json "${files[@]}" > j7.json
same j1.json j2.json "-j1 vs -j2"
same j1.json j7.json "-j1 vs -j7"
if python3 -c 'import json,sys; d=json.load(open("j1.json")); sys.exit(len(d["findings"]) < 100)'; then ok
else bad "expected the whole test corpus to give many findings"; fi

# Cold, then warm: identical output, entries written.
"$RC" --cache-dir=cache -j2 --format=json "${files[@]}" > cold.json
same j1.json cold.json "uncached vs cold cache"
n=$(ls cache | wc -l)
if [ "$n" -ge "${#files[@]}" ]; then ok; else bad "cache holds $n entries for ${#files[@]} files"; fi
"$RC" --cache-dir=cache -j2 --format=json "${files[@]}" > warm.json
same cold.json warm.json "cold vs warm cache"

# The whole-program result is cached too: with every unit's states gone a
# warm run still answers (from run-*.json); with that gone as well, the
# units are analysed again, and with the inputs in another order the
# result is recomputed, not reused.
if ls cache/run-*.json >/dev/null 2>&1; then ok; else bad "no whole-program entry written"; fi
rm -f cache/*.states.json
LD_DEBUG=files "$RC" --cache-dir=cache -j2 --format=json "${files[@]}" > warm2.json 2> warm2.err
same cold.json warm2.json "warm run without saved states"
if ! grep -q libclang warm2.err; then ok; else bad "the whole-program entry was not used"; fi
rm -f cache/run-*.json
"$RC" --cache-dir=cache -j2 --format=json "${files[@]}" > warm3.json
same cold.json warm3.json "warm run without states or whole-program entry"
mapfile -t rev < <(printf '%s\n' "${files[@]}" | sort -r)
"$RC" --no-cache -j1 --format=json "${rev[@]}" > rev1.json
"$RC" --cache-dir=cache -j2 --format=json "${rev[@]}" > rev2.json
same rev1.json rev2.json "cached run over the inputs in reverse order"

# A header change invalidates the files that include it.
mkdir -p proj
printf '#include <pthread.h>\ntypedef struct { pthread_mutex_t mu; } q_t;\n' > proj/q.h
printf '#include "q.h"\nint a(q_t *q) { return q != 0; }\n' > proj/a.c
printf '#include <pthread.h>\nvoid b(pthread_mutex_t *m) { pthread_mutex_lock(m); pthread_mutex_lock(m); }\n' > proj/b.c
"$RC" --cache-dir=cache2 --format=json proj/a.c proj/b.c > p1.json
if python3 -c 'import json,sys; d=json.load(open("p1.json")); sys.exit(len(d["findings"]) != 1)'; then ok; else bad "p1: $(cat p1.json)"; fi
printf 'void take(q_t q);\n' >> proj/q.h
"$RC" --cache-dir=cache2 --format=json proj/a.c proj/b.c > p2.json
if python3 -c 'import json,sys; d=json.load(open("p2.json")); sys.exit(sorted(f["check"] for f in d["findings"]) != ["copylock", "recursive-lock"])'; then ok
else bad "header change not seen: $(cat p2.json)"; fi
"$RC" --no-cache --format=json proj/a.c proj/b.c > p3.json
same p2.json p3.json "cached vs uncached after a header change"

# Inline functions in a header: units after the first that includes it
# leave its bodies to that unit, and their cached states say so.  When that
# unit stops including the header, they are analysed again, not trusted.
mkdir -p inl
cp "$SRC"/tests/analyzer/recursive-lock/inline_header/* inl/
"$RC" --no-cache -j1 --format=json inl/a.c inl/b.c inl/c.c > i0.json
"$RC" --cache-dir=cache5 -j1 --format=json inl/a.c inl/b.c inl/c.c > i1.json
same i0.json i1.json "inline header functions, cold cache"
if grep -l '"borrowed":\[[0-9]' cache5/*.states.json >/dev/null 2>&1; then ok
else bad "no unit left a header's inline function to an earlier one"; fi
printf 'int a_take(void *p) { (void)p; return 0; }\n' > inl/a.c
"$RC" --cache-dir=cache5 -j1 --format=json inl/a.c inl/b.c inl/c.c > i2.json
"$RC" --no-cache -j1 --format=json inl/a.c inl/b.c inl/c.c > i3.json
same i3.json i2.json "the unit that provided a header's inline bodies changed"
if python3 -c 'import json,sys; d=json.load(open("i2.json")); sys.exit(not any(f["file"] == "inl/b.c" and "pool_take" in f["message"] for f in d["findings"]))'; then ok
else bad "b.c's call into pool.h is no longer seen: $(cat i2.json)"; fi
# The same under -j2, where the main thread folds units as the workers
# finish them: it must stop at b.c, whose state is still in the cache and
# is refused once loaded, and leave the rest to the fold after the workers.
mkdir -p inl2
cp "$SRC"/tests/analyzer/recursive-lock/inline_header/* inl2/
"$RC" --cache-dir=cache6 -j2 --format=json inl2/a.c inl2/b.c inl2/c.c > i4.json
"$RC" --no-cache -j1 --format=json inl2/a.c inl2/b.c inl2/c.c > i0b.json
same i0b.json i4.json "inline header functions, cold cache, -j2"
printf 'int a_take(void *p) { (void)p; return 0; }\n' > inl2/a.c
"$RC" --cache-dir=cache6 -j2 --format=json inl2/a.c inl2/b.c inl2/c.c > i5.json
"$RC" --no-cache -j1 --format=json inl2/a.c inl2/b.c inl2/c.c > i3b.json
same i3b.json i5.json "the unit that provided a header's inline bodies changed, -j2"

# A warm run over a compile_commands.json whose commands run in several
# directories answers every file from the cache: libclang, which (before
# 19) chdir()s into each command's directory as it parses, is not even
# loaded; without
# it, a parse is an error.  The text report still quotes source lines by
# their relative names afterwards.  The header, found through a relative
# -I, is named from the user's directory in findings and recorded as a
# dependency by its full path (libclang 19 names it relative to the
# command's directory, where libclang 14 and 16 chdir()).
mkdir -p db/one db/two db/inc db/build
printf '#include <pthread.h>\ntypedef struct { pthread_mutex_t mu; } s_t;\n' > db/inc/s.h
printf 'static inline void s_dup(s_t *p) { s_t c = *p; (void)c; }\n' >> db/inc/s.h
printf '#include "s.h"\nvoid one(s_t s);\n' > db/one/one.c
printf '#include "s.h"\nvoid two(s_t *p) { s_t copy = *p; (void)copy; }\n' > db/two/two.c
cat > db/build/compile_commands.json <<J
[{"directory": "$PWD/db/one", "file": "one.c", "command": "cc -I../inc -c one.c"},
 {"directory": "$PWD/db/two", "file": "two.c", "command": "cc -I../inc -c two.c"}]
J
"$RC" -p db/build --cache-dir=cache4 -j1 --format=json > d1.json
if python3 -c 'import json,sys; d=json.load(open("d1.json")); sys.exit(len(d["findings"]) != 3 or bool(d.get("errors")) or not any(f["file"] == "db/inc/s.h" and f["line"] == 3 for f in d["findings"]))'; then ok
else bad "db cold run: $(cat d1.json)"; fi
if ! grep -l '"path":"\.\./inc' cache4/*.json >/dev/null 2>&1; then ok
else bad "a dependency is recorded relative to its command's directory"; fi
LD_DEBUG=files "$RC" -p db/build --cache-dir=cache4 -j2 --format=json > d2.json 2> d2.err
same d1.json d2.json "warm run over several directories"
if ! grep -q "libclang" d2.err; then ok; else bad "a warm run loaded libclang"; fi
RACECHECK_LIBCLANG=/nonexistent/libclang.so "$RC" --no-cache -p db/build --format=json > d3.json
if grep -q "cannot load libclang" d3.json; then ok; else bad "a parse without libclang: $(cat d3.json)"; fi
"$RC" -p db/build --no-cache db/one/one.c > d4.txt
if grep -q "void one(s_t s);" d4.txt; then ok; else bad "no source line quoted after a parse: $(cat d4.txt)"; fi

# A unit that cannot be parsed (here a generated header is missing) is
# parsed again on every run: whether it still fails depends on a file it
# could not find.  While it fails it adds nothing to the program, so the
# whole-program entry still answers for the rest: a warm run writes no
# states.  Once the header exists, the unit is analysed and the finding
# it makes possible in another file appears.
mkdir -p gen
printf '#include <pthread.h>\nextern pthread_mutex_t g;\nvoid helper(void);\nvoid user(void) { pthread_mutex_lock(&g); helper(); pthread_mutex_unlock(&g); }\n' > gen/user.c
printf '#include <pthread.h>\n#include "generated.h"\npthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;\nvoid helper(void) { pthread_mutex_lock(&g); pthread_mutex_unlock(&g); }\n' > gen/helper.c
printf '#include <pthread.h>\nvoid self(pthread_mutex_t *m) { pthread_mutex_lock(m); pthread_mutex_lock(m); }\n' > gen/self.c
"$RC" --cache-dir=cache6 --format=json gen/helper.c gen/self.c gen/user.c > g1.json
if python3 -c 'import json,sys; d=json.load(open("g1.json")); sys.exit([f["file"] for f in d["findings"]] != ["gen/self.c"] or [e["file"] for e in d["errors"]] != ["gen/helper.c"])'; then ok
else bad "run with a missing header: $(cat g1.json)"; fi
if ls cache6/run-*.json >/dev/null 2>&1; then ok; else bad "no whole-program entry with a unit that failed"; fi
rm -f cache6/*.states.json
"$RC" --cache-dir=cache6 --format=json gen/helper.c gen/self.c gen/user.c > g2.json
same g1.json g2.json "warm run, a unit still failing"
if ! ls cache6/*.states.json >/dev/null 2>&1; then ok; else bad "the whole-program entry was not used with a unit failing"; fi
printf '#define GENERATED 1\n' > gen/generated.h
"$RC" --cache-dir=cache6 --format=json gen/helper.c gen/self.c gen/user.c > g3.json
if python3 -c 'import json,sys; d=json.load(open("g3.json")); sys.exit(sorted(f["file"] for f in d["findings"]) != ["gen/self.c", "gen/user.c"] or bool(d.get("errors")))'; then ok
else bad "the missing header created: $(cat g3.json)"; fi
"$RC" --no-cache --format=json gen/helper.c gen/self.c gen/user.c > g4.json
same g4.json g3.json "cached vs uncached once the header exists"

# --no-cache writes nothing; an unusable cache directory is a warning only.
"$RC" --no-cache --cache-dir=cache3 proj/a.c > /dev/null
if [ ! -e cache3 ]; then ok; else bad "--no-cache created a cache"; fi
touch notadir
"$RC" --cache-dir=notadir --format=json proj/a.c proj/b.c > p4.json 2> err.txt
same p3.json p4.json "unusable cache dir"
if grep -q "not usable" err.txt; then ok; else bad "no warning for an unusable cache: $(cat err.txt)"; fi
# A corrupt entry is re-analysed, not trusted.
for f in cache2/*.json; do echo '{"deps": [], "findings": [{"check": "bogus", "message": "x"}]' > "$f"; done
"$RC" --cache-dir=cache2 --format=json proj/a.c proj/b.c > p5.json
same p3.json p5.json "corrupt cache entries"

finish
