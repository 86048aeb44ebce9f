/*
 * A configuration read by many threads and reloaded by one: readers take
 * the rwlock for reading, the reloader for writing, and a reader may read
 * twice under one read lock.  racecheck finds nothing.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct config {
    pthread_rwlock_t lock;
    char server[64];
    int port;
    int generation;
};

static struct config cfg = { .lock = PTHREAD_RWLOCK_INITIALIZER,
                             .server = "localhost", .port = 8080 };

static int config_port(struct config *c)
{
    pthread_rwlock_rdlock(&c->lock);
    int port = c->port;
    pthread_rwlock_unlock(&c->lock);
    return port;
}

static void config_describe(struct config *c, char *out, size_t n)
{
    pthread_rwlock_rdlock(&c->lock);
    snprintf(out, n, "%s:%d (generation %d)", c->server, config_port(c), c->generation);
    pthread_rwlock_unlock(&c->lock);
}

static void config_reload(struct config *c, const char *server, int port)
{
    pthread_rwlock_wrlock(&c->lock);
    snprintf(c->server, sizeof c->server, "%s", server);
    c->port = port;
    c->generation++;
    pthread_rwlock_unlock(&c->lock);
}

static void *reader(void *arg)
{
    (void)arg;
    char buf[128];
    long sum = 0;
    for (int i = 0; i < 2000; i++) {
        config_describe(&cfg, buf, sizeof buf);
        sum += config_port(&cfg);
    }
    return sum > 0 ? NULL : arg;
}

static void *reloader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200; i++)
        config_reload(&cfg, i % 2 ? "primary" : "backup", 8000 + i);
    return NULL;
}

int main(void)
{
    pthread_t r1, r2, w;
    pthread_create(&r1, NULL, reader, NULL);
    pthread_create(&r2, NULL, reader, NULL);
    pthread_create(&w, NULL, reloader, NULL);
    pthread_join(r1, NULL);
    pthread_join(r2, NULL);
    pthread_join(w, NULL);
    char buf[128];
    config_describe(&cfg, buf, sizeof buf);
    printf("%s\n", buf);
    return 0;
}
