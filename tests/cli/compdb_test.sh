#!/usr/bin/env bash
# -p BUILD_DIR: reading compile_commands.json (analyzer/input.c) -- "command"
# split as the shell did, "arguments", relative "file" and -I, duplicates,
# bad entries and bad JSON as clear errors, compile_flags.txt as fallback,
# @response files, flags clang does not know.
#   compdb_test.sh RACECHECK
set -u
RC=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
export XDG_CACHE_HOME=$WORK/cache

# db FILE: the here-document on stdin, with @W@ standing for $WORK.
db() { mkdir -p "$(dirname "$1")"; sed "s|@W@|$WORK|g" > "$1"; }
# lockfile FILE [PRELUDE]: a C file that needs -DQTYPE=NAME and then
# reports a copy of a lock whose type is NAME.
lockfile() {
    printf '%s\n#include <pthread.h>\n#ifndef QTYPE\n#error QTYPE must be defined\n#endif\ntypedef struct { pthread_mutex_t mu; } QTYPE;\nvoid take(QTYPE q);\n' \
        "${2:-}" > "$1"
}
# finding FILE TEXT: out.txt (JSON) has exactly one finding in FILE, and its
# message holds TEXT.
finding() {
    json_eval out.txt "len(m := [f['message'] for f in d['findings'] if f['file'] == '$1']) == 1 and \"$2\" in m[0]"
}

mkdir -p proj/src proj/include
lockfile proj/src/quoting.c '_Static_assert(sizeof SQ == 4, "SQ: single quotes keep a b whole");
_Static_assert(sizeof DQ == 4, "DQ: escaped quotes inside double quotes");
_Static_assert(sizeof BS == 2, "BS: backslash-quote outside quotes");
_Static_assert(SUM == 2, "SUM: backslash-space joins words");'
lockfile proj/src/args.c '_Static_assert(SPACED == 2, "SPACED: arguments are not split");'
lockfile proj/src/werror.c 'static int unused_local(void) { int x; return 0; }'
for f in both rel dup; do lockfile proj/src/$f.c; done
printf '#include <pthread.h>\ntypedef struct { pthread_mutex_t mu; } inc_queue;\n' > proj/include/lockq.h
printf '#include <lockq.h>\nvoid take(inc_queue q);\n' > proj/src/inc.c
printf '#include <pthread.h>\nvoid take(pthread_mutex_t m);\n' > proj/src/other.c

db proj/build/compile_commands.json <<'J'
[
 {"directory": "@W@/proj/build", "file": "@W@/proj/src/quoting.c", "output": "quoting.o",
  "command": "cc '-DSQ=\"a b\"' \"-DDQ=\\\"c d\\\"\" -DBS=\\\"e\\\" -DSUM=1\\ +\\ 1\t-DQTYPE=quoted_queue -c ../src/quoting.c -o quoting.o"},
 {"directory": "@W@/proj/build", "file": "@W@/proj/src/args.c",
  "arguments": ["cc", "-DSPACED=1 + 1", "-DQTYPE=arg_queue", "-c", "../src/args.c"]},
 {"directory": "@W@/proj/build", "file": "@W@/proj/src/both.c",
  "arguments": ["cc", "-DQTYPE=from_arguments", "-c", "../src/both.c"],
  "command": "cc -DQTYPE=from_command -c ../src/both.c"},
 {"directory": "@W@/proj/build", "file": "../src/rel.c", "command": "cc -DQTYPE=rel_queue -c ../src/rel.c"},
 {"directory": "@W@/proj/build", "file": "../src/dup.c", "command": "cc -DQTYPE=first_queue -c ../src/dup.c"},
 {"directory": "@W@/proj/build", "file": "../src/dup.c", "command": "cc -DQTYPE=second_queue -c ../src/dup.c"},
 {"directory": "@W@/proj/build", "file": "../src/inc.c", "command": "cc -I../include -c ../src/inc.c"},
 {"directory": "@W@/proj/build", "file": "../src/werror.c", "command": "cc -Wall -Werror -DQTYPE=werror_queue -c ../src/werror.c"}
]
J

# --- the whole database ------------------------------------------------
expect_status 1 "$RC" -p proj/build --format=json
json_eval out.txt 'd["errors"] == []'
json_eval out.txt '[f["file"] for f in d["findings"]] == ["proj/src/args.c", "proj/src/both.c", "proj/src/dup.c", "proj/src/inc.c", "proj/src/quoting.c", "proj/src/rel.c", "proj/src/werror.c"]'
finding proj/src/quoting.c quoted_queue       # "command" with every kind of quoting
finding proj/src/args.c arg_queue            # "arguments": no splitting
finding proj/src/both.c from_arguments        # "arguments" wins over "command"
finding proj/src/rel.c rel_queue              # "file" relative to "directory"
finding proj/src/dup.c first_queue            # built twice: analysed once, first entry
finding proj/src/inc.c inc_queue              # -I relative to "directory"
finding proj/src/werror.c werror_queue        # -Werror: a warning stops nothing

# --- files named with -p -----------------------------------------------
expect_status 1 "$RC" -p proj/build --format=json proj/src/dup.c proj/src/quoting.c
json_eval out.txt 'd["errors"] == [] and len(d["findings"]) == 2'
finding proj/src/dup.c first_queue
finding proj/src/quoting.c quoted_queue
expect_status 1 "$RC" -p proj/build --format=json proj/src/other.c
contains err.txt "proj/src/other.c: not in proj/build/compile_commands.json; analysing without its flags"
json_eval out.txt 'd["errors"] == [] and [f["file"] for f in d["findings"]] == ["proj/src/other.c"]'
# ... after a file of the database, named relative to the user's directory:
# libclang 14 and 16 stay in the command's directory after parsing there.
expect_status 1 "$RC" -p proj/build -j1 --no-cache --format=json proj/src/dup.c proj/src/other.c
json_eval out.txt 'd["errors"] == [] and [f["file"] for f in d["findings"]] == ["proj/src/dup.c", "proj/src/other.c"]'
# compile_commands.json, when present, is the database.
printf -- '-DQTYPE=flags_queue\n' > proj/build/compile_flags.txt
expect_status 1 "$RC" -p proj/build --format=json proj/src/rel.c
finding proj/src/rel.c rel_queue

# --- bad entries: one error each, naming the entry; the rest analysed ---
db proj/bad-entries/compile_commands.json <<'J'
[
 {"directory": "@W@/proj/build", "file": "../src/rel.c", "command": "cc -DQTYPE=rel_queue -c ../src/rel.c"},
 {"directory": "@W@/proj/build", "command": "cc -DQTYPE=x -c ../src/args.c"},
 42,
 {"directory": "@W@/proj/build", "file": "../src/args.c", "arguments": ["cc", 1]},
 {"file": "@W@/proj/src/args.c", "command": "cc -c args.c"},
 {"directory": "@W@/proj/build", "file": "../src/args.c"}
]
J
expect_status 2 "$RC" -p proj/bad-entries --format=json
valid_json out.txt
json_eval out.txt '[e["file"] for e in d["errors"]] == ["proj/bad-entries/compile_commands.json"] * 5'
json_eval out.txt '[e["message"].split()[:2] for e in d["errors"]] == [["entry", str(i)] for i in range(1, 6)]'
json_eval out.txt '[f["file"] for f in d["findings"]] == ["proj/src/rel.c"]'
expect_status 2 "$RC" -p proj/bad-entries
contains out.txt 'proj/bad-entries/compile_commands.json: error: entry 1 has no "file" string; entry skipped'
contains out.txt 'proj/bad-entries/compile_commands.json: error: entry 2 is not an object'
contains out.txt 'entry 3 has an "arguments" that is not an array of strings'
contains out.txt 'entry 4 has no "directory" string'
contains out.txt 'entry 5 has neither an "arguments" array nor a "command" string'

# --- a database that is not usable at all: one error -------------------
db proj/bad-json/compile_commands.json <<'J'
[
 {"directory": "@W@/proj/build",
  "file": },
 {"directory": "@W@/proj/build", "file": "../src/rel.c", "command": "cc -DQTYPE=rel_queue -c ../src/rel.c"}
]
J
expect_status 2 "$RC" -p proj/bad-json --format=json
valid_json out.txt
json_eval out.txt 'len(d["errors"]) == 1 and d["errors"][0]["file"] == "proj/bad-json/compile_commands.json" and d["findings"] == []'
json_eval out.txt 'd["errors"][0]["message"].startswith("not valid JSON (line 3, column")'
# Named files are still analysed, without flags.
expect_status 2 "$RC" -p proj/bad-json --format=json proj/src/other.c
json_eval out.txt 'len(d["errors"]) == 1 and [f["file"] for f in d["findings"]] == ["proj/src/other.c"]'
db proj/trailing/compile_commands.json <<'J'
[] []
J
expect_status 2 "$RC" -p proj/trailing --format=json
json_eval out.txt 'len(d["errors"]) == 1 and "not valid JSON (line 1, column 4)" == d["errors"][0]["message"]'
db proj/object/compile_commands.json <<'J'
{"directory": "@W@/proj/build", "file": "../src/rel.c", "command": "cc -DQTYPE=rel_queue -c ../src/rel.c"}
J
expect_status 2 "$RC" -p proj/object --format=json
json_eval out.txt 'len(d["errors"]) == 1 and d["errors"][0]["file"] == "proj/object/compile_commands.json" and "not a JSON array" in d["errors"][0]["message"] and d["findings"] == []'

# --- compile_flags.txt: the same flags for every file named -------------
mkdir -p proj/flags
printf '  -DQTYPE=flags_queue \r\n\n-I../include\n-DSPACED=1 + 1\n' > proj/flags/compile_flags.txt
expect_status 1 "$RC" -p proj/flags --format=json proj/src/args.c proj/src/inc.c
json_eval out.txt 'd["errors"] == [] and len(d["findings"]) == 2'
finding proj/src/args.c flags_queue
finding proj/src/inc.c inc_queue
if grep -q "not in" err.txt; then bad "compile_flags.txt: a file was not found in it"; else ok; fi
expect_status 2 "$RC" -p proj/flags --format=json
json_eval out.txt 'len(d["errors"]) == 1 and d["errors"][0]["file"] == "proj/flags/compile_flags.txt" and "lists no files" in d["errors"][0]["message"]'

# --- @response files: expanded relative to "directory", nested too ------
mkdir -p rsp/src rsp/build/flags
printf '#include <lockq.h>\n#ifndef EXTRA\n#error EXTRA must come from the nested file\n#endif\nvoid take(inc_queue q);\n' > rsp/src/nested.c
lockfile rsp/src/quoted.c '_Static_assert(sizeof SQ == 4, "SQ: quotes in a response file keep a b whole");'
lockfile rsp/src/cycle.c
lockfile rsp/src/missing.c
printf -- '-I%s/proj/include\r\n@flags/more.rsp\n' "$WORK" > rsp/build/flags/inc.rsp
printf -- '-DEXTRA=1 -DQTYPE=unused\n' > rsp/build/flags/more.rsp
printf -- "'-DSQ=\"a b\"' -DQTYPE=rsp_queue\n" > rsp/build/flags/quoted.rsp
printf -- '-DQTYPE=cycle_queue @flags/cycle.rsp\n' > rsp/build/flags/cycle.rsp
db rsp/build/compile_commands.json <<'J'
[
 {"directory": "@W@/rsp/build", "file": "../src/nested.c", "command": "cc @flags/inc.rsp -c ../src/nested.c"},
 {"directory": "@W@/rsp/build", "file": "../src/quoted.c", "arguments": ["cc", "@flags/quoted.rsp", "-c", "../src/quoted.c"]},
 {"directory": "@W@/rsp/build", "file": "../src/cycle.c", "command": "cc @flags/cycle.rsp -c ../src/cycle.c"},
 {"directory": "@W@/rsp/build", "file": "../src/missing.c", "command": "cc @flags/none.rsp @/dev/zero -DQTYPE=missing_queue -c ../src/missing.c"}
]
J
expect_status 1 "$RC" -p rsp/build --format=json
json_eval out.txt 'd["errors"] == [] and len(d["findings"]) == 4'
finding rsp/src/nested.c inc_queue             # -I from a file, -DEXTRA from a nested one
finding rsp/src/quoted.c rsp_queue             # quoting inside the file, from "arguments"
finding rsp/src/cycle.c cycle_queue            # a file naming itself: expanded to a depth, no hang
finding rsp/src/missing.c missing_queue        # no such file, or not a regular one: left as it is
# The expanded flags are what the cache keys: a changed response file is a
# changed command.
printf -- "'-DSQ=\"a b\"' -DQTYPE=changed_queue\n" > rsp/build/flags/quoted.rsp
expect_status 1 "$RC" -p rsp/build --format=json rsp/src/quoted.c
finding rsp/src/quoted.c changed_queue

# --- flags only gcc knows: the file is parsed without them --------------
mkdir -p gcc/src gcc/build
lockfile gcc/src/hardened.c
db gcc/build/compile_commands.json <<'J'
[{"directory": "@W@/gcc/build", "file": "../src/hardened.c",
  "command": "gcc -fstack-protector-explicit -fconserve-stack -mindirect-branch=thunk-extern -fno-tree-vrp -DQTYPE=gcc_queue -c ../src/hardened.c"}]
J
for pch in auto always never; do
    expect_status 1 "$RC" -p gcc/build --no-cache --pch=$pch --format=json
    json_eval out.txt 'd["errors"] == [] and len(d["findings"]) == 1'
    finding gcc/src/hardened.c gcc_queue
done

finish
