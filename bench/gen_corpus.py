#!/usr/bin/env python3
"""Generate a pthread-heavy C corpus with a compile_commands.json, for the
static benchmark: N files, each with lock-holding structs, lock wrappers,
functions that lock and call into other files, loops and branches, plus a
few planted copies and relocks so that the checks have work to report.

    gen_corpus.py OUT_DIR [--files N] [--functions M]
"""
import argparse
import json
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--functions", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    src = os.path.join(a.out, "src")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "common.h"), "w") as h:
        h.write("#include <pthread.h>\n#include <stdlib.h>\n#include <string.h>\n"
                "#include <stdio.h>\n#include <stdint.h>\n\n"
                "struct shard { pthread_mutex_t mu; pthread_rwlock_t rw; long n; long v[16]; };\n"
                "struct table { struct shard shards[8]; pthread_spinlock_t spin; int size; };\n")
        for f in range(a.files):
            h.write(f"long f{f}_entry(struct table *t, int k);\n")
    cmds = []
    for f in range(a.files):
        path = os.path.join(src, f"unit{f}.c")
        with open(path, "w") as c:
            c.write('#include "common.h"\n\n')
            c.write(f"static void lock_{f}(struct shard *s) {{ pthread_mutex_lock(&s->mu); }}\n")
            c.write(f"static void unlock_{f}(struct shard *s) {{ pthread_mutex_unlock(&s->mu); }}\n\n")
            for g in range(a.functions):
                c.write(f"static long f{f}_{g}(struct table *t, int k)\n{{\n")
                c.write("    struct shard *s = &t->shards[k & 7];\n    long acc = 0;\n")
                c.write(f"    lock_{f}(s);\n")
                c.write("    for (int i = 0; i < 16; i++) {\n")
                c.write("        if (s->v[i] > k) acc += s->v[i] * 3 + (k ^ i);\n")
                c.write("        else if (s->v[i] < -k) acc -= s->v[i] / (k | 1);\n")
                c.write("        else { s->v[i] = acc; continue; }\n")
                c.write("        switch (i & 3) { case 0: acc++; break; case 1: acc--; break; default: acc ^= i; }\n")
                c.write("    }\n")
                c.write(f"    unlock_{f}(s);\n")
                if g > 0:
                    c.write(f"    acc += f{f}_{g - 1}(t, k + 1);\n")
                if rnd.random() < 0.3:
                    other = rnd.randrange(a.files)
                    c.write(f"    if (k > 100) acc += f{other}_entry(t, k - 1);\n")
                c.write("    pthread_rwlock_rdlock(&s->rw);\n    acc += s->n;\n    pthread_rwlock_unlock(&s->rw);\n")
                c.write("    return acc;\n}\n\n")
            c.write(f"long f{f}_entry(struct table *t, int k)\n{{\n    return f{f}_{a.functions - 1}(t, k);\n}}\n\n")
            c.write(f"long f{f}_first(struct table *t)\n{{\n    lock_{f}(&t->shards[0]);\n"
                    f"    long n = t->shards[0].n;\n    unlock_{f}(&t->shards[0]);\n    return n;\n}}\n\n")
            if f % 10 == 0:  # planted bugs: a copy, and a relock through a wrapper
                c.write(f"long f{f}_peek(struct shard s) {{ return s.n; }}\n")
                c.write(f"long f{f}_bad(struct table *t)\n{{\n    lock_{f}(&t->shards[0]);\n"
                        f"    long n = f{f}_first(t);\n    unlock_{f}(&t->shards[0]);\n    return n;\n}}\n")
        cmds.append({"directory": os.path.abspath(a.out),
                     "file": os.path.abspath(path),
                     "arguments": ["cc", "-O2", "-Wall", "-pthread", "-Isrc", "-c",
                                   os.path.abspath(path), "-o", f"unit{f}.o"]})
    with open(os.path.join(a.out, "compile_commands.json"), "w") as j:
        json.dump(cmds, j, indent=1)
    print(f"generated {a.files} files x {a.functions} functions in {a.out}")


if __name__ == "__main__":
    main()
