/* Locks taken inside macros, goto cleanup in a callee, rwlocks under
 * loops: a small server. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
struct conn { pthread_mutex_t lock; int fd; char buf[64]; };
struct server { pthread_rwlock_t rw; struct conn conns[16]; int n; };
#define WITH_LOCK(m, body) do { pthread_mutex_lock(m); body; pthread_mutex_unlock(m); } while (0)

static int conn_send(struct conn *c, const char *s)
{
    int rc = -1;
    pthread_mutex_lock(&c->lock);
    if (c->fd < 0)
        goto out;
    strncpy(c->buf, s, sizeof c->buf - 1);
    rc = 0;
out:
    pthread_mutex_unlock(&c->lock);
    return rc;
}

void broadcast(struct server *s, const char *msg)
{
    pthread_rwlock_rdlock(&s->rw);
    for (int i = 0; i < s->n; i++)
        conn_send(&s->conns[i], msg);
    pthread_rwlock_unlock(&s->rw);
}

void add(struct server *s)
{
    pthread_rwlock_wrlock(&s->rw);
    s->n++;
    broadcast(s, "joined");  // want: recursive-lock "call to 'broadcast' acquires 's->rw'"
    pthread_rwlock_unlock(&s->rw);
}

void reply(struct conn *c)
{
    WITH_LOCK(&c->lock, conn_send(c, "pong"));  // want: recursive-lock "call to 'conn_send'"
}

void ok(struct server *s)
{
    WITH_LOCK(&s->conns[0].lock, s->conns[0].fd = 1);
    conn_send(&s->conns[0], "x");
    pthread_mutex_lock(&s->conns[0].lock);
    conn_send(&s->conns[1], "y");
    pthread_mutex_unlock(&s->conns[0].lock);
}
