/*
 * claims.c -- the run-wide table of shared definitions and the lowest unit
 * index that provides each (claims.h): an open-addressing string table
 * under one mutex.  Lookups come once per header function per unit, far
 * too rarely for the lock to matter.
 */
#include "claims.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct claim {
    char *key;               /* NULL: empty slot */
    size_t unit;
} claim;

struct rc_claims {
    claim *slots;
    size_t nslots, n;
    pthread_mutex_t mu;
};

rc_claims *claims_new(void)
{
    rc_claims *c = xcalloc(1, sizeof *c);
    c->nslots = 64;
    c->slots = xcalloc(c->nslots, sizeof *c->slots);
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

void claims_free(rc_claims *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nslots; i++)
        free(c->slots[i].key);
    free(c->slots);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* The slot holding key, or the empty one where it would go. */
static claim *slot_of(claim *slots, size_t nslots, const char *key)
{
    size_t h = hash_str(HASH_INIT, key) & (nslots - 1);
    while (slots[h].key && strcmp(slots[h].key, key))
        h = (h + 1) & (nslots - 1);
    return &slots[h];
}

static void grow(rc_claims *c)
{
    size_t n = c->nslots * 2;
    claim *slots = xcalloc(n, sizeof *slots);
    for (size_t i = 0; i < c->nslots; i++)
        if (c->slots[i].key)
            *slot_of(slots, n, c->slots[i].key) = c->slots[i];
    free(c->slots);
    c->slots = slots;
    c->nslots = n;
}

int claims_before(rc_claims *c, const char *key, size_t unit)
{
    pthread_mutex_lock(&c->mu);
    const claim *s = slot_of(c->slots, c->nslots, key);
    int before = s->key && s->unit < unit;
    pthread_mutex_unlock(&c->mu);
    return before;
}

void claims_record(rc_claims *c, const char *key, size_t unit)
{
    pthread_mutex_lock(&c->mu);
    if ((c->n + 1) * 2 > c->nslots)
        grow(c);
    claim *s = slot_of(c->slots, c->nslots, key);
    if (!s->key) {
        s->key = xstrdup(key);
        s->unit = unit;
        c->n++;
    } else if (unit < s->unit) {
        s->unit = unit;
    }
    pthread_mutex_unlock(&c->mu);
}
