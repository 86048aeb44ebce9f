/* Control flow: loops that come round holding the lock, break/continue,
 * switch, goto cleanup, do { } while (0) macros, noreturn calls. */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int work(int);

#define LOCKED(stmt) do { pthread_mutex_lock(&m); stmt; pthread_mutex_unlock(&m); } while (0)

void loop_relock(int n)
{
    for (int i = 0; i < n; i++) {
        pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm'"
        work(i);
    }
}

void loop_balanced(int n)
{
    for (int i = 0; i < n; i++) {
        pthread_mutex_lock(&m);
        work(i);
        pthread_mutex_unlock(&m);
    }
    while (n--)
        LOCKED(work(n));
}

void loop_continue(int n)
{
    while (n-- > 0) {
        pthread_mutex_lock(&m);  // want: recursive-lock
        if (work(n))
            continue;          /* comes round still holding m */
        pthread_mutex_unlock(&m);
    }
}

void loop_break(int n)
{
    while (n-- > 0) {
        pthread_mutex_lock(&m);
        if (work(n))
            break;             /* leaves holding m: no relock in the loop */
        pthread_mutex_unlock(&m);
    }
}

void after_break(int n)
{
    for (;;) {
        pthread_mutex_lock(&m);
        if (work(n))
            break;
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);  // want: recursive-lock
}

void do_loop(int n)
{
    do {
        pthread_mutex_lock(&m);  // want: recursive-lock
    } while (--n);
}

void switch_fallthrough(int k)
{
    switch (k) {
    case 0:
        pthread_mutex_lock(&m);
        /* fall through */
    case 1:
        pthread_mutex_lock(&m);  // want: recursive-lock
        pthread_mutex_unlock(&m);
        break;
    default:
        break;
    }
}

void switch_break(int k)
{
    switch (k) {
    case 0:
        pthread_mutex_lock(&m);
        break;
    case 1:
        pthread_mutex_lock(&m);
        break;
    }
    pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

int goto_cleanup(int k)
{
    int rc = -1;
    pthread_mutex_lock(&m);
    if (work(k) < 0)
        goto out;
    if (work(k + 1) < 0)
        goto out;
    rc = 0;
out:
    pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    return rc;
}

void goto_back(int k)
{
again:
    pthread_mutex_lock(&m);  // want: recursive-lock
    if (work(k))
        goto again;
    pthread_mutex_unlock(&m);
}

void noreturn_exit(int k)
{
    pthread_mutex_lock(&m);
    if (k) {
        work(k);
        exit(1);             /* never comes back holding m */
    }
    pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

static void die(const char *why) __attribute__((noreturn));
static void die(const char *why) { (void)why; abort(); }
static void fatal(void) { exit(2); }  /* noreturn without saying so */

void noreturn_user(int k)
{
    pthread_mutex_lock(&m);
    if (k == 1)
        die("one");
    if (k == 2)
        fatal();
    if (k == 3)
        pthread_mutex_unlock(&m);
    else
        return;
    pthread_mutex_lock(&m);
}

void early_return(int k)
{
    if (k)
        pthread_mutex_lock(&m);
    else
        return;
    pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
}
