/* Functions that take, release or mark no lock are not run through the
 * dataflow (summary.c, classify): their summaries are empty.  What they
 * call, and whether they return, must still count. */
#include <pthread.h>
#include <stdlib.h>

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void ext(void);

static int twice(int x) { return x * 2; }
static void lock_it(void) { pthread_mutex_lock(&m); }
/* Takes no lock itself, but calls one that does. */
static void middle(int x)
{
    if (x > twice(x))
        ext();
    lock_it();
}
static void die(const char *why) { (void)why; exit(1); }
static void stop(void) { die("stop"); }
static void fail_if(int bad)
{
    if (bad)
        die("bad");
}

void through_middle(int x)
{
    pthread_mutex_lock(&m);
    middle(x);  // want: recursive-lock "call to 'middle' acquires 'm'"
    pthread_mutex_unlock(&m);
}

void held_across_lock_free(int x)
{
    pthread_mutex_lock(&m);
    ext();
    x = twice(x);
    fail_if(x);
    pthread_mutex_unlock(&m);
}

void stop_ends_the_path(int c)
{
    if (c) {
        pthread_mutex_lock(&m);
        stop();
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void fail_if_returns(int c)
{
    if (c) {
        pthread_mutex_lock(&m);
        fail_if(0);
    }
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}
