/*
 * findings.c -- the findings list: building, merging, de-duplicating,
 * fingerprinting and ordering findings before any reporter sees them.
 */
#include "findings.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void findings_init(rc_findings *fs)
{
    memset(fs, 0, sizeof *fs);
}

static void finding_free(rc_finding *f)
{
    free(f->check);
    free(f->file);
    free(f->function);
    free(f->message);
    for (size_t i = 0; i < f->nnotes; i++) {
        free(f->notes[i].file);
        free(f->notes[i].message);
    }
    free(f->notes);
    free(f->fingerprint);
    cJSON_Delete(f->detail);
    free(f);
}

void findings_free(rc_findings *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        finding_free(fs->items[i]);
    free(fs->items);
    for (size_t i = 0; i < fs->nerrors; i++) {
        free(fs->errors[i].file);
        free(fs->errors[i].message);
    }
    free(fs->errors);
    findings_init(fs);
}

rc_finding *findings_add(rc_findings *fs, const char *check, const char *source,
                         const char *file, unsigned line, unsigned column,
                         const char *function, const char *fmt, ...)
{
    rc_finding *f = xcalloc(1, sizeof *f);
    f->check = xstrdup(check);
    f->source = source;
    f->severity = "warning";
    f->file = xstrdup(file);
    f->line = line;
    f->column = column;
    f->function = xstrdup(function);
    va_list ap;
    va_start(ap, fmt);
    f->message = xvasprintf(fmt, ap);
    va_end(ap);
    f->count = 1;
    VEC_PUSH(fs->items, fs->n, fs->cap, f);
    return f;
}

void finding_note(rc_finding *f, const char *file, unsigned line,
                  unsigned column, const char *fmt, ...)
{
    f->notes = xrealloc(f->notes, (f->nnotes + 1) * sizeof *f->notes);
    rc_note *n = &f->notes[f->nnotes++];
    n->file = xstrdup(file);
    n->line = line;
    n->column = column;
    va_list ap;
    va_start(ap, fmt);
    n->message = xvasprintf(fmt, ap);
    va_end(ap);
}

void findings_error(rc_findings *fs, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rc_error e = {xstrdup(file), xvasprintf(fmt, ap)};
    va_end(ap);
    VEC_PUSH(fs->errors, fs->nerrors, fs->errcap, e);
}

void findings_move(rc_findings *dst, rc_findings *src)
{
    for (size_t i = 0; i < src->n; i++)
        VEC_PUSH(dst->items, dst->n, dst->cap, src->items[i]);
    for (size_t i = 0; i < src->nerrors; i++)
        VEC_PUSH(dst->errors, dst->nerrors, dst->errcap, src->errors[i]);
    free(src->items);
    free(src->errors);
    findings_init(src);
}

size_t findings_filter(rc_findings *fs, int (*keep)(const rc_finding *f, void *ud), void *ud)
{
    size_t out = 0;
    for (size_t i = 0; i < fs->n; i++) {
        if (keep(fs->items[i], ud))
            fs->items[out++] = fs->items[i];
        else
            finding_free(fs->items[i]);
    }
    size_t dropped = fs->n - out;
    fs->n = out;
    return dropped;
}

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int finding_cmp(const void *pa, const void *pb)
{
    const rc_finding *a = *(rc_finding *const *)pa, *b = *(rc_finding *const *)pb;
    int c;
    if ((c = strcmp0(a->file, b->file)))
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    if ((c = strcmp0(a->check, b->check)))
        return c;
    if ((c = strcmp0(a->message, b->message)))
        return c;
    return strcmp0(a->fingerprint, b->fingerprint);
}

static int error_cmp(const void *pa, const void *pb)
{
    const rc_error *a = pa, *b = pb;
    int c = strcmp0(a->file, b->file);
    return c ? c : strcmp0(a->message, b->message);
}

/* Producers that set a fingerprint (the runtime) mean "these reports are the
 * same bug": keep the first and count the rest. */
static void collapse_by_fingerprint(rc_findings *fs)
{
    size_t out = 0;
    for (size_t i = 0; i < fs->n; i++) {
        rc_finding *f = fs->items[i];
        size_t j = 0;
        if (f->fingerprint)
            for (; j < out; j++)
                if (fs->items[j]->fingerprint &&
                    !strcmp(fs->items[j]->fingerprint, f->fingerprint))
                    break;
        if (f->fingerprint && j < out) {
            fs->items[j]->count += f->count;
            finding_free(f);
        } else {
            fs->items[out++] = f;
        }
    }
    fs->n = out;
}

/* A default fingerprint leaves out the line and column so that it survives
 * edits elsewhere in the file; equal findings within one function are told
 * apart by their order of occurrence, counted in a small hash table (a
 * large code base can have thousands of findings). */
static void assign_fingerprints(rc_findings *fs)
{
    size_t cap = 16;
    while (cap < fs->n * 2)
        cap *= 2;
    uint64_t *keys = xcalloc(cap, sizeof *keys);
    unsigned *counts = xcalloc(cap, sizeof *counts);
    for (size_t i = 0; i < fs->n; i++) {
        rc_finding *f = fs->items[i];
        if (f->fingerprint)
            continue;
        uint64_t h = HASH_INIT;
        h = hash_str(h, f->check);
        h = hash_str(h, f->file);
        h = hash_str(h, f->function);
        h = hash_str(h, f->message);
        uint64_t key = h | 1;  /* 0 marks an empty slot */
        size_t slot = (size_t)(key % cap);
        while (keys[slot] && keys[slot] != key)
            slot = (slot + 1) % cap;
        keys[slot] = key;
        unsigned occurrence = counts[slot]++;
        h = hash_bytes(h, &occurrence, sizeof occurrence);
        f->fingerprint = xasprintf("%016llx", (unsigned long long)h);
    }
    free(keys);
    free(counts);
}

/* A header included by several files yields the same static finding once
 * per file: after sorting, drop exact repeats. */
static void drop_repeats(rc_findings *fs)
{
    size_t out = 0;
    for (size_t i = 0; i < fs->n; i++) {
        rc_finding *f = fs->items[i];
        if (out && !f->fingerprint && !finding_cmp(&fs->items[out - 1], &f) &&
            !strcmp0(fs->items[out - 1]->function, f->function))
            finding_free(f);
        else
            fs->items[out++] = f;
    }
    fs->n = out;
}

void findings_finish(rc_findings *fs)
{
    collapse_by_fingerprint(fs);
    if (fs->n)
        qsort(fs->items, fs->n, sizeof *fs->items, finding_cmp);
    drop_repeats(fs);
    assign_fingerprints(fs);
    if (fs->nerrors)
        qsort(fs->errors, fs->nerrors, sizeof *fs->errors, error_cmp);
}

int findings_exit_status(const rc_findings *fs)
{
    if (fs->nerrors)
        return 2;
    return fs->n ? 1 : 0;
}
