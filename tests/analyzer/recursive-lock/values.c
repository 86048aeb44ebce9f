/* Branches on a variable's value, not just on zero / non-zero: `x == K`,
 * `x != K` and `case K:` (memcached's maxconns_handler(-42, ...), a mode
 * argument). */
#include <pthread.h>
#include <stdbool.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
enum mode { M_NONE, M_READ, M_WRITE };
void work(int);
void reschedule(void);

/* ---- one function: the two tests agree ------------------------------- */

void same_value_twice(int mode)
{
    if (mode == 2)
        pthread_mutex_lock(&m);
    work(mode);
    if (mode == 2)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void not_equal_twice(int mode)
{
    if (mode != 3)
        pthread_mutex_lock(&m);
    work(mode);
    if (3 != mode)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void switch_twice(enum mode mode)
{
    switch (mode) {
    case M_WRITE:
        pthread_mutex_lock(&m);
        break;
    case M_READ:
    default:
        break;
    }
    work(0);
    switch (mode) {
    case M_WRITE:
        pthread_mutex_unlock(&m);
        break;
    default:
        break;
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

/* Two different values cannot both hold. */
void different_values(int mode)
{
    if (mode == 1)
        pthread_mutex_lock(&m);
    if (mode == 2)
        pthread_mutex_lock(&m);
    if (mode == 1 || mode == 2)
        pthread_mutex_unlock(&m);
}

/* A value tells nothing about another: reported. */
void other_value(int mode)
{
    if (mode == 1)
        pthread_mutex_lock(&m);
    if (mode == 2)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);  // want: recursive-lock "'m'"
    pthread_mutex_unlock(&m);
}

/* ---- a callee's acquisition guarded by a parameter's value ------------ */

static void do_accept(bool on);

void accept_new_conns(bool on)
{
    pthread_mutex_lock(&conn_lock);
    do_accept(on);
    pthread_mutex_unlock(&conn_lock);
}

/* Called with -42 from under conn_lock: reschedules, takes nothing. */
static void maxconns_handler(int fd)
{
    if (fd == -42)
        reschedule();
    else
        accept_new_conns(true);
}

static void do_accept(bool on)
{
    if (!on)
        maxconns_handler(-42);
}

static void lock_unless(int op)
{
    if (op != 7)
        pthread_mutex_lock(&m);
}

void guarded_by_value(void)
{
    pthread_mutex_lock(&m);
    lock_unless(7);
    lock_unless(8);  // want: recursive-lock "call to 'lock_unless' acquires 'm'"
}

static void lock_for(enum mode mode)
{
    switch (mode) {
    case M_WRITE:
        pthread_mutex_lock(&m);
        break;
    default:
        break;
    }
}

void guarded_by_case(void)
{
    pthread_mutex_lock(&m);
    lock_for(M_READ);
    lock_for(M_WRITE);  // want: recursive-lock "call to 'lock_for' acquires 'm'"
}

/* ---- what a call with constants returns holding ------------------------
 * memcached's pause_threads: one mode takes the locks and returns holding
 * them, another releases them; a summary per constant argument. */
enum pause_type { PAUSE_WORKERS, PAUSE_ALL, RESUME_ALL, RESUME_WORKERS };
static pthread_mutex_t maint = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t hang = PTHREAD_MUTEX_INITIALIZER;
static void maint_pause(void) { pthread_mutex_lock(&maint); }
static void maint_resume(void) { pthread_mutex_unlock(&maint); }

static void pause_threads(enum pause_type t)
{
    switch (t) {
    case PAUSE_ALL:
        maint_pause();
        /* fall through */
    case PAUSE_WORKERS:
        pthread_mutex_lock(&hang);
        break;
    case RESUME_ALL:
        maint_resume();
        /* fall through */
    case RESUME_WORKERS:
        pthread_mutex_unlock(&hang);
        break;
    }
}

void expand_loop(int n)
{
    while (n-- > 0) {
        pause_threads(PAUSE_ALL);
        work(n);
        pause_threads(RESUME_ALL);
    }
}

void pause_twice(void)
{
    pause_threads(PAUSE_ALL);
    pause_threads(PAUSE_WORKERS);  // want: recursive-lock "call to 'pause_threads' acquires 'hang'"
}

/* Releases on every path; takes and releases its own only for 1. */
static void by_mode(int mode)
{
    if (mode == 1)
        pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void released_by_mode(void)
{
    pthread_mutex_lock(&m);
    by_mode(2);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}
