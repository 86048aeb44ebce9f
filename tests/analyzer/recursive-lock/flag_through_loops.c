/* A flag that says whether a lock was taken (`if (!busy) { lock(&a);
 * locked = 1; } ... if (locked) unlock(&a);`) still decides after loops
 * whose tests make more states than a block keeps: states are joined with
 * those holding the same locks first, so the flag's value stays with the
 * hold.  (libwebsockets' lws_smd_message_pending walks two lists between.) */
#include <pthread.h>
#include <stddef.h>

struct owner { unsigned gen; };
struct item { struct item *next; struct owner *owner; long stamp; };
struct ctx {
    pthread_mutex_t peers, messages;
    int busy, count;
    struct item *msgs, *peer_list;
    long ttl;
};

long clock_now(void);
void drop(struct ctx *c, struct item *m);
struct item *next_safe(struct owner *o, unsigned *gen, struct item *n);

int pending(struct ctx *ctx)
{
    int ret = 1, locked = 0;
    if (!ctx->count)
        return 0;
    if (!ctx->busy) {
        if (pthread_mutex_lock(&ctx->peers))
            return 1;
        locked = 1;
    }
    if (pthread_mutex_lock(&ctx->messages))
        goto out;
    {
        struct item *first = ctx->msgs, *nx;
        struct owner *own = first ? first->owner : NULL;
        unsigned gen = own ? own->gen : 0;
        for (struct item *p = first; p && ((nx = p->next), 1); p = next_safe(own, &gen, nx)) {
            if (clock_now() - p->stamp > ctx->ttl) {
                struct item *f2 = ctx->peer_list, *n2;
                struct owner *o2 = f2 ? f2->owner : NULL;
                unsigned g2 = o2 ? o2->gen : 0;
                for (struct item *q = f2; q && ((n2 = q->next), 1); q = next_safe(o2, &g2, n2))
                    if (q->stamp == p->stamp)
                        q->stamp = 0;
                drop(ctx, p);
            }
        }
    }
    pthread_mutex_unlock(&ctx->messages);
    for (struct item *q = ctx->peer_list; q; q = q->next)
        if (q->stamp)
            goto out;
    ret = 0;
out:
    if (locked)
        pthread_mutex_unlock(&ctx->peers);
    return ret;
}

void distribute(struct ctx *ctx)
{
    pthread_mutex_lock(&ctx->peers);
    ctx->count = 0;
    pthread_mutex_unlock(&ctx->peers);
}

/* pending() leaves nothing held: no relock here. */
int service(struct ctx *ctx)
{
    if (pending(ctx)) {
        distribute(ctx);
        if (pending(ctx))
            return 0;
    }
    return 1;
}

/* The flag still tells where the lock is held. */
void flag_relock(struct ctx *ctx, struct item *list)
{
    int locked = 0;
    if (!ctx->busy) {
        pthread_mutex_lock(&ctx->peers);
        locked = 1;
    }
    struct owner *own = list ? list->owner : NULL;
    unsigned gen = own ? own->gen : 0;
    for (struct item *p = list, *nx; p && ((nx = p->next), 1); p = next_safe(own, &gen, nx))
        p->stamp = gen;
    if (locked)
        pthread_mutex_lock(&ctx->peers);  // want: recursive-lock "relocking 'ctx->peers'"
}
