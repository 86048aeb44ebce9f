/*
 * A string-keyed hash map wrapped with a mutex: every operation takes the
 * map's lock through small wrappers, and no wrapper calls another while
 * holding it.  racecheck finds nothing.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 64

struct entry {
    char *key;
    long value;
    struct entry *next;
};

struct map {
    pthread_mutex_t lock;
    struct entry *buckets[BUCKETS];
};

static unsigned hash(const char *s)
{
    unsigned h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h % BUCKETS;
}

static void map_lock(struct map *m) { pthread_mutex_lock(&m->lock); }
static void map_unlock(struct map *m) { pthread_mutex_unlock(&m->lock); }

/* Caller holds m->lock. */
static struct entry *find_locked(struct map *m, const char *key)
{
    for (struct entry *e = m->buckets[hash(key)]; e; e = e->next)
        if (!strcmp(e->key, key))
            return e;
    return NULL;
}

void map_add(struct map *m, const char *key, long delta)
{
    map_lock(m);
    struct entry *e = find_locked(m, key);
    if (!e) {
        e = calloc(1, sizeof *e);
        e->key = strdup(key);
        e->next = m->buckets[hash(key)];
        m->buckets[hash(key)] = e;
    }
    e->value += delta;
    map_unlock(m);
}

long map_get(struct map *m, const char *key)
{
    map_lock(m);
    struct entry *e = find_locked(m, key);
    long v = e ? e->value : 0;
    map_unlock(m);
    return v;
}

static struct map words = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void *count_words(void *arg)
{
    const char *const *list = arg;
    for (int round = 0; round < 1000; round++)
        for (int i = 0; list[i]; i++)
            map_add(&words, list[i], 1);
    return NULL;
}

int main(void)
{
    static const char *const a[] = {"lock", "thread", "race", NULL};
    static const char *const b[] = {"race", "mutex", "lock", NULL};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, count_words, (void *)a);
    pthread_create(&t2, NULL, count_words, (void *)b);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("race=%ld lock=%ld mutex=%ld\n", map_get(&words, "race"),
           map_get(&words, "lock"), map_get(&words, "mutex"));
    return map_get(&words, "race") == 2000 ? 0 : 1;
}
